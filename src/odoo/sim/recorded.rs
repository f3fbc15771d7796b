//! `World::recorded(version)`: the records of the databases the recordings in
//! `../shared/odoo-*/` were made on (`fu18`, `fu19`), typed in from the
//! recorded answers, with the ids the recorded creations returned next.
//!
//! Only stored values are given here; computed fields (`move_name`,
//! `parent_state`, `child_ids`, `line_ids`, `commercial_partner_id`…), orders
//! and filters are the double's own work, which is what the replay test checks.
//! Where two recordings saw different states (a user's companies or email),
//! this is the state of most recordings; the replay test changes it for the
//! others.

use crate::odoo::Value;
use crate::odoo::sim::OdooVersion;
use crate::odoo::sim::access::{self, GROUP_BILLING, GROUP_PARTNER_MANAGER, GROUP_USER};
use crate::odoo::sim::world::{UserAccess, World, ids, m2o, row, text};
use chrono::NaiveDate;

/// The API key of the JSON-2 user of the 19 recordings (the recordings hide
/// the real one).
pub const RECORDED_API_KEY: &str = "recorded-json2-api-key";

/// The uid of the non-admin XML-RPC user of the 18 recordings (`asuser_*`).
pub const RECORDED_BOT_UID: i64 = 8;

impl World {
    /// The recorded database of `version`.
    pub fn recorded(version: OdooVersion) -> World {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let db = match version {
            OdooVersion::V18 => "fu18",
            OdooVersion::V19 => "fu19",
        };
        let mut w = World::empty(db, today);
        w.now = "2026-11-22 08:17:28".into();
        common(&mut w, version);
        match version {
            OdooVersion::V18 => v18(&mut w),
            OdooVersion::V19 => v19(&mut w),
        }
        w
    }
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn common(w: &mut World, version: OdooVersion) {
    w.put(
        "res.currency",
        1,
        row([
            ("name", s("USD")),
            ("symbol", s("$")),
            ("active", true.into()),
        ]),
    );
    w.put(
        "res.currency",
        125,
        row([
            ("name", s("EUR")),
            ("symbol", s("€")),
            ("active", true.into()),
        ]),
    );
    for (id, name, code) in [
        (20, "Belgium", "BE"),
        (75, "France", "FR"),
        (139, "Montenegro", "ME"),
        (231, "United Kingdom", "GB"),
        (233, "United States", "US"),
    ] {
        w.put(
            "res.country",
            id,
            row([("name", s(name)), ("code", s(code))]),
        );
    }
    w.put("mail.message.subtype", 1, row([("name", s("Discussions"))]));
    w.put(
        "mail.message.subtype",
        2,
        row([("name", s("Note")), ("internal", true.into())]),
    );
    let todo = if version == OdooVersion::V19 { 1 } else { 4 };
    let upload = if version == OdooVersion::V19 {
        "Document"
    } else {
        "Upload Document"
    };
    let types = [
        (1, "Email", "default", if todo == 1 { 2 } else { 1 }),
        (2, "Call", "phonecall", if todo == 1 { 3 } else { 2 }),
        (3, "Meeting", "default", if todo == 1 { 4 } else { 3 }),
        (4, "To-Do", "default", todo),
        (5, upload, "upload_file", 5),
    ];
    for (id, name, category, sequence) in types {
        w.put(
            "mail.activity.type",
            id,
            row([
                ("name", s(name)),
                ("category", s(category)),
                ("sequence", Value::Int(sequence)),
                ("active", true.into()),
            ]),
        );
    }
    w.put(
        "mail.activity.type",
        6,
        row([
            ("name", s("Exception")),
            ("category", s("default")),
            ("sequence", Value::Int(6)),
            ("active", false.into()),
        ]),
    );
    let first = if version == OdooVersion::V19 {
        13740
    } else {
        11737
    };
    let names = [
        "email",
        "call",
        "meeting",
        "todo",
        "upload_document",
        "warning",
    ];
    let order = [1, 2, 3, 4, 5, 6];
    for (i, (name, res_id)) in names.iter().zip(order).enumerate() {
        // The recorded ids: email first, then call, meeting, todo… (call is first + 1).
        let id = first + [0, 1, 2, 3, 4, 5][i];
        w.put(
            "ir.model.data",
            id,
            row([
                ("module", s("mail")),
                ("name", s(&format!("mail_activity_data_{name}"))),
                ("model", s("mail.activity.type")),
                ("res_id", Value::Int(res_id)),
            ]),
        );
    }
    w.put(
        "ir.model.data",
        100,
        row([
            ("module", s("mail")),
            ("name", s("mt_comment")),
            ("model", s("mail.message.subtype")),
            ("res_id", Value::Int(1)),
        ]),
    );
    w.put(
        "ir.model.data",
        101,
        row([
            ("module", s("mail")),
            ("name", s("mt_note")),
            ("model", s("mail.message.subtype")),
            ("res_id", Value::Int(2)),
        ]),
    );
    for (i, model) in [
        "res.partner",
        "account.move",
        "account.move.line",
        "mail.activity",
        "mail.message",
        "ir.attachment",
        "res.partner.category",
    ]
    .iter()
    .enumerate()
    {
        w.put(
            "ir.model",
            80 + i as i64,
            row([("model", s(model)), ("name", s(access::description(model)))]),
        );
    }
    for (id, name) in [(1, "Vendor"), (5, "Prospects"), (7, "Consulting")] {
        w.put(
            "res.partner.category",
            id,
            row([("name", s(name)), ("active", true.into())]),
        );
    }
    w.put(
        "res.partner",
        3,
        row([
            ("name", s("Mitchell Admin")),
            ("email", s("admin@yourcompany.example.com")),
            ("type", s("contact")),
            ("active", true.into()),
        ]),
    );
    w.put(
        "res.users",
        2,
        row([
            ("name", s("Mitchell Admin")),
            ("login", s("admin")),
            ("partner_id", Value::Int(3)),
            ("company_id", Value::Int(1)),
            ("active", true.into()),
        ]),
    );
    w.add_user(UserAccess {
        uid: 2,
        login: "admin".into(),
        password: Some("admin".into()),
        api_keys: vec![],
        groups: access::admin_groups(),
        company_ids: vec![1],
        company_id: 1,
        lang: "en_US".into(),
        tz: "Europe/Brussels".into(),
    });
    let azure = [
        (27, "Brandon Freeman"),
        (34, "Colleen Diaz"),
        (28, "Nicole Ford"),
    ];
    let deco = [
        (36, "Addison Olson"),
        (19, "Douglas Fletcher"),
        (20, "Floyd Steward"),
    ];
    let deco_parent = if version == OdooVersion::V19 { 9 } else { 10 };
    for (parent, children) in [(15, azure), (deco_parent, deco)] {
        for (id, name) in children {
            w.put(
                "res.partner",
                id,
                row([
                    ("name", s(name)),
                    ("parent_id", Value::Int(parent)),
                    ("type", s("contact")),
                    ("active", true.into()),
                    ("customer_rank", Value::Int(0)),
                ]),
            );
        }
    }
}

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
    w.put(
        "res.partner",
        partner,
        row([
            ("name", s(name)),
            ("is_company", true.into()),
            ("type", s("contact")),
            ("active", true.into()),
        ]),
    );
    w.put(
        "res.company",
        id,
        row([
            ("name", s(name)),
            ("partner_id", Value::Int(partner)),
            ("currency_id", Value::Int(1)),
            ("sequence", Value::Int(id)),
        ]),
    );
}

fn v18(w: &mut World) {
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

fn v19(w: &mut World) {
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
