//! Unit tests of domains, ordering, paging, computed fields and writes, run
//! through the ORM on the recorded 18 world (ids are those of the recordings).

use crate::OdooVersion;
use crate::orm::{self, Env};
use crate::world::World;
use odoo_wire::{Struct, Value};

fn env(companies: &[i64]) -> Env {
    Env {
        version: OdooVersion::V18,
        uid: 2,
        companies: companies.to_vec(),
        context: Struct::new(),
    }
}

fn leaf(f: &str, op: &str, v: impl Into<Value>) -> Value {
    Value::Array(vec![Value::from(f), Value::from(op), v.into()])
}

fn search(w: &World, model: &str, domain: Vec<Value>) -> Vec<i64> {
    let mut ids = orm::search(
        w,
        &env(&[1, 2]),
        model,
        &Value::Array(domain),
        0,
        None,
        Some("id"),
    )
    .unwrap();
    ids.sort_unstable();
    ids
}

#[test]
fn comparison_operators_follow_odoo() {
    let w = World::recorded(OdooVersion::V18);
    let m = "account.move";
    assert_eq!(
        search(&w, m, vec![leaf("amount_total", ">", 40000)]),
        vec![2, 13]
    );
    assert_eq!(
        search(&w, m, vec![leaf("amount_total", "<=", 19250.0)]),
        vec![3, 14, 58]
    );
    assert_eq!(
        search(&w, m, vec![leaf("name", "=like", "RINV/%")]),
        vec![12, 13, 14]
    );
    assert_eq!(
        search(&w, m, vec![leaf("name", "ilike", "rinv/2026/0000")]),
        vec![12, 13, 14]
    );
    assert_eq!(
        search(&w, m, vec![leaf("name", "=ilike", "inv/2026/0000_")]),
        vec![2, 3, 58]
    );
    assert_eq!(
        search(&w, m, vec![leaf("name", "not like", "RINV")]),
        vec![2, 3, 58]
    );
    assert_eq!(
        search(&w, m, vec![leaf("payment_state", "!=", "not_paid")]),
        vec![58]
    );
    assert_eq!(
        search(&w, m, vec![leaf("payment_state", "not in", vec!["paid"])]),
        vec![2, 3, 12, 13, 14]
    );
    assert_eq!(
        search(&w, m, vec![leaf("id", "in", vec![3i64, 58, 999])]),
        vec![3, 58]
    );
}

#[test]
fn prefix_operators_combine_leaves() {
    let w = World::recorded(OdooVersion::V18);
    let m = "account.move";
    let or = vec![Value::from("|"), leaf("id", "=", 2), leaf("id", "=", 3)];
    assert_eq!(search(&w, m, or), vec![2, 3]);
    let not = vec![Value::from("!"), leaf("move_type", "=", "out_refund")];
    assert_eq!(search(&w, m, not), vec![2, 3, 58]);
    // Implicit & between top-level terms, nested with an explicit |.
    let mixed = vec![
        leaf("partner_id", "=", 10),
        Value::from("|"),
        leaf("invoice_date", "<", "2026-11-15"),
        leaf("name", "=", "INV/2026/00002"),
    ];
    assert_eq!(search(&w, m, mixed), vec![2, 12]);
}

#[test]
fn false_matches_empty_values_as_in_odoo() {
    let w = World::recorded(OdooVersion::V18);
    let p = "res.partner";
    let no_parent = search(
        &w,
        p,
        vec![leaf("parent_id", "=", false), leaf("customer_rank", ">", 0)],
    );
    assert_eq!(no_parent, vec![10, 15, 55]);
    let with_parent = search(&w, p, vec![leaf("parent_id", "!=", false)]);
    assert_eq!(with_parent, vec![19, 20, 27, 28, 34, 36]);
    let no_tags = search(
        &w,
        p,
        vec![
            leaf("category_id", "=", false),
            leaf("customer_rank", ">", 0),
        ],
    );
    assert_eq!(no_tags, vec![55]);
    let ml = "account.move.line";
    assert_eq!(
        search(&w, ml, vec![leaf("reconciled", "=", false)]),
        vec![133, 134]
    );
}

