//! Reference data of generated worlds: companies, currencies, countries,
//! tags, activity types (with the postponement type), subtypes, accounts and
//! users (admin, the follow-up bot, a user without Billing, salespersons).
//! Part of the generator; it draws no random number.

use crate::access::{self, GROUP_BILLING, GROUP_PARTNER_MANAGER, GROUP_USER};
use crate::generator::*;
use crate::seed::Company;
use crate::world::{UserAccess, ids, row};
use odoo_wire::Value;

impl Generator<'_> {
    pub(super) fn reference_data(&mut self) {
        let w = &mut self.w;
        w.put(
            "res.currency",
            EUR,
            row([
                ("name", s("EUR")),
                ("symbol", s("€")),
                ("position", s("after")),
                ("rounding", Value::Double(0.01)),
                ("decimal_places", Value::Int(2)),
                ("active", true.into()),
            ]),
        );
        w.put(
            "res.currency",
            USD,
            row([
                ("name", s("USD")),
                ("symbol", s("$")),
                ("position", s("before")),
                ("rounding", Value::Double(0.01)),
                ("decimal_places", Value::Int(2)),
                ("active", true.into()),
            ]),
        );
        w.put_countries(&[
            (20, "Belgium", "BE"),
            (75, "France", "FR"),
            (231, "United Kingdom", "GB"),
            (233, "United States", "US"),
        ]);
        let mut companies = vec![
            (1, "Relance Démo SAS", 75, EUR),
            (2, "Relance Demo BV", 20, EUR),
        ];
        if self.o.us_company {
            companies.push((3, "Relance Demo Inc.", 233, USD));
        }
        for (id, name, country, currency) in companies {
            w.put_company(Company {
                id,
                name,
                partner: id,
                currency,
                country: Some(country),
            });
        }
        for (id, name, color) in [
            (TAG_EXCLUDED, "Relance : exclu", 1),
            (TAG_KEY_ACCOUNTS, "Relance : Grands comptes", 4),
            (TAG_GENTLE, "Relance : Douce", 10),
            (4, "VIP", 3),
            (5, "Prospect", 2),
        ] {
            w.put(
                "res.partner.category",
                id,
                row([
                    ("name", s(name)),
                    ("color", Value::Int(color)),
                    ("active", true.into()),
                ]),
            );
        }
        let types = [
            (1, "Email", "default", "email"),
            (2, "Call", "phonecall", "call"),
            (3, "Meeting", "default", "meeting"),
            (4, "To-Do", "default", "todo"),
            (5, "Upload Document", "upload_file", "upload_document"),
        ];
        for (id, name, category, xmlid) in types {
            w.put_activity_type(id, name, category, id, true);
            w.put_xmlid(
                1000 + id,
                "mail",
                &format!("mail_activity_data_{xmlid}"),
                "mail.activity.type",
                id,
            );
        }
        w.put(
            "mail.activity.type",
            POSTPONE_TYPE,
            row([
                ("name", s("Relance : report")),
                ("category", s("default")),
                ("sequence", Value::Int(20)),
                ("active", true.into()),
            ]),
        );
        w.put_subtypes(1100);
        w.put(
            "account.account",
            1,
            row([
                ("code", s("411000")),
                ("name", s("Clients")),
                ("account_type", s("asset_receivable")),
            ]),
        );
        w.put(
            "account.account",
            2,
            row([
                ("code", s("706000")),
                ("name", s("Prestations de services")),
                ("account_type", s("income")),
            ]),
        );
        for (i, model) in [
            "res.partner",
            "account.move",
            "account.move.line",
            "mail.activity",
            "mail.message",
            "ir.attachment",
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
    }

    pub(super) fn users(&mut self) {
        let companies: Vec<i64> = if self.o.us_company {
            vec![1, 2, 3]
        } else {
            vec![1, 2]
        };
        let people = [
            (
                2,
                "Mitchell Admin",
                "admin",
                Some("admin"),
                None,
                access::admin_groups(),
                Some("admin@example.com"),
            ),
            (
                BOT_UID,
                "Relance Bot",
                BOT_LOGIN,
                Some(BOT_PASSWORD),
                Some(BOT_API_KEY),
                vec![
                    GROUP_BILLING.into(),
                    GROUP_PARTNER_MANAGER.into(),
                    GROUP_USER.into(),
                ],
                Some(BOT_LOGIN),
            ),
            (
                NO_BILLING_UID,
                "Sales Only",
                NO_BILLING_LOGIN,
                Some(NO_BILLING_PASSWORD),
                None,
                vec![GROUP_PARTNER_MANAGER.into(), GROUP_USER.into()],
                Some(NO_BILLING_LOGIN),
            ),
            (
                10,
                "Camille Martin",
                "camille@example.com",
                None,
                None,
                vec![GROUP_USER.into()],
                Some("camille@example.com"),
            ),
            (
                11,
                "Tom Peeters",
                "tom@example.com",
                None,
                None,
                vec![GROUP_USER.into()],
                Some("tom@example.com"),
            ),
            (
                12,
                "Julie Rousseau",
                "julie@example.com",
                None,
                None,
                vec![GROUP_USER.into()],
                Some("julie@example.com"),
            ),
        ];
        for (uid, name, login, password, key, groups, email) in people {
            let partner = self.w.insert(
                "res.partner",
                row([
                    ("name", s(name)),
                    ("email", email.map_or(Value::Bool(false), s)),
                    ("type", s("contact")),
                    ("active", true.into()),
                ]),
            );
            self.w.put(
                "res.users",
                uid,
                row([
                    ("name", s(name)),
                    ("login", s(login)),
                    ("partner_id", Value::Int(partner)),
                    ("company_id", Value::Int(1)),
                    ("company_ids", ids(&companies)),
                    ("active", true.into()),
                ]),
            );
            self.w.add_user(UserAccess {
                uid,
                login: login.to_owned(),
                password: password.map(str::to_owned),
                api_keys: key.map(str::to_owned).into_iter().collect(),
                groups,
                company_ids: companies.clone(),
                company_id: 1,
                lang: "fr_FR".into(),
                tz: "Europe/Paris".into(),
            });
            if uid >= 10 {
                self.salespeople.push(uid);
            }
        }
        self.w.set_next_id("res.partner", 100);
    }
}
