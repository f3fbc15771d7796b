//! The customers, invoices, open items and users specific to each recorded
//! database (`fu18`, `fu19`), for `World::recorded`.

use crate::access::{GROUP_BILLING, GROUP_PARTNER_MANAGER, GROUP_USER};
use crate::recorded::{RECORDED_API_KEY, s};
use crate::seed::Company;
use crate::world::{UserAccess, World, ids, m2o, row, text};
use odoo_wire::Value;

#[allow(clippy::too_many_arguments)]
fn customer(
    w: &mut World,
    id: i64,
    name: &str,
    email: &str,
    cats: &[i64],
    street: &str,
    city: &str,
    zip: &str,
    country: i64,
    write_date: &str,
) {
    w.put(
        "res.partner",
        id,
        row([
            ("name", s(name)),
            ("email", text(email)),
            ("lang", s("en_US")),
            ("category_id", ids(cats)),
            ("is_company", true.into()),
            ("customer_rank", Value::Int(1)),
            ("type", s("contact")),
            ("street", s(street)),
            ("city", s(city)),
            ("zip", s(zip)),
            ("country_id", Value::Int(country)),
            ("company_id", false.into()),
            ("user_id", false.into()),
            ("active", true.into()),
            ("write_date", s(write_date)),
        ]),
    );
}

#[allow(clippy::too_many_arguments)]
fn invoice(
    w: &mut World,
    id: i64,
    name: &str,
    partner: i64,
    date: &str,
    due: &str,
    total: f64,
    company: i64,
) {
    let move_type = if name.starts_with("RINV") {
        "out_refund"
    } else {
        "out_invoice"
    };
    w.put(
        "account.move",
        id,
        row([
            ("name", s(name)),
            ("partner_id", Value::Int(partner)),
            ("commercial_partner_id", Value::Int(partner)),
            ("invoice_date", s(date)),
            ("date", s(date)),
            ("invoice_date_due", s(due)),
            ("amount_total", total.into()),
            ("amount_residual", total.into()),
            ("payment_state", s("not_paid")),
            ("currency_id", Value::Int(1)),
            ("company_id", Value::Int(company)),
            ("state", s("posted")),
            ("move_type", s(move_type)),
            ("invoice_payment_term_id", false.into()),
            ("ref", false.into()),
        ]),
    );
}

#[allow(clippy::too_many_arguments)]
fn receivable(
    w: &mut World,
    id: i64,
    move_id: i64,
    partner: i64,
    date: &str,
    maturity: &str,
    residual: f64,
    company: i64,
) {
    w.put(
        "account.move.line",
        id,
        row([
            ("move_id", Value::Int(move_id)),
            ("partner_id", Value::Int(partner)),
            ("date", s(date)),
            ("date_maturity", s(maturity)),
            ("amount_residual", residual.into()),
            ("amount_residual_currency", residual.into()),
            ("balance", residual.into()),
            ("currency_id", Value::Int(1)),
            ("company_id", Value::Int(company)),
            ("account_type", s("asset_receivable")),
            ("reconciled", false.into()),
            ("no_followup", false.into()),
        ]),
    );
}

fn company(w: &mut World, id: i64, name: &str, partner: i64) {
    w.put_company(Company {
        id,
        name,
        partner,
        currency: 1,
        country: None,
    });
}

pub(super) fn v18(w: &mut World) {
    company(w, 1, "YourCompany", 1);
    company(w, 2, "Relance SA", 2);
    customer(
        w,
        15,
        "Azure Interior",
        "azure.Interior24@example.com",
        &[5],
        "4557 De Silva St",
        "Fremont",
        "94538",
        233,
        "2026-11-22 07:53:07",
    );
    customer(
        w,
        10,
        "Deco Addict",
        "deco_addict@yourcompany.example.com",
        &[7],
        "77 Santa Barbara Rd",
        "Pleasant Hill",
        "94523",
        233,
        "2026-11-22 07:53:07",
    );
    customer(
        w,
        55,
        "Payé Comptant SA",
        "compta@paye-comptant.example.com",
        &[],
        "Rue de la Loi 1",
        "Bruxelles",
        "1000",
        20,
        "2026-11-22 07:53:07",
    );
    if let Some(r) = w.row_mut("res.partner", 55) {
        r.insert("company_id", Value::Int(2));
    }
    for (id, name, date, total) in [
        (13, "RINV/2026/00004", "2026-11-21", 41750.0),
        (14, "RINV/2026/00005", "2026-11-20", 19250.0),
        (2, "INV/2026/00002", "2026-11-20", 41750.0),
        (3, "INV/2026/00003", "2026-11-19", 19250.0),
        (12, "RINV/2026/00003", "2026-11-12", 31750.0),
    ] {
        invoice(w, id, name, 10, date, "2026-11-22", total, 1);
    }
    // Paid by a payment registered without journal entry: the move says paid,
    // its receivable line stays open.
    invoice(
        w,
        58,
        "INV/2026/00009",
        55,
        "2026-10-03",
        "2026-11-02",
        750.0,
        2,
    );
    if let Some(r) = w.row_mut("account.move", 58) {
        r.insert("payment_state", s("paid"));
        r.insert("matched_payment_ids", ids(&[2]));
    }
    receivable(w, 134, 58, 55, "2026-10-03", "2026-11-02", 750.0, 2);
    w.put(
        "account.move.line",
        133,
        row([
            ("move_id", Value::Int(58)),
            ("partner_id", Value::Int(55)),
            ("date", s("2026-10-03")),
            ("amount_residual", 0.0.into()),
            ("balance", (-750.0).into()),
            ("company_id", Value::Int(2)),
            ("account_type", s("income")),
            ("reconciled", false.into()),
        ]),
    );
    bot(w, 8, 43, "Relance Bot", "bot-password-123", None, &[1, 2]);
    w.put(
        "ir.attachment",
        787,
        row([
            ("name", s("relance-1.pdf")),
            ("res_model", s("res.partner")),
            ("res_id", Value::Int(15)),
            ("mimetype", s("application/pdf")),
        ]),
    );
    w.set_next_id("ir.attachment", 788);
    w.set_next_id("mail.message", 143);
    w.set_next_id("mail.activity", 7);
    w.set_next_id("res.partner.category", 9);
}