#[test]
fn dotted_paths_and_related_fields_read_the_move() {
    let w = World::recorded(OdooVersion::V18);
    let ml = "account.move.line";
    assert_eq!(
        search(&w, ml, vec![leaf("move_id.payment_state", "=", "paid")]),
        vec![133, 134]
    );
    assert_eq!(
        search(
            &w,
            ml,
            vec![
                leaf("parent_state", "=", "posted"),
                leaf("account_type", "=", "asset_receivable")
            ]
        ),
        vec![134]
    );
    assert_eq!(
        search(&w, ml, vec![leaf("move_name", "=", "INV/2026/00009")]),
        vec![133, 134]
    );
    let p = "res.partner";
    assert_eq!(
        search(&w, p, vec![leaf("commercial_partner_id", "=", 15)]),
        vec![15, 27, 28, 34]
    );
    assert_eq!(
        search(&w, p, vec![leaf("parent_id.name", "=", "Deco Addict")]),
        vec![19, 20, 36]
    );
    assert_eq!(
        search(&w, p, vec![leaf("id", "child_of", 10)]),
        vec![10, 19, 20, 36]
    );
}

#[test]
fn unknown_fields_fail_with_odoo_texts() {
    let w = World::recorded(OdooVersion::V18);
    let e = env(&[1]);
    let err = orm::search(
        &w,
        &e,
        "account.move.line",
        &Value::Array(vec![leaf("blocked", "=", false)]),
        0,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), 1);
    assert!(err.fault_string().ends_with(
        "ValueError: Invalid field account.move.line.blocked in leaf ('blocked', '=', False)\n"
    ));
    let err = orm::read(
        &w,
        &e,
        "account.move.line",
        &[134],
        &["blocked".into()],
        true,
    )
    .unwrap_err();
    assert!(
        err.fault_string()
            .ends_with("ValueError: Invalid field 'blocked' on model 'account.move.line'\n")
    );
    let err = orm::search(
        &w,
        &e,
        "account.move",
        &Value::Array(vec![leaf("move_id.nope", "=", 1)]),
        0,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(err.code(), 1);
}

#[test]
fn order_offset_and_limit_page_like_odoo() {
    let w = World::recorded(OdooVersion::V18);
    let e = env(&[1]);
    let all = Value::Array(vec![]);
    let page = |offset, limit, order| {
        orm::search(&w, &e, "account.move", &all, offset, limit, order).unwrap()
    };
    assert_eq!(page(0, None, None), vec![13, 14, 2, 3, 12]);
    assert_eq!(page(1, Some(2), None), vec![14, 2]);
    assert_eq!(page(0, Some(3), Some("id desc")), vec![14, 13, 12]);
    assert_eq!(page(0, None, Some("id asc")), vec![2, 3, 12, 13, 14]);
    assert_eq!(page(0, None, Some("name")), vec![2, 3, 12, 13, 14]);
    assert_eq!(
        page(0, None, Some("amount_total desc, id")),
        vec![2, 13, 12, 3, 14]
    );
    let after = Value::Array(vec![leaf("id", ">", 3)]);
    assert_eq!(
        orm::search(&w, &e, "account.move", &after, 0, Some(2), Some("id")).unwrap(),
        vec![12, 13]
    );
}

#[test]
fn companies_hide_records_of_other_companies() {
    let w = World::recorded(OdooVersion::V18);
    let all = Value::Array(vec![]);
    let only1 = orm::search(&w, &env(&[1]), "account.move", &all, 0, None, Some("id")).unwrap();
    assert!(!only1.contains(&58));
    let only2 = orm::search(&w, &env(&[2]), "account.move", &all, 0, None, Some("id")).unwrap();
    assert_eq!(only2, vec![58]);
}

