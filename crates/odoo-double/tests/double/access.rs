//! The double enforces the access rules relanced relies on: credentials,
//! Billing rights on journal items (with a message naming the group), no
//! `ir.model` for non-admins, allowed companies, API keys on JSON-2, and the
//! special methods' recorded behaviours on a generated world.

use crate::support::{call, execute_kw, fault, leaf, value};
use odoo_double::generator::{
    BOT_API_KEY, BOT_LOGIN, BOT_PASSWORD, BOT_UID, DEMO_DB, NO_BILLING_PASSWORD, NO_BILLING_UID,
};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimHandle, SimOptions, World};
use odoo_wire::{Struct, Value};

async fn start(version: OdooVersion) -> SimHandle {
    let options = GeneratorOptions {
        customers: 20,
        version,
        ..GeneratorOptions::default()
    };
    Sim::start(SimOptions {
        version,
        world: World::generated(&options),
    })
    .await
    .unwrap()
}

fn receivable_domain() -> Vec<Value> {
    vec![Value::Array(vec![
        leaf("account_type", "=", "asset_receivable"),
        leaf("reconciled", "=", false),
    ])]
}

#[tokio::test]
async fn credentials_are_checked_like_odoo() {
    let sim = start(OdooVersion::V18).await;
    let auth = |db: &str, login: &str, pw: &str| {
        vec![
            Value::from(db),
            Value::from(login),
            Value::from(pw),
            Value::Struct(Struct::new()),
        ]
    };
    assert_eq!(
        value(
            call(
                &sim,
                "common",
                "authenticate",
                auth(DEMO_DB, BOT_LOGIN, BOT_PASSWORD)
            )
            .await
            .unwrap()
        ),
        Value::Int(BOT_UID)
    );
    assert_eq!(
        value(
            call(
                &sim,
                "common",
                "authenticate",
                auth(DEMO_DB, BOT_LOGIN, BOT_API_KEY)
            )
            .await
            .unwrap()
        ),
        Value::Int(BOT_UID)
    );
    assert_eq!(
        value(
            call(
                &sim,
                "common",
                "authenticate",
                auth(DEMO_DB, BOT_LOGIN, "nope")
            )
            .await
            .unwrap()
        ),
        Value::Bool(false)
    );
    let (code, text) = fault(
        call(
            &sim,
            "common",
            "authenticate",
            auth("other_db", BOT_LOGIN, BOT_PASSWORD),
        )
        .await
        .unwrap(),
    );
    assert_eq!(code, 1);
    assert!(
        text.trim_end()
            .ends_with("database \"other_db\" does not exist")
    );
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        "nope",
        "res.partner",
        "search",
        vec![Value::Array(vec![])],
        Struct::new(),
    )
    .await
    .unwrap();
    assert_eq!(fault(r), (3, "Access Denied".to_owned()));
}

#[tokio::test]
async fn journal_items_need_the_billing_group_and_the_refusal_names_it() {
    let sim = start(OdooVersion::V18).await;
    let r = execute_kw(
        &sim,
        DEMO_DB,
        NO_BILLING_UID,
        NO_BILLING_PASSWORD,
        "account.move.line",
        "search_read",
        receivable_domain(),
        Struct::new().with("limit", 5i64),
    )
    .await
    .unwrap();
    let (code, text) = fault(r);
    assert_eq!(code, 4);
    assert!(
        text.starts_with(
            "You are not allowed to access 'Journal Item' (account.move.line) records."
        ),
        "{text}"
    );
    assert!(text.contains("\n\t- Invoicing/Invoicing\n"), "{text}");
    assert!(text.ends_with("Contact your administrator to request access if necessary."));
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "account.move.line",
        "search_read",
        receivable_domain(),
        Struct::new()
            .with("limit", 5i64)
            .with("fields", vec!["move_name", "parent_state"]),
    )
    .await
    .unwrap();
    let lines = value(r);
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 5);
    for l in lines {
        let l = l.as_struct().unwrap();
        assert!(l.get("move_name").and_then(Value::as_str).is_some());
        assert!(l.get("parent_state").and_then(Value::as_str).is_some());
    }
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "ir.model",
        "search_read",
        vec![Value::Array(vec![])],
        Struct::new(),
    )
    .await
    .unwrap();
    assert_eq!(fault(r).0, 4);
    let r = execute_kw(
        &sim,
        DEMO_DB,
        2,
        "admin",
        "ir.model",
        "search_read",
        vec![Value::Array(vec![leaf("model", "=", "res.partner")])],
        Struct::new().with("fields", vec!["model"]),
    )
    .await
    .unwrap();
    assert_eq!(value(r).as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn allowed_companies_must_be_the_users() {
    let sim = start(OdooVersion::V18).await;
    sim.with_world(|w| w.user_mut(BOT_UID).unwrap().company_ids = vec![1]);
    let ctx = |ids: Vec<i64>| {
        Struct::new().with(
            "context",
            Value::Struct(Struct::new().with("allowed_company_ids", ids)),
        )
    };
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "account.move",
        "search",
        vec![Value::Array(vec![])],
        ctx(vec![2]),
    )
    .await
    .unwrap();
    assert_eq!(
        fault(r),
        (4, "Access to unauthorized or invalid companies.".to_owned())
    );
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "account.move",
        "search_read",
        vec![Value::Array(vec![])],
        ctx(vec![1]).with("fields", vec!["company_id"]),
    )
    .await
    .unwrap();
    let moves = value(r);
    assert!(!moves.as_array().unwrap().is_empty());
    for m in moves.as_array().unwrap() {
        assert_eq!(
            m.as_struct()
                .unwrap()
                .get("company_id")
                .unwrap()
                .as_many2one()
                .unwrap()
                .0,
            1
        );
    }
}

