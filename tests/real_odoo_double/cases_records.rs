//! relanced's own reads (`odoo::records` field lists) on both sides: the records the
//! comparison made, and empty searches on the models the book has no rows of (the
//! field lists must exist on both, and answer the same empty list); the fields by which
//! relanced detects the version's features.

use crate::cases_write::{Created, bot, strings};
use crate::pair::{BOT_PARTNER_ID, Norm, Pair};
use relanced::odoo::api::Call;
use relanced::odoo::records::{
    ACTIVITY_FIELDS, COMPANY_FIELDS, CURRENCY_FIELDS, INVOICE_FIELDS, OPEN_ITEM_FIELDS,
    PARTNER_FIELDS,
};
use relanced::odoo::{Struct, Value, leaf};

pub async fn relanced_reads(p: &mut Pair, ids: &Created) {
    let n = Norm {
        user_ids: true,
        ..Norm::default()
    };
    let paged = |model: &str, domain, fields: &[&str]| {
        // As `OdooApi::search_read_all` pages: `id > last`, `order id asc`, a limit.
        let mut domain: Vec<_> = domain;
        domain.push(leaf("id", ">", 0i64));
        bot(Call::read(model, "search_read")
            .arg("domain", domain)
            .arg("fields", strings(fields))
            .arg("limit", 500i64)
            .arg("order", "id asc"))
    };
    let ours = vec![leaf("id", "in", vec![ids.a, ids.b, ids.c])];
    let on_a = vec![
        leaf("res_model", "=", "res.partner"),
        leaf("res_id", "=", ids.a),
    ];
    let none = || vec![leaf("id", "=", 0i64)];
    let cases = [
        (
            "relanced's partner read, many2one values as bare ids (load false)",
            bot(Call::read("res.partner", "read")
                .ids(&[ids.a, ids.b, ids.c])
                .arg("fields", strings(PARTNER_FIELDS))
                .arg("load", false)),
        ),
        (
            "relanced's partner read",
            paged("res.partner", ours, PARTNER_FIELDS),
        ),
        (
            "relanced's activity read",
            paged("mail.activity", on_a, ACTIVITY_FIELDS),
        ),
        (
            "relanced's open items, none",
            paged("account.move.line", none(), OPEN_ITEM_FIELDS),
        ),
        (
            "relanced's invoices, none",
            paged("account.move", none(), INVOICE_FIELDS),
        ),
        (
            "relanced's companies, none",
            paged("res.company", none(), COMPANY_FIELDS),
        ),
        (
            "relanced's currencies, none",
            paged("res.currency", none(), CURRENCY_FIELDS),
        ),
        (
            "the fields that tell the version's features",
            bot(Call::read("account.move.line", "fields_get")
                .arg(
                    "allfields",
                    strings(&["blocked", "no_followup", "expected_pay_date"]),
                )
                .arg("attributes", strings(&["type", "store"]))),
        ),
        (
            "partner follow-up fields (Enterprise only)",
            bot(Call::read("res.partner", "fields_get")
                .arg(
                    "allfields",
                    strings(&["followup_status", "followup_next_action_date", "trust"]),
                )
                .arg("attributes", strings(&["type"]))),
        ),
    ];
    for (name, request) in cases {
        p.same(name, request, None, n).await;
    }
}

/// A note posted by a user without email: 18 refuses it (fault 2), 19 posts it.
pub async fn author_without_email(p: &mut Pair, ids: &Created) {
    let n = Norm {
        user_ids: true,
        ..Norm::default()
    };
    let email = |v: Value| {
        bot(Call::write("res.partner", "write")
            .ids(&[BOT_PARTNER_ID])
            .positional_arg("vals", Struct::new().with("email", v)))
    };
    p.same(
        "the bot loses its email",
        email(Value::Bool(false)),
        None,
        n,
    )
    .await;
    let note = Call::write("res.partner", "message_post")
        .ids(&[ids.b])
        .arg("body", "<p>Sans adresse</p>")
        .arg("body_is_html", true)
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_note");
    p.same(
        "a note by a user without email",
        bot(note),
        Some("mail.message"),
        n,
    )
    .await;
    p.same(
        "the bot gets its email back",
        email(Value::from("relance-bot@example.com")),
        None,
        n,
    )
    .await;
}