pub(super) fn v19(w: &mut World) {
    company(w, 1, "YourCompany", 1);
    company(w, 3, "YourCompany (BE)", 4);
    customer(
        w,
        9,
        "Acme Corporation",
        "acme_corp@yourcompany.example.com",
        &[7, 1],
        "77 Santa Barbara Rd",
        "Pleasant Hill",
        "94523",
        233,
        "2026-11-22 08:32:12",
    );
    customer(
        w,
        15,
        "Azure Interior",
        "azure.Interior24@example.com",
        &[5],
        "4557 De Silva St",
        "Fremont",
        "94538",
        233,
        "2026-11-22 08:29:40",
    );
    customer(
        w,
        13,
        "LightsUp",
        "lightsup@example.com",
        &[],
        "Eignaa tee 12",
        "Uuearu",
        "74407",
        139,
        "2026-11-22 08:29:40",
    );
    // Moves of company 3 are seen by the admin (companies 1 and 3), not by
    // the JSON-2 user (company 1 only), as in the recordings.
    let moves = [
        (38, "INV/2026/00008", 13, "2026-11-22", 750.0, 3),
        (10, "INV/2026/00008", 13, "2026-11-22", 750.0, 1),
        (44, "RINV/2026/00004", 9, "2026-11-20", 19681.25, 3),
        (16, "RINV/2026/00004", 9, "2026-11-20", 20375.0, 1),
        (30, "INV/2026/00002", 9, "2026-11-20", 43475.0, 3),
        (2, "INV/2026/00002", 9, "2026-11-20", 46250.0, 1),
    ];
    for (id, name, partner, date, total, comp) in moves {
        invoice(w, id, name, partner, date, "2026-11-22", total, comp);
    }
    receivable(w, 41, 10, 13, "2026-11-22", "2026-11-22", 750.0, 1);
    receivable(w, 47, 16, 9, "2026-11-20", "2026-11-22", -20375.0, 1);
    receivable(w, 33, 2, 9, "2026-11-20", "2026-11-22", 46250.0, 1);
    if let Some(admin) = w.user_mut(2) {
        admin.company_ids = vec![1, 3];
    }
    bot(w, 7, 40, "JSON Bot", "", Some(RECORDED_API_KEY), &[1]);
    w.set_next_id("mail.message", 223);
    w.set_next_id("mail.activity", 11);
}

fn bot(
    w: &mut World,
    uid: i64,
    partner: i64,
    name: &str,
    password: &str,
    key: Option<&str>,
    companies: &[i64],
) {
    let email = format!("{}@example.com", name.to_lowercase().replace(' ', "-"));
    w.put(
        "res.partner",
        partner,
        row([
            ("name", s(name)),
            ("email", s(&email)),
            ("type", s("contact")),
            ("active", true.into()),
            ("customer_rank", Value::Int(0)),
        ]),
    );
    w.put(
        "res.users",
        uid,
        row([
            ("name", s(name)),
            ("login", s(&email)),
            ("partner_id", Value::Int(partner)),
            ("company_id", m2o(companies.first().copied())),
            ("company_ids", ids(companies)),
            ("active", true.into()),
        ]),
    );
    w.add_user(UserAccess {
        uid,
        login: email,
        password: Some(password.to_owned()).filter(|p| !p.is_empty()),
        api_keys: key.map(str::to_owned).into_iter().collect(),
        groups: vec![
            GROUP_BILLING.into(),
            GROUP_PARTNER_MANAGER.into(),
            GROUP_USER.into(),
        ],
        company_ids: companies.to_vec(),
        company_id: companies.first().copied().unwrap_or(1),
        lang: "en_US".into(),
        tz: "Europe/Brussels".into(),
    });
}