#[tokio::test]
async fn message_post_escapes_plain_bodies_and_needs_an_author_email() {
    let sim = start(OdooVersion::V18).await;
    let partner = sim.with_world(|w| {
        w.tables["res.partner"]
            .rows
            .iter()
            .find(|(_, r)| r.get("customer_rank") == Some(&Value::Int(1)))
            .map(|(id, _)| *id)
            .unwrap()
    });
    let post = |body: &str, html: bool| {
        let kwargs = Struct::new()
            .with("body", body)
            .with("body_is_html", html)
            .with("message_type", "comment")
            .with("subtype_xmlid", "mail.mt_note");
        let sim = &sim;
        async move {
            execute_kw(
                sim,
                DEMO_DB,
                BOT_UID,
                BOT_PASSWORD,
                "res.partner",
                "message_post",
                vec![Value::Array(vec![Value::Int(partner)])],
                kwargs,
            )
            .await
            .unwrap()
        }
    };
    let id = value(post("<b>x</b> & y", false).await).as_i64().unwrap();
    let body = sim.with_world(|w| w.stored("mail.message", id, "body").cloned());
    assert_eq!(
        body,
        Some(Value::from("<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"))
    );
    let id = value(post("<p>Relance <b>2</b></p>", true).await)
        .as_i64()
        .unwrap();
    assert_eq!(
        sim.with_world(|w| w.stored("mail.message", id, "body").cloned()),
        Some(Value::from("<p>Relance <b>2</b></p>"))
    );
    sim.with_world(|w| w.set_user_email(BOT_UID, None));
    let (code, text) = fault(post("x", false).await);
    assert_eq!(
        (code, text.as_str()),
        (
            2,
            "Unable to send message, please configure the sender's email address."
        )
    );
}

#[tokio::test]
async fn activity_schedule_creates_then_fails_over_xmlrpc_on_18_but_returns_ids_on_19() {
    let sim = start(OdooVersion::V18).await;
    let partner = 100;
    let before = sim.with_world(|w| w.count("mail.activity"));
    let kwargs = Struct::new()
        .with("act_type_xmlid", "mail.mail_activity_data_todo")
        .with("summary", "x");
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "res.partner",
        "activity_schedule",
        vec![Value::Array(vec![Value::Int(partner)])],
        kwargs,
    )
    .await
    .unwrap();
    let (code, text) = fault(r);
    assert_eq!(code, 1);
    assert!(
        text.trim_end()
            .ends_with("TypeError: cannot marshal <class 'odoo.api.mail.activity'> objects")
    );
    assert_eq!(
        sim.with_world(|w| w.count("mail.activity")),
        before + 1,
        "the activity exists although the call failed"
    );
    // Odoo 19 marshals the recordset as its ids, over XML-RPC as over JSON-2 (real 19).
    let sim = start(OdooVersion::V19).await;
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "res.partner",
        "activity_schedule",
        vec![Value::Array(vec![Value::Int(partner)])],
        Struct::new()
            .with("act_type_xmlid", "mail.mail_activity_data_todo")
            .with("summary", "x"),
    )
    .await
    .unwrap();
    assert_eq!(value(r).as_ids().map(|ids| ids.len()), Some(1));
    let reply = reqwest::Client::new()
        .post(format!("{}/json/2/res.partner/activity_schedule", sim.url()))
        .header("Authorization", format!("bearer {BOT_API_KEY}"))
        .header("X-Odoo-Database", DEMO_DB)
        .body(serde_json::json!({"ids": [partner], "act_type_xmlid": "mail.mail_activity_data_todo", "summary": "y"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let ids: Vec<i64> = reply.json().await.unwrap();
    assert_eq!(ids.len(), 1);
    let bad = reqwest::Client::new()
        .post(format!("{}/json/2/res.partner/search", sim.url()))
        .header("Authorization", format!("bearer {BOT_PASSWORD}"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401, "a password is not an API key");
}

#[tokio::test]
async fn address_get_prefers_the_invoicing_contact() {
    let sim = start(OdooVersion::V18).await;
    let (company, invoice_contact) = sim.with_world(|w| {
        w.tables["res.partner"]
            .rows
            .iter()
            .find(|(_, r)| r.get("type") == Some(&Value::from("invoice")))
            .map(|(id, r)| (r.get("parent_id").unwrap().as_i64().unwrap(), *id))
            .unwrap()
    });
    let r = execute_kw(
        &sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "res.partner",
        "address_get",
        vec![
            Value::Array(vec![Value::Int(company)]),
            vec!["invoice"].into(),
        ],
        Struct::new(),
    )
    .await
    .unwrap();
    let v = value(r);
    let s = v.as_struct().unwrap();
    assert_eq!(s.get("invoice"), Some(&Value::Int(invoice_contact)));
    assert_eq!(s.get("contact"), Some(&Value::Int(company)));
}
