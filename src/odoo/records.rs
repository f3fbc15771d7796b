//! Typed reads of what the engine needs, decoded from Odoo's conventions (`False` =
//! empty, many2one = `[id, name]`, dates as `YYYY-MM-DD`, money as doubles converted
//! through their decimal text). Reads are bounded: paged `search_read` of open items,
//! then invoices, customers, contacts and activities by id sets, never one call per
//! customer.

use crate::odoo::api::{OdooApi, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::features::Features;
use crate::odoo::{Struct, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A many2one reference.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Ref {
    pub id: i64,
    pub name: String,
}

fn m2o(r: &Struct, field: &str) -> Option<Ref> {
    r.get(field)?.as_many2one().map(|(id, name)| Ref {
        id,
        name: name.to_owned(),
    })
}
fn text(r: &Struct, field: &str) -> Option<String> {
    r.get(field)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}
fn date(r: &Struct, field: &str) -> Option<NaiveDate> {
    let s = r.get(field)?.as_str()?;
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}
fn money(r: &Struct, field: &str) -> Decimal {
    r.get(field).and_then(Value::as_decimal).unwrap_or_default()
}
fn int(r: &Struct, field: &str) -> i64 {
    r.get(field).and_then(Value::as_i64).unwrap_or_default()
}
fn flag(r: &Struct, field: &str) -> bool {
    r.get(field).and_then(Value::as_bool).unwrap_or(false)
}
fn ids(r: &Struct, field: &str) -> Vec<i64> {
    r.get(field).and_then(Value::as_ids).unwrap_or_default()
}

/// An open receivable line (`account.move.line`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OpenItemRecord {
    pub id: i64,
    pub move_id: Option<Ref>,
    pub move_name: Option<String>,
    pub partner_id: Option<Ref>,
    pub company_id: i64,
    pub date: Option<NaiveDate>,
    pub date_maturity: Option<NaiveDate>,
    /// Residual in company currency.
    pub amount_residual: Decimal,
    /// Residual in the document's currency.
    pub amount_residual_currency: Decimal,
    pub currency: Option<Ref>,
    pub company_currency: Option<Ref>,
    /// `blocked` (≤ 17) or `no_followup` (≥ 19), when the server has one.
    pub excluded_flag: Option<bool>,
}

pub const OPEN_ITEM_FIELDS: &[&str] = &[
    "move_id",
    "move_name",
    "partner_id",
    "company_id",
    "date",
    "date_maturity",
    "amount_residual",
    "amount_residual_currency",
    "currency_id",
    "company_currency_id",
];

impl OpenItemRecord {
    pub fn from_record(r: &Struct, flag_field: Option<&str>) -> Self {
        Self {
            id: int(r, "id"),
            move_id: m2o(r, "move_id"),
            move_name: text(r, "move_name"),
            partner_id: m2o(r, "partner_id"),
            company_id: m2o(r, "company_id").map(|c| c.id).unwrap_or_default(),
            date: date(r, "date"),
            date_maturity: date(r, "date_maturity"),
            amount_residual: money(r, "amount_residual"),
            amount_residual_currency: money(r, "amount_residual_currency"),
            currency: m2o(r, "currency_id"),
            company_currency: m2o(r, "company_currency_id"),
            excluded_flag: flag_field.map(|f| flag(r, f)),
        }
    }
}

/// The domain of open receivable items of one company.
pub fn open_items_domain(company_id: i64) -> Vec<Value> {
    vec![
        leaf("account_type", "=", "asset_receivable"),
        leaf("parent_state", "=", "posted"),
        leaf("reconciled", "=", false),
        leaf("company_id", "=", company_id),
    ]
}

/// Reads every open receivable item of a company, paged by id.
pub async fn read_open_items(
    api: &impl OdooApi,
    features: &Features,
    company_id: i64,
    page_size: usize,
) -> Result<Vec<OpenItemRecord>, OdooError> {
    let flag_field = features.line_flag_field();
    let mut fields = OPEN_ITEM_FIELDS.to_vec();
    fields.extend(flag_field);
    let records = api
        .search_read_all(
            "account.move.line",
            open_items_domain(company_id),
            &fields,
            page_size,
            Some(company_context(company_id)),
        )
        .await?;
    Ok(records
        .iter()
        .map(|r| OpenItemRecord::from_record(r, flag_field))
        .collect())
}

/// `{allowed_company_ids: [id]}`: read as that company.
pub fn company_context(company_id: i64) -> Struct {
    Struct::new().with("allowed_company_ids", vec![company_id])
}

/// An invoice, credit note or entry (`account.move`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InvoiceRecord {
    pub id: i64,
    pub name: String,
    pub move_type: String,
    pub payment_state: Option<String>,
    pub salesperson: Option<Ref>,
    pub currency: Option<Ref>,
    pub invoice_date: Option<NaiveDate>,
    pub invoice_date_due: Option<NaiveDate>,
    pub payment_reference: Option<String>,
    pub amount_total: Decimal,
}