#[test]
fn writes_apply_many2many_commands_and_refuse_missing_records() {
    let mut w = World::recorded(OdooVersion::V18);
    let e = env(&[1]);
    let tags = |w: &World| {
        w.stored("res.partner", 15, "category_id")
            .and_then(Value::as_ids)
            .unwrap()
    };
    let cmd =
        |c: Vec<Value>| Struct::new().with("category_id", Value::Array(vec![Value::Array(c)]));
    orm::write(
        &mut w,
        &e,
        "res.partner",
        &[15],
        &cmd(vec![4.into(), 7.into()]),
    )
    .unwrap();
    assert_eq!(tags(&w), vec![5, 7]);
    orm::write(
        &mut w,
        &e,
        "res.partner",
        &[15],
        &cmd(vec![3.into(), 5.into()]),
    )
    .unwrap();
    assert_eq!(tags(&w), vec![7]);
    orm::write(
        &mut w,
        &e,
        "res.partner",
        &[15],
        &cmd(vec![6.into(), 0.into(), vec![1i64, 5].into()]),
    )
    .unwrap();
    assert_eq!(tags(&w), vec![1, 5]);
    let err = orm::write(
        &mut w,
        &e,
        "res.partner",
        &[15, 999],
        &Struct::new().with("name", "x"),
    )
    .unwrap_err();
    assert_eq!(err.code(), 2);
    assert!(err.to_string().contains("res.partner(999,)"));
    let err = orm::write(
        &mut w,
        &e,
        "res.partner",
        &[15],
        &Struct::new().with("blocked", true),
    )
    .unwrap_err();
    assert_eq!(err.code(), 1);
}

#[test]
fn creation_applies_context_defaults_and_required_names() {
    let mut w = World::recorded(OdooVersion::V18);
    let mut e = env(&[1]);
    e.context
        .insert("default_res_model", Value::from("res.partner"));
    let vals = Struct::new()
        .with("res_id", 15i64)
        .with("summary", "Appeler");
    let id = orm::create(&mut w, &e, "mail.activity", &vals).unwrap();
    assert_eq!(id, 7);
    assert_eq!(
        w.stored("mail.activity", 7, "res_model"),
        Some(&Value::from("res.partner"))
    );
    assert_eq!(
        w.stored("mail.activity", 7, "date_deadline"),
        Some(&Value::from("2026-11-22"))
    );
    let err = orm::create(
        &mut w,
        &env(&[1]),
        "res.partner",
        &Struct::new().with("name", false),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The operation cannot be completed: Contacts require a name"
    );
    let without_model = orm::create(&mut w, &env(&[1]), "mail.activity", &vals);
    assert_eq!(without_model.unwrap_err().code(), 2);
}

#[test]
fn an_unknown_order_field_is_refused() {
    let w = World::recorded(OdooVersion::V18);
    let all = Value::Array(vec![]);
    let err = orm::search(
        &w,
        &env(&[1]),
        "account.move",
        &all,
        0,
        None,
        Some("blocked desc"),
    )
    .unwrap_err();
    assert!(
        err.fault_string()
            .ends_with("ValueError: Invalid field 'blocked' on model 'account.move'\n")
    );
}

#[test]
fn every_model_searches_with_its_default_order_in_both_versions() {
    for version in [OdooVersion::V18, OdooVersion::V19] {
        let w = World::recorded(version);
        let e = Env {
            version,
            ..env(&[1, 2, 3])
        };
        for model in crate::fields::Schema::get(version).model_names() {
            let found = orm::search(&w, &e, model, &Value::Array(vec![]), 0, None, None);
            assert!(found.is_ok(), "{model} ({version:?}): {found:?}");
        }
    }
}

#[test]
fn texts_on_relational_fields_match_display_names() {
    let w = World::recorded(OdooVersion::V18);
    assert_eq!(
        search(
            &w,
            "account.move",
            vec![leaf("partner_id", "ilike", "deco")]
        ),
        vec![2, 3, 12, 13, 14]
    );
    assert_eq!(
        search(
            &w,
            "account.move",
            vec![leaf("partner_id", "=", "Payé Comptant SA")]
        ),
        vec![58]
    );
    let p = "res.partner";
    assert_eq!(
        search(&w, p, vec![leaf("parent_id", "ilike", "azure")]),
        vec![27, 28, 34]
    );
}
