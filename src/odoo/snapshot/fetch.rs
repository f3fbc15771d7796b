//! The I/O half of reading a snapshot: every call to Odoo, in a bounded number that does
//! not grow with the number of customers (open item ids, their records by chunks, tags, customers,
//! contacts, moves, postponement activities and users by id sets). It returns the raw
//! typed records ([`Fetched`]); turning them into the engine's input is `adapt.rs`'s.

use super::SnapshotRequest;
use crate::odoo::api::{OdooApi, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::features::ServerFeatures;
use crate::odoo::records::{
    ACTIVITY_FIELDS, ACTIVITY_TYPE_FIELDS, ActivityRecord, ActivityTypeRecord, COMPANY_FIELDS,
    CompanyRecord, INVOICE_FIELDS, InvoiceRecord, OpenItemRecord, PARTNER_FIELDS, PartnerRecord,
    Ref, TAG_FIELDS, TagRecord, USER_FIELDS, UserRecord, company_context, read_invoice_contacts,
    read_open_items, read_typed,
};
use std::collections::BTreeSet;

/// What Odoo answered for one company's snapshot, decoded but not yet adapted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fetched {
    pub company_id: i64,
    /// The company, when it can be read.
    pub company: Option<CompanyRecord>,
    /// Its open receivable items.
    pub items: Vec<OpenItemRecord>,
    /// Every partner tag.
    pub tags: Vec<TagRecord>,
    /// The customers: those of the open items, and those carrying a marker this
    /// company's runs put.
    pub customers: Vec<PartnerRecord>,
    /// The invoice-type contacts of these customers.
    pub contacts: Vec<PartnerRecord>,
    /// The moves of the open items.
    pub invoices: Vec<InvoiceRecord>,
    /// Open postponement activities on the moves.
    pub invoice_postponements: Vec<ActivityRecord>,
    /// Open postponement activities on the customers.
    pub customer_postponements: Vec<ActivityRecord>,
    /// The salespeople of the customers and invoices that are active users.
    pub active_users: BTreeSet<i64>,
}