pub const INVOICE_FIELDS: &[&str] = &[
    "name",
    "move_type",
    "payment_state",
    "invoice_user_id",
    "currency_id",
    "invoice_date",
    "invoice_date_due",
    "payment_reference",
    "amount_total",
];

impl InvoiceRecord {
    pub fn from_record(r: &Struct) -> Self {
        Self {
            id: int(r, "id"),
            name: text(r, "name").unwrap_or_default(),
            move_type: text(r, "move_type").unwrap_or_default(),
            payment_state: text(r, "payment_state"),
            salesperson: m2o(r, "invoice_user_id"),
            currency: m2o(r, "currency_id"),
            invoice_date: date(r, "invoice_date"),
            invoice_date_due: date(r, "invoice_date_due"),
            payment_reference: text(r, "payment_reference"),
            amount_total: money(r, "amount_total"),
        }
    }
}

/// A customer or one of its contacts (`res.partner`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PartnerRecord {
    pub id: i64,
    pub name: String,
    pub commercial_partner_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub contact_type: Option<String>,
    pub is_company: bool,
    pub lang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vat: Option<String>,
    pub country_code: Option<String>,
    pub reference: Option<String>,
    pub tag_ids: Vec<i64>,
    pub trust: Option<String>,
    pub salesperson: Option<Ref>,
    pub street: Option<String>,
    pub street2: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
}

pub const PARTNER_FIELDS: &[&str] = &[
    "name",
    "commercial_partner_id",
    "parent_id",
    "type",
    "is_company",
    "lang",
    "email",
    "phone",
    "vat",
    "country_code",
    "ref",
    "category_id",
    "trust",
    "user_id",
    "street",
    "street2",
    "zip",
    "city",
];

impl PartnerRecord {
    pub fn from_record(r: &Struct) -> Self {
        Self {
            id: int(r, "id"),
            name: text(r, "name").unwrap_or_default(),
            commercial_partner_id: m2o(r, "commercial_partner_id").map(|p| p.id),
            parent_id: m2o(r, "parent_id").map(|p| p.id),
            contact_type: text(r, "type"),
            is_company: flag(r, "is_company"),
            lang: text(r, "lang"),
            email: text(r, "email"),
            phone: text(r, "phone"),
            vat: text(r, "vat"),
            country_code: text(r, "country_code"),
            reference: text(r, "ref"),
            tag_ids: ids(r, "category_id"),
            trust: text(r, "trust"),
            salesperson: m2o(r, "user_id"),
            street: text(r, "street"),
            street2: text(r, "street2"),
            zip: text(r, "zip"),
            city: text(r, "city"),
        }
    }
}

/// An activity (`mail.activity`), e.g. a postponement on an invoice.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ActivityRecord {
    pub id: i64,
    pub res_model: String,
    pub res_id: i64,
    pub activity_type: Option<Ref>,
    pub deadline: Option<NaiveDate>,
    pub user: Option<Ref>,
    pub summary: Option<String>,
}

pub const ACTIVITY_FIELDS: &[&str] = &[
    "res_model",
    "res_id",
    "activity_type_id",
    "date_deadline",
    "user_id",
    "summary",
];

impl ActivityRecord {
    pub fn from_record(r: &Struct) -> Self {
        Self {
            id: int(r, "id"),
            res_model: text(r, "res_model").unwrap_or_default(),
            res_id: int(r, "res_id"),
            activity_type: m2o(r, "activity_type_id"),
            deadline: date(r, "date_deadline"),
            user: m2o(r, "user_id"),
            summary: text(r, "summary"),
        }
    }
}

/// A currency (`res.currency`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CurrencyRecord {
    pub id: i64,
    pub name: String,
    pub symbol: String,
    pub decimal_places: u32,
    /// `before` or `after`.
    pub position: String,
}

pub const CURRENCY_FIELDS: &[&str] = &["name", "symbol", "decimal_places", "position"];

