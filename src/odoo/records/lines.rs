//! Open receivable lines (`account.move.line`): their declaration, decoding, the domain
//! that selects them and their paged read. Which lines are followed up is the engine's
//! business, not this module's.

use super::company_context;
use super::declare::{FieldType::*, Model, Reader, Ref, feature, filter, read, read_names};
use crate::odoo::api::{Many2oneAs, OdooApi, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::features::ServerFeatures;
use crate::odoo::{Struct, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;

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

impl OpenItemRecord {
    pub const MODEL: Model = Model {
        name: "account.move.line",
        fields: &[
            read("move_id", Many2one),
            read("move_name", Char),
            read("partner_id", Many2one),
            read("company_id", Many2one),
            read("date", Date),
            read("date_maturity", Date),
            read("amount_residual", Monetary),
            read("amount_residual_currency", Monetary),
            read("currency_id", Many2one),
            read("company_currency_id", Many2one),
            filter("account_type", Selection),
            filter("parent_state", Selection),
            filter("reconciled", Boolean),
            feature("blocked", Boolean),
            feature("no_followup", Boolean),
        ],
    };

    /// Decodes a line; `flag_field` is the exclusion flag read, if the server has one.
    pub fn from_record(r: &Struct, flag_field: Option<&str>) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            move_id: r.m2o("move_id"),
            move_name: r.text("move_name"),
            partner_id: r.m2o("partner_id"),
            company_id: r.m2o("company_id").map(|c| c.id).unwrap_or_default(),
            date: r.date("date"),
            date_maturity: r.date("date_maturity"),
            amount_residual: r.money("amount_residual"),
            amount_residual_currency: r.money("amount_residual_currency"),
            currency: r.m2o("currency_id"),
            company_currency: r.m2o("company_currency_id"),
            excluded_flag: flag_field.map(|f| r.flag(f)),
        }
    }
}

/// The fields every read of open items sends (the exclusion flag is added when the
/// server has one).
pub const OPEN_ITEM_FIELDS: &[&str] = &read_names::<10>(&OpenItemRecord::MODEL);

/// The domain of open receivable items of one company.
pub fn open_items_domain(company_id: i64) -> Vec<Value> {
    vec![
        leaf("account_type", "=", "asset_receivable"),
        leaf("parent_state", "=", "posted"),
        leaf("reconciled", "=", false),
        leaf("company_id", "=", company_id),
    ]
}

/// Reads every open receivable item of a company: their ids, then `page_size` records
/// per `read`.
pub async fn read_open_items(
    api: &impl OdooApi,
    features: &ServerFeatures,
    company_id: i64,
    page_size: usize,
) -> Result<Vec<OpenItemRecord>, OdooError> {
    let flag_field = features.line_flag_field();
    let mut fields = OPEN_ITEM_FIELDS.to_vec();
    fields.extend(flag_field);
    // The ids in one `search`, then their records by chunks in flight together: the
    // pages of a `search_read` paged by id could only be asked one after the other.
    let context = Some(company_context(company_id));
    let ids = api
        .search_ids(
            OpenItemRecord::MODEL.name,
            open_items_domain(company_id),
            context.clone(),
        )
        .await?;
    let records = api
        .read_chunked(
            OpenItemRecord::MODEL.name,
            &ids,
            &fields,
            context,
            page_size,
            Many2oneAs::Id,
        )
        .await?;
    Ok(records
        .iter()
        .map(|r| OpenItemRecord::from_record(r, flag_field))
        .collect())
}
