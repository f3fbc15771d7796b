//! Typed reads of what the engine needs. Each record type declares its Odoo model and
//! the fields it uses once ([`Model`], `declare.rs`): the reads send exactly the declared
//! fields and `relanced check` verifies exactly these ([`MODELS`]). Reads are bounded:
//! paged `search_read` of open items, then invoices, customers, contacts and activities
//! by id sets, never one call per customer. Nothing here decides who gets reminded.

mod activities;
mod company;
mod declare;
mod lines;
mod moves;
mod partners;
#[cfg(test)]
mod tests;

pub use activities::{
    ACTIVITY_FIELDS, ACTIVITY_TYPE_FIELDS, ActivityRecord, ActivityTypeRecord, USER_FIELDS,
    UserRecord, read_activities,
};
pub use company::{COMPANY_FIELDS, CURRENCY_FIELDS, CompanyRecord, CurrencyRecord};
pub use declare::{Field, FieldType, Model, Ref, Use, read_names};
pub use lines::{OPEN_ITEM_FIELDS, OpenItemRecord, open_items_domain, read_open_items};
pub use moves::{INVOICE_FIELDS, InvoiceRecord};
pub use partners::{PARTNER_FIELDS, PartnerRecord, TAG_FIELDS, TagRecord, read_invoice_contacts};

use crate::odoo::Struct;
use crate::odoo::api::OdooApi;
use crate::odoo::error::OdooError;
use declare::{FieldType::*, write};

/// Letters attached to customers (`ir.attachment`): only created, never read.
pub const ATTACHMENT: Model = Model {
    name: "ir.attachment",
    fields: &[
        write("name", Char),
        write("datas", Binary),
        write("res_model", Char),
        write("res_id", Many2oneReference),
        write("mimetype", Char),
    ],
};

/// Every model relanced uses, with the fields it uses of each: what `relanced check`
/// verifies, in the order it reports them.
pub const MODELS: &[Model] = &[
    OpenItemRecord::MODEL,
    InvoiceRecord::MODEL,
    PartnerRecord::MODEL,
    TagRecord::MODEL,
    ActivityRecord::MODEL,
    ActivityTypeRecord::MODEL,
    ATTACHMENT,
    CurrencyRecord::MODEL,
    CompanyRecord::MODEL,
    UserRecord::MODEL,
];

/// `{allowed_company_ids: [id]}`: read as that company.
pub fn company_context(company_id: i64) -> Struct {
    Struct::new().with("allowed_company_ids", vec![company_id])
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