impl CurrencyRecord {
    pub fn from_record(r: &Struct) -> Self {
        Self {
            id: int(r, "id"),
            name: text(r, "name").unwrap_or_default(),
            symbol: text(r, "symbol").unwrap_or_default(),
            decimal_places: int(r, "decimal_places").clamp(0, 6) as u32,
            position: text(r, "position").unwrap_or_else(|| "after".into()),
        }
    }
}

/// A company (`res.company`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CompanyRecord {
    pub id: i64,
    pub name: String,
    pub currency: Option<Ref>,
    pub partner_id: Option<i64>,
    pub country: Option<Ref>,
    pub vat: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
}

pub const COMPANY_FIELDS: &[&str] = &[
    "name",
    "currency_id",
    "partner_id",
    "country_id",
    "vat",
    "email",
    "phone",
    "street",
    "zip",
    "city",
    "website",
];

impl CompanyRecord {
    pub fn from_record(r: &Struct) -> Self {
        Self {
            id: int(r, "id"),
            name: text(r, "name").unwrap_or_default(),
            currency: m2o(r, "currency_id"),
            partner_id: m2o(r, "partner_id").map(|p| p.id),
            country: m2o(r, "country_id"),
            vat: text(r, "vat"),
            email: text(r, "email"),
            phone: text(r, "phone"),
            street: text(r, "street"),
            zip: text(r, "zip"),
            city: text(r, "city"),
            website: text(r, "website"),
        }
    }
}

/// Reads `ids` of `model` and decodes them with `decode`.
pub async fn read_typed<T>(
    api: &impl OdooApi,
    model: &str,
    ids: &[i64],
    fields: &[&str],
    context: Option<Struct>,
    decode: fn(&Struct) -> T,
) -> Result<Vec<T>, OdooError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(api
        .read(model, ids, fields, context)
        .await?
        .iter()
        .map(decode)
        .collect())
}

/// Invoice-type child contacts of the given customers (one call for all of them).
pub async fn read_invoice_contacts(
    api: &impl OdooApi,
    customer_ids: &[i64],
    page_size: usize,
) -> Result<Vec<PartnerRecord>, OdooError> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    let domain = vec![
        leaf("parent_id", "in", customer_ids.to_vec()),
        leaf("type", "=", "invoice"),
    ];
    let records = api
        .search_read_all("res.partner", domain, PARTNER_FIELDS, page_size, None)
        .await?;
    Ok(records.iter().map(PartnerRecord::from_record).collect())
}

/// Open activities on the given records of `res_model`.
pub async fn read_activities(
    api: &impl OdooApi,
    res_model: &str,
    res_ids: &[i64],
    page_size: usize,
) -> Result<Vec<ActivityRecord>, OdooError> {
    if res_ids.is_empty() {
        return Ok(Vec::new());
    }
    let domain = vec![
        leaf("res_model", "=", res_model),
        leaf("res_id", "in", res_ids.to_vec()),
    ];
    let records = api
        .search_read_all("mail.activity", domain, ACTIVITY_FIELDS, page_size, None)
        .await?;
    Ok(records.iter().map(ActivityRecord::from_record).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_item_from_a_recorded_shape() {
        let r = Struct::new()
            .with("id", 42)
            .with(
                "move_id",
                Value::Array(vec![Value::Int(10), Value::from("INV/2026/00008")]),
            )
            .with(
                "partner_id",
                Value::Array(vec![Value::Int(13), Value::from("LightsUp")]),
            )
            .with(
                "company_id",
                Value::Array(vec![Value::Int(1), Value::from("YourCompany")]),
            )
            .with("date_maturity", "2026-11-22")
            .with("date", "2026-10-23")
            .with("amount_residual", 750.1)
            .with("amount_residual_currency", 750.1)
            .with(
                "currency_id",
                Value::Array(vec![Value::Int(1), Value::from("USD")]),
            )
            .with("move_name", "INV/2026/00008")
            .with("no_followup", false);
        let item = OpenItemRecord::from_record(&r, Some("no_followup"));
        assert_eq!(item.amount_residual.to_string(), "750.1");
        assert_eq!(item.date_maturity, NaiveDate::from_ymd_opt(2026, 11, 22));
        assert_eq!(item.partner_id.as_ref().map(|p| p.id), Some(13));
        assert_eq!(item.excluded_flag, Some(false));
        assert_eq!(item.company_currency, None, "False many2one is empty");
    }
}
