//! A seeded, deterministic generator of realistic worlds of any size:
//! companies (FR and BE in EUR, optional US in USD), customers (companies and
//! individuals, VAT, FR/BE/GB/US, fr_FR/nl_BE/en_US, with or without email,
//! invoicing contacts, salespersons, exclusion and strategy tags, accented and
//! hostile names) and their receivables: invoices with instalments, partial
//! payments, credit notes, unmatched payments, payments registered without
//! journal entry, `in_payment`, two currencies, postponement activities, due
//! dates from 10 days ahead to 120 days late.
//!
//! The first customers always carry each situation, so that a small world
//! still has them all; the rest is drawn from the seed. No clock, no I/O.

use crate::odoo::Value;
use crate::odoo::sim::OdooVersion;
use crate::odoo::sim::access::{self, GROUP_BILLING, GROUP_PARTNER_MANAGER, GROUP_USER};
use crate::odoo::sim::gen_names::{self as names, Rng};
use crate::odoo::sim::world::{UserAccess, World, ids, m2o, row, text};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashMap;

/// Database name of generated worlds.
pub const DEMO_DB: &str = "demo";
/// The follow-up user: Billing, Contact Creation, Internal User.
pub const BOT_UID: i64 = 6;
pub const BOT_LOGIN: &str = "relance-bot@example.com";
pub const BOT_PASSWORD: &str = "bot-password";
pub const BOT_API_KEY: &str = "demo-api-key";
/// A user without the Billing group (for access checks).
pub const NO_BILLING_UID: i64 = 7;
pub const NO_BILLING_LOGIN: &str = "sales@example.com";
pub const NO_BILLING_PASSWORD: &str = "sales-password";
/// Partner tags.
pub const TAG_EXCLUDED: i64 = 1;
pub const TAG_KEY_ACCOUNTS: i64 = 2;
pub const TAG_GENTLE: i64 = 3;
/// The postponement activity type ("Relance : report").
pub const POSTPONE_TYPE: i64 = 7;
/// Currencies.
pub const EUR: i64 = 1;
pub const USD: i64 = 2;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GeneratorOptions {
    pub seed: u64,
    pub customers: usize,
    /// Inclusive range of invoices per customer.
    pub invoices_per_customer: (u32, u32),
    pub as_of: NaiveDate,
    pub version: OdooVersion,
    /// Adds a US company in USD.
    pub us_company: bool,
}

impl Default for GeneratorOptions {
    fn default() -> Self {
        GeneratorOptions {
            seed: 42,
            customers: 50,
            invoices_per_customer: (1, 6),
            as_of: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            version: OdooVersion::V18,
            us_company: true,
        }
    }
}

impl World {
    /// A generated world (see [`GeneratorOptions`]).
    pub fn generated(options: &GeneratorOptions) -> World {
        Generator::new(options).run()
    }
}

/// How an invoice stands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Status {
    Open,
    Partial,
    Paid,
    InPayment,
    PaidWithoutEntry,
    Draft,
}

struct Generator<'o> {
    o: &'o GeneratorOptions,
    rng: Rng,
    w: World,
    seq: HashMap<(i64, &'static str, i32), u32>,
    salespeople: Vec<i64>,
}

fn s(v: &str) -> Value {
    Value::from(v)
}

fn money(cents: i64) -> Value {
    Value::Double(cents as f64 / 100.0)
}

impl<'o> Generator<'o> {
    fn new(o: &'o GeneratorOptions) -> Self {
        Generator {
            o,
            rng: Rng::new(o.seed),
            w: World::empty(DEMO_DB, o.as_of),
            seq: HashMap::new(),
            salespeople: Vec::new(),
        }
    }

    fn run(mut self) -> World {
        self.w.now = format!("{} 07:00:00", self.o.as_of);
        self.reference_data();
        self.users();
        for i in 0..self.o.customers {
            self.customer(i);
        }
        self.w
    }

