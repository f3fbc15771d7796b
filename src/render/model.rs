//! The view model of one communication: plain, serialisable data holding everything a
//! template needs to write a reminder email or letter.
//!
//! It is deliberately independent of the follow-up engine's types: the caller maps a
//! planned communication onto it. It must not compute anything a template could get
//! wrong (totals, charges and levels arrive computed); it only carries data.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// One communication (email and/or letter) to one customer at one level.
#[derive(Debug, Clone, Serialize)]
pub struct CommunicationView {
    /// Identifier of this communication (ledger reference), shown in the footer.
    pub reference: String,
    /// Language requested for the customer (`fr`, `nl_BE`, `en_US`…).
    pub lang: String,
    /// The date of the run; "today" in the texts.
    pub as_of: NaiveDate,
    pub company: CompanyInfo,
    pub customer: CustomerInfo,
    /// Email recipients; may be empty (letters only).
    pub recipients: Vec<RecipientView>,
    pub level: LevelInfo,
    /// Overdue (counted) items, listed in the statement.
    pub items: Vec<ItemLine>,
    /// Items not yet due, listed as information.
    pub upcoming: Vec<ItemLine>,
    /// Open credits (credit notes, unmatched payments), listed as information.
    pub credits: Vec<ItemLine>,
    /// One total per currency of the listed overdue items.
    pub totals: Vec<CurrencyTotalView>,
    /// Fees, interest and indemnities, in detail.
    pub charges: Vec<Charge>,
    /// Date from which deliveries or services are suspended (suspension level).
    pub suspension_date: Option<NaiveDate>,
    pub responsible: ResponsibleView,
    /// Reference to put on the payment when several items are paid at once.
    pub payment_reference: Option<String>,
    /// Formatting rules of every currency used above, by ISO code.
    pub currencies: BTreeMap<String, CurrencyInfo>,
    /// A paragraph a person wrote for this customer's reminder (the desk's), plain text:
    /// templates show it escaped, its newlines as line breaks (`| paragraph`).
    #[serde(default)]
    pub personal_paragraph: Option<String>,
}

/// The creditor, printed as letterhead and in payment instructions.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyInfo {
    pub name: String,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub vat: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    /// Local image file (PNG/SVG/JPEG) used as letterhead logo.
    pub logo_path: Option<String>,
    pub bank_accounts: Vec<BankAccount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BankAccount {
    pub bank: Option<String>,
    pub iban: String,
    pub bic: Option<String>,
}

/// The debtor (Odoo commercial partner).
#[derive(Debug, Clone, Serialize)]
pub struct CustomerInfo {
    pub id: i64,
    pub name: String,
    /// Customer reference in Odoo (`ref`).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub lang: String,
    pub is_company: bool,
    /// Postal address, one line per entry, without the name; may be empty.
    pub address_lines: Vec<String>,
    pub vat: Option<String>,
}

impl CustomerInfo {
    /// A business customer (company or VAT number) may owe the fixed recovery indemnity.
    pub fn is_business(&self) -> bool {
        self.is_company || self.vat.as_deref().is_some_and(|v| !v.trim().is_empty())
    }
}

/// Someone the email goes to, as the templates show them.
#[derive(Debug, Clone, Serialize)]
pub struct RecipientView {
    pub name: String,
    pub email: String,
}

/// The level this communication is sent at.
#[derive(Debug, Clone, Serialize)]
pub struct LevelInfo {
    /// Template key: `predue`, `amical`, `standard`, `urgent`, `suspension`, `demeure`.
    pub key: String,
    /// 1-based position in the strategy.
    pub index: u32,
    pub label: String,
    /// Number of levels in the strategy.
    pub count: u32,
}

/// One open item (an `account.move.line`) in a statement.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    /// Move name, e.g. `INV/2026/00012`.
    pub number: String,
    pub date: NaiveDate,
    pub due_date: NaiveDate,
    /// Negative before the due date.
    pub days_overdue: i64,
    pub residual: Decimal,
    pub currency: String,
    /// Level reached by this item after this communication (0 = none).
    pub level_reached: u32,
    pub payment_reference: Option<String>,
}

/// Totals of one currency.
#[derive(Debug, Clone, Serialize)]
pub struct CurrencyTotalView {
    pub currency: String,
    pub overdue: Decimal,
    pub fees: Decimal,
    pub interest: Decimal,
    pub indemnity: Decimal,
    /// `overdue + fees + interest + indemnity`.
    pub total: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChargeKind {
    Fee,
    Interest,
    Indemnity,
}

/// One fee, interest or indemnity amount, with what it is computed on.
#[derive(Debug, Clone, Serialize)]
pub struct Charge {
    pub kind: ChargeKind,
    /// Item it relates to (interest, indemnity), if any.
    pub item: Option<String>,
    pub currency: String,
    pub amount: Decimal,
    /// Annual rate in percent (interest).
    pub rate: Option<Decimal>,
    /// Number of days the interest runs (interest).
    pub days: Option<i64>,
}

/// Whom the customer should contact.
#[derive(Debug, Clone, Serialize)]
pub struct ResponsibleView {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// Where Odoo puts a currency's symbol (`res.currency.position`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolPosition {
    Before,
    After,
}

/// How to format amounts of one currency.
#[derive(Debug, Clone, Serialize)]
pub struct CurrencyInfo {
    pub code: String,
    pub symbol: String,
    pub decimal_places: u32,
    pub position: SymbolPosition,
}

impl CurrencyInfo {
    pub fn new(code: &str, symbol: &str, decimal_places: u32, position: SymbolPosition) -> Self {
        Self {
            code: code.to_owned(),
            symbol: symbol.to_owned(),
            decimal_places,
            position,
        }
    }
}
