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

use crate::OdooVersion;
use crate::gen_names::{self as names, Rng};
use crate::world::{World, ids, m2o, row, text};
use chrono::NaiveDate;
use odoo_wire::Value;
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
pub(super) enum Status {
    Open,
    Partial,
    Paid,
    InPayment,
    PaidWithoutEntry,
    Draft,
}

pub(super) struct Generator<'o> {
    pub(super) o: &'o GeneratorOptions,
    pub(super) rng: Rng,
    pub(super) w: World,
    pub(super) seq: HashMap<(i64, &'static str, i32), u32>,
    pub(super) salespeople: Vec<i64>,
}

pub(super) fn s(v: &str) -> Value {
    Value::from(v)
}

pub(super) fn money(cents: i64) -> Value {
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
        let name = if i == 3 {
            // Always one markup-injecting name, whatever the seed.
            names::HOSTILE[0].to_owned()
        } else if i > 15 && r.below(200) == 0 {
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
}