    fn reference_data(&mut self) {
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
        for (id, name, code) in [
            (20, "Belgium", "BE"),
            (75, "France", "FR"),
            (231, "United Kingdom", "GB"),
            (233, "United States", "US"),
        ] {
            w.put(
                "res.country",
                id,
                row([("name", s(name)), ("code", s(code))]),
            );
        }
        let mut companies = vec![
            (1, "Relance Démo SAS", 75, EUR),
            (2, "Relance Demo BV", 20, EUR),
        ];
        if self.o.us_company {
            companies.push((3, "Relance Demo Inc.", 233, USD));
        }
        for (id, name, country, currency) in companies {
            w.put(
                "res.partner",
                id,
                row([
                    ("name", s(name)),
                    ("is_company", true.into()),
                    ("type", s("contact")),
                    ("country_id", Value::Int(country)),
                    ("active", true.into()),
                ]),
            );
            w.put(
                "res.company",
                id,
                row([
                    ("name", s(name)),
                    ("partner_id", Value::Int(id)),
                    ("currency_id", Value::Int(currency)),
                    ("country_id", Value::Int(country)),
                    ("sequence", Value::Int(id)),
                ]),
            );
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
            w.put(
                "mail.activity.type",
                id,
                row([
                    ("name", s(name)),
                    ("category", s(category)),
                    ("sequence", Value::Int(id)),
                    ("active", true.into()),
                ]),
            );
            w.put(
                "ir.model.data",
                1000 + id,
                row([
                    ("module", s("mail")),
                    ("name", s(&format!("mail_activity_data_{xmlid}"))),
                    ("model", s("mail.activity.type")),
                    ("res_id", Value::Int(id)),
                ]),
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
        w.put("mail.message.subtype", 1, row([("name", s("Discussions"))]));
        w.put(
            "mail.message.subtype",
            2,
            row([("name", s("Note")), ("internal", true.into())]),
        );
        w.put(
            "ir.model.data",
            1100,
            row([
                ("module", s("mail")),
                ("name", s("mt_comment")),
                ("model", s("mail.message.subtype")),
                ("res_id", Value::Int(1)),
            ]),
        );
        w.put(
            "ir.model.data",
            1101,
            row([
                ("module", s("mail")),
                ("name", s("mt_note")),
                ("model", s("mail.message.subtype")),
                ("res_id", Value::Int(2)),
            ]),
        );
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

    fn users(&mut self) {
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

    fn customer(&mut self, i: usize) {
        let r = &mut self.rng;
        let country = match (i, r.below(100)) {
            (14, _) | (_, 45..=79) => "BE",
            (11, _) | (_, 80..=89) => "GB",
            (_, 90..) if self.o.us_company => "US",
            (_, 90..) => "GB",
            _ => "FR",
        };
        let country_id = match country {
            "FR" => 75,
            "BE" => 20,
            "GB" => 231,
            _ => 233,
        };
        let lang = match country {
            "FR" => "fr_FR",
            "BE" if i == 14 || r.chance(60) => "nl_BE",
            "BE" => "fr_FR",
            _ => "en_US",
        };
        let is_company = i != 4 && (i < 4 || r.chance(70));
        let person = format!("{} {}", r.pick(names::FIRST), r.pick(names::LAST));
        let name = if i == 3 || (i > 15 && r.below(200) == 0) {
            (*r.pick(names::HOSTILE)).to_owned()
        } else if is_company {
            format!(
                "{} {} {}",
                r.pick(names::TRADES),
                r.pick(names::LAST),
                r.pick(names::suffixes(country))
            )
        } else {
            person.clone()
        };
        let tld = match country {
            "FR" => "fr",
            "BE" => "be",
            "GB" => "co.uk",
            _ => "com",
        };
        let domain = format!("{}.example.{tld}", names::slug(&name));
        let has_email = i != 2 && r.chance(88);
        let vat = match (is_company, country) {
            (true, "FR") => format!("FR{:02}{:09}", r.below(100), r.below(1_000_000_000)),
            (true, "BE") => format!("BE0{:09}", r.below(1_000_000_000)),
            (true, "GB") => format!("GB{:09}", r.below(1_000_000_000)),
            _ => String::new(),
        };
        let (street, zip, city) = *r.pick(names::addresses(country));
        let mut tags = Vec::new();
        if i == 0 || (i > 15 && r.chance(3)) {
            tags.push(TAG_EXCLUDED);
        }
        if i == 1 || (i > 15 && r.chance(10)) {
            tags.push(if r.chance(50) {
                TAG_KEY_ACCOUNTS
            } else {
                TAG_GENTLE
            });
        }
        if r.chance(8) {
            tags.push(4);
        }
        let salesperson = if r.chance(60) {
            m2o(Some(*r.pick(&self.salespeople)))
        } else {
            Value::Bool(false)
        };
        let email = if has_email {
            format!("contact@{domain}")
        } else {
            String::new()
        };
        let id = self.w.insert(
            "res.partner",
            row([
                ("name", s(&name)),
                ("is_company", is_company.into()),
                ("type", s("contact")),
                ("email", text(&email)),
                ("lang", s(lang)),
                ("vat", text(&vat)),
                ("street", s(street)),
                ("zip", s(zip)),
                ("city", s(city)),
                ("country_id", Value::Int(country_id)),
                ("category_id", ids(&tags)),
                ("user_id", salesperson),
                ("customer_rank", Value::Int(1)),
                ("company_id", false.into()),
                ("active", true.into()),
                ("write_date", s(&self.w.now.clone())),
            ]),
        );
        if is_company && (i == 2 || self.rng.chance(20)) {
            let label = names::invoice_contact(lang);
            self.w.insert(
                "res.partner",
                row([
                    ("name", s(label)),
                    ("parent_id", Value::Int(id)),
                    ("type", s("invoice")),
                    ("email", s(&format!("compta@{domain}"))),
                    ("lang", s(lang)),
                    ("active", true.into()),
                ]),
            );
        }
        if is_company && self.rng.chance(30) {
            let contact = format!(
                "{} {}",
                self.rng.pick(names::FIRST),
                self.rng.pick(names::LAST)
            );
            let mail = format!("{}@{domain}", names::slug(&contact));
            self.w.insert(
                "res.partner",
                row([
                    ("name", s(&contact)),
                    ("parent_id", Value::Int(id)),
                    ("type", s("contact")),
                    ("email", s(&mail)),
                    ("lang", s(lang)),
                    ("active", true.into()),
                ]),
            );
        }
        let company = match country {
            "BE" => 2,
            "US" if self.o.us_company => 3,
            _ => 1,
        };
        let (lo, hi) = self.o.invoices_per_customer;
        let count = self.rng.range(i64::from(lo), i64::from(hi.max(lo)));
        for k in 0..count {
            let forced = if k == 0 { i } else { usize::MAX };
            self.invoice(id, company, country, forced);
        }
        if i == 9 || (i > 15 && self.rng.chance(5)) {
            self.unmatched_payment(id, company);
        }
    }

    fn next_name(&mut self, company: i64, prefix: &'static str, date: NaiveDate) -> String {
        let n = self.seq.entry((company, prefix, date.year())).or_insert(0);
        *n += 1;
        format!("{prefix}/{}/{:05}", date.year(), n)
    }

    /// One invoice or credit note; `forced` (a customer index) imposes a situation.
    fn invoice(&mut self, partner: i64, company: i64, country: &str, forced: usize) {
        let r = &mut self.rng;
        let refund = forced == 8 || (forced > 15 && r.chance(6));
        let status = match (forced, r.below(100)) {
            (6, _) => Status::Partial,
            (7, _) => Status::PaidWithoutEntry,
            (10, _) => Status::InPayment,
            (5 | 8 | 11 | 12 | 13, _) => Status::Open,
            (_, _) if refund => {
                if r.chance(70) {
                    Status::Open
                } else {
                    Status::Paid
                }
            }
            (_, 0..=49) => Status::Open,
            (_, 50..=61) => Status::Partial,
            (_, 62..=73) => Status::Paid,
            (_, 74..=79) => Status::InPayment,
            (_, 80..=83) => Status::PaidWithoutEntry,
            (_, 84..=85) => Status::Draft,
            _ => Status::Open,
        };
        let company_currency = if company == 3 { USD } else { EUR };
        let foreign = forced == 11
            || (matches!(country, "GB" | "US") && company_currency == EUR && r.chance(25));
        let currency = if foreign { USD } else { company_currency };
        let rate = if currency == company_currency {
            1.0
        } else {
            0.92
        };
        let instalments = if forced == 5 {
            3
        } else if r.chance(20) {
            r.range(2, 3)
        } else {
            1
        };
        // Every due date falls between 120 days late and 10 days ahead.
        let due_offset = match forced {
            5 => -70,
            _ => r.range(-120, 10 - 30 * (instalments - 1)),
        };
        let total: i64 = r.range(5_000, 2_000_000);
        let first_due = self.o.as_of + Duration::days(due_offset);
        let date = first_due - Duration::days(if r.chance(10) { 0 } else { 30 });
        let draft = status == Status::Draft;
        let prefix = if refund { "RINV" } else { "INV" };
        let name = if draft {
            "/".to_owned()
        } else {
            self.next_name(company, prefix, date)
        };
        let r = &mut self.rng;
        let paid_cents = match status {
            Status::Partial => total * r.range(20, 80) / 100,
            Status::Paid | Status::InPayment => total,
            _ => 0,
        };
        let residual_total = total - paid_cents;
        let payment_state = match status {
            Status::Open | Status::Draft => "not_paid",
            Status::Partial => "partial",
            Status::Paid | Status::PaidWithoutEntry => "paid",
            Status::InPayment => "in_payment",
        };
        let sign = if refund { -1 } else { 1 };
        let mut dues = Vec::new();
        let mut left = total;
        for j in 0..instalments {
            let part = if j + 1 == instalments {
                left
            } else {
                total / instalments
            };
            left -= part;
            dues.push((first_due + Duration::days(30 * j), part));
        }
        let last_due = dues.last().map_or(first_due, |d| d.0);
        let move_id = self.w.insert(
            "account.move",
            row([
                ("name", s(&name)),
                (
                    "move_type",
                    s(if refund { "out_refund" } else { "out_invoice" }),
                ),
                ("state", s(if draft { "draft" } else { "posted" })),
                ("partner_id", Value::Int(partner)),
                ("commercial_partner_id", Value::Int(partner)),
                ("invoice_date", s(&date.to_string())),
                ("date", s(&date.to_string())),
                ("invoice_date_due", s(&last_due.to_string())),
                ("amount_total", money(total)),
                ("amount_untaxed", money(total * 100 / 120)),
                (
                    "amount_residual",
                    money(if status == Status::PaidWithoutEntry {
                        total
                    } else {
                        residual_total
                    }),
                ),
                ("payment_state", s(payment_state)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("invoice_payment_term_id", false.into()),
                ("ref", false.into()),
                ("matched_payment_ids", ids(&[])),
            ]),
        );
        let mut paid_left = paid_cents;
        let v19 = self.o.version == OdooVersion::V19;
        for (j, (due, part)) in dues.iter().enumerate() {
            let paid_here = paid_left.min(*part);
            paid_left -= paid_here;
            let residual = part - paid_here;
            let reconciled = residual == 0 && status != Status::PaidWithoutEntry;
            let residual = if status == Status::PaidWithoutEntry {
                *part
            } else {
                residual
            };
            let company_amount = |c: i64| ((c as f64) * rate).round() as i64;
            let mut line = row([
                ("move_id", Value::Int(move_id)),
                ("partner_id", Value::Int(partner)),
                ("account_id", Value::Int(1)),
                ("account_type", s("asset_receivable")),
                ("name", s(&format!("{name} installment #{}", j + 1))),
                ("date", s(&date.to_string())),
                ("date_maturity", s(&due.to_string())),
                ("balance", money(sign * company_amount(*part))),
                (
                    "debit",
                    money(if refund { 0 } else { company_amount(*part) }),
                ),
                (
                    "credit",
                    money(if refund { company_amount(*part) } else { 0 }),
                ),
                ("amount_currency", money(sign * part)),
                ("amount_residual", money(sign * company_amount(residual))),
                ("amount_residual_currency", money(sign * residual)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("reconciled", reconciled.into()),
            ]);
            if v19 {
                line.insert("no_followup", false.into());
            }
            self.w.insert("account.move.line", line);
        }
        self.w.insert(
            "account.move.line",
            row([
                ("move_id", Value::Int(move_id)),
                ("partner_id", Value::Int(partner)),
                ("account_id", Value::Int(2)),
                ("account_type", s("income")),
                ("name", s("Prestations")),
                ("date", s(&date.to_string())),
                ("balance", money(-sign * total)),
                ("amount_residual", money(0)),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
                ("reconciled", false.into()),
            ]),
        );
        let postpone = forced == 12
            || forced == 13
            || (forced > 15 && status == Status::Open && self.rng.chance(5));
        if postpone && !draft {
            let offset = match forced {
                12 => 14,
                13 => -7,
                _ => self.rng.range(-15, 30),
            };
            let deadline = self.o.as_of + Duration::days(offset);
            self.w.insert(
                "mail.activity",
                row([
                    ("res_model", s("account.move")),
                    ("res_id", Value::Int(move_id)),
                    ("activity_type_id", Value::Int(POSTPONE_TYPE)),
                    ("summary", s("Promesse de paiement")),
                    ("note", s("<p>Le client a promis de payer.</p>")),
                    ("date_deadline", s(&deadline.to_string())),
                    ("user_id", Value::Int(BOT_UID)),
                    ("active", true.into()),
                ]),
            );
        }
    }

    /// A customer payment not matched with any invoice: an open negative line.
    fn unmatched_payment(&mut self, partner: i64, company: i64) {
        let amount = self.rng.range(1_000, 300_000);
        let date = self.o.as_of - Duration::days(self.rng.range(1, 40));
        let name = self.next_name(company, "PBNK", date);
        let currency = if company == 3 { USD } else { EUR };
        let move_id = self.w.insert(
            "account.move",
            row([
                ("name", s(&name)),
                ("move_type", s("entry")),
                ("state", s("posted")),
                ("partner_id", Value::Int(partner)),
                ("commercial_partner_id", Value::Int(partner)),
                ("date", s(&date.to_string())),
                ("amount_total", money(amount)),
                ("amount_residual", money(0)),
                ("payment_state", s("not_paid")),
                ("currency_id", Value::Int(currency)),
                ("company_id", Value::Int(company)),
            ]),
        );
        let mut line = row([
            ("move_id", Value::Int(move_id)),
            ("partner_id", Value::Int(partner)),
            ("account_id", Value::Int(1)),
            ("account_type", s("asset_receivable")),
            ("name", s("Paiement client")),
            ("date", s(&date.to_string())),
            ("date_maturity", s(&date.to_string())),
            ("balance", money(-amount)),
            ("credit", money(amount)),
            ("amount_currency", money(-amount)),
            ("amount_residual", money(-amount)),
            ("amount_residual_currency", money(-amount)),
            ("currency_id", Value::Int(currency)),
            ("company_id", Value::Int(company)),
            ("reconciled", false.into()),
        ]);
        if self.o.version == OdooVersion::V19 {
            line.insert("no_followup", false.into());
        }
        self.w.insert("account.move.line", line);
    }
}
