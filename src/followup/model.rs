//! Input types of the engine: what the reader found in Odoo (`Snapshot`) and what the
//! ledger remembers (`LedgerState`).
//!
//! These are plain data, filled by adapters (`odoo/`, `ledger/`) and by tests. They carry
//! no behaviour beyond small, obvious accessors, and they never reach back into Odoo.

use super::ids::CustomerId;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything the engine needs to know about one company at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub company: Company,
    /// Commercial partners with open items, and those still carrying a marker tag.
    pub customers: Vec<Customer>,
    pub items: Vec<OpenItem>,
    /// The invoices (and credit notes, entries) the open items belong to.
    pub invoices: Vec<Invoice>,
    /// Running postponement activities (already filtered on the postponement type and
    /// on "not done" by the reader).
    pub postponements: Vec<Postponement>,
    pub features: Features,
}

/// The company whose receivables are followed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    pub id: i64,
    pub name: String,
    /// ISO code of the company currency, e.g. `EUR`.
    pub currency: String,
    #[serde(default)]
    pub country_code: Option<String>,
}

/// What the Odoo behind the snapshot offers (version dependent fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Features {
    /// `account.move.line.blocked` exists (Odoo ≤ 17).
    #[serde(default)]
    pub item_blocked_field: bool,
    /// `account.move.line.no_followup` exists (Odoo ≥ 19).
    #[serde(default)]
    pub item_no_followup_field: bool,
}

/// `res.partner.trust`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    Good,
    #[default]
    Normal,
    Bad,
}

/// A partner tag (`res.partner.category`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tag {
    pub id: i64,
    pub name: String,
}

/// A user (`res.users`), e.g. a salesperson.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
}

/// A child contact of type `invoice`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub lang: Option<String>,
}

/// A customer: an Odoo commercial partner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    /// Odoo language code, e.g. `fr_FR`.
    #[serde(default)]
    pub lang: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub is_company: bool,
    #[serde(default)]
    pub vat: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    /// Customer reference (`ref`).
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub trust: Trust,
    #[serde(default)]
    pub salesperson: Option<UserRef>,
    #[serde(default)]
    pub invoice_contacts: Vec<Contact>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub street2: Option<String>,
    #[serde(default)]
    pub zip: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub company_id: Option<i64>,
}

impl Customer {
    /// Whether the customer carries a tag of that name (exact, case-sensitive like Odoo).
    pub fn has_tag(&self, name: &str) -> bool {
        self.tags.iter().any(|t| t.name == name)
    }

    /// A business customer (company or VAT number): the recovery indemnity applies.
    pub fn is_business(&self) -> bool {
        self.is_company || self.vat.as_deref().is_some_and(|v| !v.trim().is_empty())
    }
}

/// An open receivable line (`account.move.line`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OpenItem {
    pub id: i64,
    pub move_id: i64,
    pub move_name: String,
    pub customer_id: CustomerId,
    pub date: NaiveDate,
    #[serde(default)]
    pub date_maturity: Option<NaiveDate>,
    /// Residual in company currency (`amount_residual`).
    pub residual_company: Decimal,
    /// Residual in the item's currency (`amount_residual_currency`).
    pub residual_currency: Decimal,
    pub currency: String,
    pub company_currency: String,
    /// `blocked` (Odoo ≤ 17), when the field exists.
    #[serde(default)]
    pub blocked: Option<bool>,
    /// `no_followup` (Odoo ≥ 19), when the field exists.
    #[serde(default)]
    pub no_followup: Option<bool>,
}

impl OpenItem {
    /// `date_maturity`, else the item's date (never the invoice's due date).
    pub fn due_date(&self) -> NaiveDate {
        self.date_maturity.unwrap_or(self.date)
    }

    /// Days overdue at `as_of` (negative before the due date).
    pub fn days_overdue(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.due_date()).num_days()
    }
}

/// The move an item belongs to (`account.move`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    pub name: String,
    /// `not_paid`, `partial`, `in_payment`, `paid`, `reversed`, `blocked`, …
    pub payment_state: String,
    /// `out_invoice`, `out_refund`, `entry`, … when known.
    #[serde(default)]
    pub move_type: Option<String>,
    #[serde(default)]
    pub salesperson: Option<UserRef>,
    pub currency: String,
    #[serde(default)]
    pub invoice_date: Option<NaiveDate>,
    #[serde(default)]
    pub payment_reference: Option<String>,
}

/// What a postponement activity is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PostponementTarget {
    Invoice,
    Customer,
}

/// A `mail.activity` of the postponement type (litigation, payment promise…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postponement {
    pub res_model: PostponementTarget,
    pub res_id: i64,
    /// Until when; an undated one postpones nothing.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
}

impl Postponement {
    /// Running at `as_of`: postponed through its deadline day, counted again the day
    /// after (a payment promised "until 02-15" is not chased on 02-15).
    pub fn is_running(&self, as_of: NaiveDate) -> bool {
        self.deadline.is_some_and(|d| d >= as_of)
    }
}

/// The level an item was last reminded at (1-based index of the enabled levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemLevel {
    pub level: u32,
    pub date: NaiveDate,
}

/// The customer's last communication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerLast {
    pub level: u32,
    pub key: String,
    pub date: NaiveDate,
}

/// What the ledger remembers, keyed by Odoo ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerState {
    pub item_levels: BTreeMap<i64, ItemLevel>,
    pub customer_last: BTreeMap<CustomerId, CustomerLast>,
}

impl LedgerState {
    /// `sent(i)`: the last level item `id` was reminded at, 0 = never.
    pub fn sent(&self, item_id: i64) -> u32 {
        self.item_levels.get(&item_id).map_or(0, |l| l.level)
    }
}
