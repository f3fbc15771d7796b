//! Sessions, refusals and reads: the requests relanced sends to connect, to check its
//! rights (`relanced check`) and to read, and the errors Odoo answers to them.

use crate::cases_write::Created;
use crate::pair::{Norm, Pair, Request, Who};
use relanced::odoo::api::Call;
use relanced::odoo::{Struct, Value, leaf};

fn strings(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| Value::from(*n)).collect())
}

/// `version`, `authenticate` (good, wrong key, unknown database) and `context_get`
/// (relanced's JSON-2 session), with a good and a wrong key.
pub async fn session(p: &mut Pair) {
    p.same("version", Request::Version, None, Norm::default())
        .await;
    let uid = Norm {
        bot_uid: true,
        ..Norm::default()
    };
    let auth = |good, db| Request::Authenticate { good, db };
    p.same("authenticate", auth(true, None), None, uid).await;
    p.same("authenticate wrong key", auth(false, None), None, uid)
        .await;
    p.same(
        "authenticate unknown database",
        auth(true, Some("no_such_db")),
        None,
        uid,
    )
    .await;
    // The users' language and time zone are set alike on both sides; the uid differs.
    let users = Norm {
        user_ids: true,
        ..Norm::default()
    };
    let context = || Call::read("res.users", "context_get");
    p.same(
        "context_get",
        Request::call(Who::Bot, context()),
        None,
        users,
    )
    .await;
    p.same(
        "context_get wrong key",
        Request::call(Who::WrongKey, context()),
        None,
        users,
    )
    .await;
    p.same(
        "search unknown database",
        Request::Call {
            who: Who::Bot,
            call: Call::read("res.partner", "search_count").arg("domain", Value::Array(vec![])),
            db: Some("no_such_db"),
            raw: None,
        },
        None,
        Norm::default(),
    )
    .await;
}

/// Unknown model, field, method; private method; rights of a user without Billing;
/// `has_access` as `relanced check` asks it; companies the user may not use.
pub async fn errors(p: &mut Pair) {
    let n = Norm::default();
    let search_read = |model: &str, fields: &[&str]| {
        Call::read(model, "search_read")
            .arg("domain", Value::Array(vec![]))
            .arg("fields", strings(fields))
            .arg("limit", 1i64)
    };
    let bot = |call| Request::call(Who::Bot, call);
    let cases = [
        (
            "unknown model",
            bot(search_read("no.such.model", &["name"])),
        ),
        (
            "unknown field",
            bot(search_read("res.partner", &["name", "no_such_field"])),
        ),
        (
            "unknown field in a domain",
            bot(Call::read("res.partner", "search_count")
                .arg("domain", vec![leaf("no_such_field", "=", 1i64)])),
        ),
        (
            "unknown order field",
            bot(search_read("res.partner", &["name"]).arg("order", "no_such_field desc")),
        ),
        (
            "private method",
            bot(Call::read("res.partner", "_get_name")),
        ),
        (
            "unknown method",
            bot(Call::read("res.partner", "no_such_method").ids(&[1])),
        ),
        (
            "journal items without Billing",
            Request::call(Who::NoBilling, search_read("account.move.line", &["name"])),
        ),
        (
            "count invoices without Billing",
            Request::call(
                Who::NoBilling,
                Call::read("account.move", "search_count").arg("domain", Value::Array(vec![])),
            ),
        ),
        (
            "unauthorized company",
            bot(search_read("res.partner", &["name"])
                .context(Some(Struct::new().with("allowed_company_ids", vec![99i64])))),
        ),
        (
            "xmlid",
            bot(Call::read("ir.model.data", "check_object_reference")
                .arg("module", "mail")
                .arg("xml_id", "mail_activity_data_call")),
        ),
        (
            "unknown xmlid",
            bot(Call::read("ir.model.data", "check_object_reference")
                .arg("module", "mail")
                .arg("xml_id", "no_such_xmlid")),
        ),
        (
            "model method called with ids",
            bot(search_read("res.partner", &["name"]).ids(&[1])),
        ),
    ];
    for (name, request) in cases {
        p.same(name, request, None, n).await;
    }
    for (who, model, operation) in [
        (Who::Bot, "res.partner", "write"),
        (Who::Bot, "mail.activity", "create"),
        (Who::Bot, "ir.attachment", "create"),
        (Who::Bot, "account.move.line", "read"),
        (Who::NoBilling, "account.move.line", "read"),
        (Who::NoBilling, "account.move", "read"),
        (Who::Bot, "mail.activity.type", "create"),
        (Who::Bot, "res.partner.category", "create"),
    ] {
        // Exactly what `relanced check` sends (ids given, empty).
        let call = Call::read(model, "has_access")
            .ids(&[])
            .arg("operation", operation);
        let name = format!("has_access {operation} {model} as {who:?}");
        p.same(&name, Request::call(who, call), None, n).await;
    }
}

