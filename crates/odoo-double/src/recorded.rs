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

use crate::OdooVersion;
use crate::access;
use crate::world::{UserAccess, World, row};
use chrono::NaiveDate;
use odoo_wire::Value;

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
            OdooVersion::V18 => super::recorded_dbs::v18(&mut w),
            OdooVersion::V19 => super::recorded_dbs::v19(&mut w),
        }
        w
    }
}

pub(super) fn s(v: &str) -> Value {
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
    w.put_countries(&[
        (20, "Belgium", "BE"),
        (75, "France", "FR"),
        (139, "Montenegro", "ME"),
        (231, "United Kingdom", "GB"),
        (233, "United States", "US"),
    ]);
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
        w.put_activity_type(id, name, category, sequence, true);
    }
    w.put_activity_type(6, "Exception", "default", 6, false);
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
    // Recorded ids: `first` is the email type's xmlid, then call, meeting…
    for (offset, name) in (0i64..).zip(names) {
        let xmlid = format!("mail_activity_data_{name}");
        w.put_xmlid(
            first + offset,
            "mail",
            &xmlid,
            "mail.activity.type",
            offset + 1,
        );
    }
    w.put_subtypes(100);
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
