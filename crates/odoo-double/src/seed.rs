//! Reference records that every world of the double holds, whether generated
//! (`gen_reference`) or typed in from the recordings (`recorded`): countries,
//! message subtypes, companies and their partners, activity types, xmlids.
//! One way to put each, so that both kinds of world describe them alike. It
//! holds no data of its own: callers say which ids and names.

use crate::world::{World, row};
use odoo_wire::Value;

fn s(v: &str) -> Value {
    Value::from(v)
}

/// A company as seeded: its partner carries its name.
pub(crate) struct Company<'a> {
    pub id: i64,
    pub name: &'a str,
    pub partner: i64,
    pub currency: i64,
    pub country: Option<i64>,
}

impl World {
    /// `ir.model.data` `module.name` pointing at `model` record `res_id`.
    pub(crate) fn put_xmlid(
        &mut self,
        id: i64,
        module: &str,
        name: &str,
        model: &str,
        res_id: i64,
    ) {
        self.put(
            "ir.model.data",
            id,
            row([
                ("module", s(module)),
                ("name", s(name)),
                ("model", s(model)),
                ("res_id", Value::Int(res_id)),
            ]),
        );
    }

    /// The two message subtypes (Discussions 1, Note 2, internal) and their xmlids
    /// `mail.mt_comment`, `mail.mt_note` at `first_xmlid`, `first_xmlid + 1`.
    pub(crate) fn put_subtypes(&mut self, first_xmlid: i64) {
        self.put("mail.message.subtype", 1, row([("name", s("Discussions"))]));
        self.put(
            "mail.message.subtype",
            2,
            row([("name", s("Note")), ("internal", true.into())]),
        );
        self.put_xmlid(first_xmlid, "mail", "mt_comment", "mail.message.subtype", 1);
        self.put_xmlid(
            first_xmlid + 1,
            "mail",
            "mt_note",
            "mail.message.subtype",
            2,
        );
    }

    /// `res.country` records `(id, name, code)`.
    pub(crate) fn put_countries(&mut self, countries: &[(i64, &str, &str)]) {
        for &(id, name, code) in countries {
            self.put(
                "res.country",
                id,
                row([("name", s(name)), ("code", s(code))]),
            );
        }
    }

    /// A company and its partner.
    pub(crate) fn put_company(&mut self, c: Company<'_>) {
        let mut partner = row([
            ("name", s(c.name)),
            ("is_company", true.into()),
            ("type", s("contact")),
            ("active", true.into()),
        ]);
        let mut company = row([
            ("name", s(c.name)),
            ("partner_id", Value::Int(c.partner)),
            ("currency_id", Value::Int(c.currency)),
            ("sequence", Value::Int(c.id)),
        ]);
        if let Some(country) = c.country {
            partner.insert("country_id", Value::Int(country));
            company.insert("country_id", Value::Int(country));
        }
        self.put("res.partner", c.partner, partner);
        self.put("res.company", c.id, company);
    }

    /// A `mail.activity.type`.
    pub(crate) fn put_activity_type(
        &mut self,
        id: i64,
        name: &str,
        category: &str,
        sequence: i64,
        active: bool,
    ) {
        self.put(
            "mail.activity.type",
            id,
            row([
                ("name", s(name)),
                ("category", s(category)),
                ("sequence", Value::Int(sequence)),
                ("active", active.into()),
            ]),
        );
    }
}