/// `search_read` with fields, limit and order; `read` of existing and missing ids;
/// `search_count`; `fields_get` of a few fields.
pub async fn reads(p: &mut Pair, ids: &Created) {
    let n = Norm {
        user_ids: true,
        ..Norm::default()
    };
    let partner_fields = strings(&[
        "name",
        "email",
        "is_company",
        "category_id",
        "parent_id",
        "child_ids",
        "lang",
        "type",
        "active",
        "country_id",
        "comment",
        "vat",
        "user_id",
        "customer_rank",
        "display_name",
    ]);
    let ours = || vec![leaf("name", "like", "Diff ")];
    let search_read = |order: &str, limit: i64| {
        Call::read("res.partner", "search_read")
            .arg("domain", ours())
            .arg("fields", partner_fields.clone())
            .arg("order", order)
            .arg("limit", limit)
    };
    let bot = |call| Request::call(Who::Bot, call);
    let cases = [
        (
            "search_read order name desc limit 2",
            bot(search_read("name desc", 2)),
        ),
        (
            "search_read order id limit 10",
            bot(search_read("id asc", 10)),
        ),
        (
            "search_read of tags",
            bot(Call::read("res.partner.category", "search_read")
                .arg("domain", vec![leaf("id", "=", ids.tag)])
                .arg("fields", strings(&["name", "color", "active", "parent_id"]))),
        ),
        (
            "read existing and missing ids",
            bot(Call::read("res.partner", "read")
                .ids(&[ids.a, 999_999, ids.c])
                .arg("fields", strings(&["name", "parent_id", "email"]))),
        ),
        (
            "read missing ids",
            bot(Call::read("res.partner", "read")
                .ids(&[999_999])
                .arg("fields", strings(&["name"]))),
        ),
        (
            "search_count",
            bot(Call::read("res.partner", "search_count").arg("domain", ours())),
        ),
        (
            "search_count of nothing",
            bot(Call::read("res.partner", "search_count")
                .arg("domain", vec![leaf("id", "=", 0i64)])),
        ),
        (
            "fields_get of a few partner fields",
            bot(Call::read("res.partner", "fields_get")
                .arg(
                    "allfields",
                    strings(&[
                        "name",
                        "email",
                        "category_id",
                        "parent_id",
                        "lang",
                        "is_company",
                    ]),
                )
                .arg(
                    "attributes",
                    strings(&[
                        "type", "string", "relation", "required", "readonly", "store",
                    ]),
                )),
        ),
        (
            "fields_get of a few journal item fields",
            bot(Call::read("account.move.line", "fields_get")
                .arg(
                    "allfields",
                    strings(&[
                        "move_id",
                        "partner_id",
                        "date_maturity",
                        "amount_residual",
                        "reconciled",
                    ]),
                )
                .arg("attributes", strings(&["type", "relation", "store"]))),
        ),
    ];
    for (name, request) in cases {
        p.same(name, request, None, n).await;
    }
}