/// Reads everything one company's snapshot is made of. Reads that do not depend on each
/// other are in flight together (the client's `max_concurrency` bounds them): the
/// company, its open items, the tags and the postponement type first; then the customers,
/// their contacts, the moves and the postponements; then the salespeople.
pub async fn fetch(
    api: &impl OdooApi,
    features: &ServerFeatures,
    request: &SnapshotRequest<'_>,
) -> Result<Fetched, OdooError> {
    let company_id = request.company_id;
    let context = Some(company_context(company_id));
    let (company, items, tags, postponement_types) = tokio::try_join!(
        read_company(api, company_id),
        read_open_items(api, features, company_id, request.page_size),
        read_tags(api, request.page_size),
        postponement_types(api, request),
    )?;

    let marker_ids: Vec<i64> = tags
        .iter()
        .filter(|t| request.marker_tags.contains(t.name.as_str()))
        .map(|t| t.id)
        .collect();
    let mut customer_ids: BTreeSet<i64> = items
        .iter()
        .filter_map(|i| i.partner_id.as_ref().map(|p| p.id))
        .collect();
    customer_ids.extend(marked_customers(api, request, marker_ids).await?);
    let customer_ids: Vec<i64> = customer_ids.into_iter().collect();
    let move_ids: Vec<i64> = items
        .iter()
        .filter_map(|i| i.move_id.as_ref().map(|m| m.id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let (customers, contacts, invoices, invoice_postponements, customer_postponements) = tokio::try_join!(
        read_typed(
            api,
            PartnerRecord::MODEL.name,
            &customer_ids,
            PARTNER_FIELDS,
            None,
            PartnerRecord::from_record,
        ),
        read_invoice_contacts(api, &customer_ids, request.page_size),
        read_typed(
            api,
            InvoiceRecord::MODEL.name,
            &move_ids,
            INVOICE_FIELDS,
            context,
            InvoiceRecord::from_record,
        ),
        read_postponements(
            api,
            request,
            &postponement_types,
            InvoiceRecord::MODEL.name,
            &move_ids
        ),
        read_postponements(
            api,
            request,
            &postponement_types,
            PartnerRecord::MODEL.name,
            &customer_ids
        ),
    )?;
    let active_users = active_users(
        api,
        customers
            .iter()
            .map(|p| &p.salesperson)
            .chain(invoices.iter().map(|m| &m.salesperson)),
    )
    .await?;

    Ok(Fetched {
        company_id,
        company,
        items,
        tags,
        customers,
        contacts,
        invoices,
        invoice_postponements,
        customer_postponements,
        active_users,
    })
}

/// The company, when it can be read.
async fn read_company(
    api: &impl OdooApi,
    company_id: i64,
) -> Result<Option<CompanyRecord>, OdooError> {
    Ok(read_typed(
        api,
        CompanyRecord::MODEL.name,
        &[company_id],
        COMPANY_FIELDS,
        Some(company_context(company_id)),
        CompanyRecord::from_record,
    )
    .await?
    .into_iter()
    .next())
}

/// Every tag, once: tag sets are small, and names are what the strategies speak of.
async fn read_tags(api: &impl OdooApi, page_size: usize) -> Result<Vec<TagRecord>, OdooError> {
    Ok(api
        .search_read_all(TagRecord::MODEL.name, vec![], TAG_FIELDS, page_size, None)
        .await?
        .iter()
        .map(TagRecord::from_record)
        .collect())
}

/// Customers carrying one of this company's markers (`marker_owned`), so that a marker
/// is taken off once nothing is due any more.
async fn marked_customers(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
    marker_ids: Vec<i64>,
) -> Result<Vec<i64>, OdooError> {
    if marker_ids.is_empty() {
        return Ok(vec![]);
    }
    let marked = api
        .search_read_all(
            PartnerRecord::MODEL.name,
            vec![leaf("category_id", "in", marker_ids)],
            &["id"],
            request.page_size,
            None,
        )
        .await?;
    Ok(marked
        .iter()
        .filter_map(|r| r.get("id").and_then(crate::odoo::Value::as_i64))
        .filter(|id| request.marker_owned.contains(id))
        .collect())
}

/// The ids of the postponement activity type (by name).
async fn postponement_types(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
) -> Result<Vec<i64>, OdooError> {
    Ok(api
        .search_read(
            ActivityTypeRecord::MODEL.name,
            vec![leaf("name", "=", request.postponement_type)],
            ACTIVITY_TYPE_FIELDS,
            Default::default(),
        )
        .await?
        .iter()
        .map(|t| ActivityTypeRecord::from_record(t).id)
        .collect())
}

/// Open activities of the postponement types on the records `ids` of `model`.
async fn read_postponements(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
    type_ids: &[i64],
    model: &str,
    ids: &[i64],
) -> Result<Vec<ActivityRecord>, OdooError> {
    if type_ids.is_empty() || ids.is_empty() {
        return Ok(vec![]);
    }
    let domain = vec![
        leaf("res_model", "=", model),
        leaf("res_id", "in", ids.to_vec()),
        leaf("activity_type_id", "in", type_ids.to_vec()),
    ];
    let rows = api
        .search_read_all(
            ActivityRecord::MODEL.name,
            domain,
            ACTIVITY_FIELDS,
            request.page_size,
            None,
        )
        .await?;
    Ok(rows.iter().map(ActivityRecord::from_record).collect())
}

/// Which of the salespeople named by customers and invoices are active users.
async fn active_users(
    api: &impl OdooApi,
    refs: impl Iterator<Item = &Option<Ref>>,
) -> Result<BTreeSet<i64>, OdooError> {
    let ids: Vec<i64> = refs
        .flatten()
        .map(|u| u.id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(BTreeSet::new());
    }
    Ok(api
        .read(UserRecord::MODEL.name, &ids, USER_FIELDS, None)
        .await?
        .iter()
        .map(UserRecord::from_record)
        .filter(|u| u.active)
        .map(|u| u.id)
        .collect())
}
