//! The I/O half of reading a snapshot: every call to Odoo, in a bounded number that does
//! not grow with the number of customers (open item ids, their records by chunks, tags,
//! customers, contacts, moves by id sets, postponement activities, currencies, users). It returns the raw
//! typed records ([`Fetched`]); turning them into the engine's input is `adapt.rs`'s.

use super::SnapshotRequest;
use crate::odoo::api::{Many2oneAs, OdooApi, SearchOptions, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::features::ServerFeatures;
use crate::odoo::records::{
    ACTIVITY_FIELDS, ACTIVITY_TYPE_FIELDS, ActivityRecord, ActivityTypeRecord, COMPANY_FIELDS,
    CURRENCY_FIELDS, CompanyRecord, CurrencyRecord, INVOICE_FIELDS, InvoiceRecord, OpenItemRecord,
    PARTNER_FIELDS, PartnerRecord, Ref, TAG_FIELDS, TagRecord, USER_FIELDS, UserRecord,
    company_context, read_invoice_contacts, read_open_items, read_typed,
};
use std::collections::{BTreeMap, BTreeSet};

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

/// Reads everything one company's snapshot is made of.
///
/// The open items, then the customers, their contacts and the moves they name, are the
/// only reads that wait for one another: that chain is the critical path, and everything
/// else is in flight beside it (the client's `max_concurrency` bounds them all): the
/// company, the tags, the customers carrying a marker (found by the marker's name), the
/// postponement activities, the currencies and the internal users.
///
/// The big reads (items, moves, customers) ask for many2one values as bare ids
/// ([`Many2oneAs::Id`]): Odoo then computes no `display_name`, which was most of their
/// cost. The only names the engine uses, the currencies' and the salespeople's, come from
/// the two small reads of those models and are put back on the records here.
pub async fn fetch(
    api: &impl OdooApi,
    features: &ServerFeatures,
    request: &SnapshotRequest<'_>,
) -> Result<Fetched, OdooError> {
    let company_id = request.company_id;
    let books = async {
        let (items, marked) = tokio::try_join!(
            read_open_items(api, features, company_id, request.page_size),
            marked_customers(api, request),
        )?;
        let mut customer_ids: BTreeSet<i64> = items
            .iter()
            .filter_map(|i| i.partner_id.as_ref().map(|p| p.id))
            .collect();
        customer_ids.extend(marked);
        let customer_ids: Vec<i64> = customer_ids.into_iter().collect();
        let move_ids: Vec<i64> = items
            .iter()
            .filter_map(|i| i.move_id.as_ref().map(|m| m.id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let (customers, contacts, invoices) = tokio::try_join!(
            read_bare(
                api,
                PartnerRecord::MODEL.name,
                &customer_ids,
                PARTNER_FIELDS,
                None,
                request.page_size,
                PartnerRecord::from_record,
            ),
            read_invoice_contacts(api, &customer_ids, request.page_size),
            read_bare(
                api,
                InvoiceRecord::MODEL.name,
                &move_ids,
                INVOICE_FIELDS,
                Some(company_context(company_id)),
                request.page_size,
                InvoiceRecord::from_record,
            ),
        )?;
        Ok::<_, OdooError>((items, customers, contacts, invoices))
    };
    let (company, tags, postponements, currencies, users, books) = tokio::try_join!(
        read_company(api, company_id),
        read_tags(api, request.page_size),
        read_postponements(api, request),
        read_currencies(api),
        internal_users(api),
        books,
    )?;
    let (mut items, mut customers, contacts, mut invoices) = books;
    let users = with_other_salespeople(api, users, &customers, &invoices).await?;

    // The names the bare reads left empty.
    let name_currency = |r: &mut Option<Ref>| {
        if let Some(r) = r.as_mut()
            && let Some(name) = currencies.get(&r.id)
        {
            r.name.clone_from(name);
        }
    };
    let name_user = |r: &mut Option<Ref>| {
        if let Some(r) = r.as_mut()
            && let Some(user) = users.get(&r.id)
        {
            r.name.clone_from(&user.name);
        }
    };
    for item in &mut items {
        name_currency(&mut item.currency);
        name_currency(&mut item.company_currency);
    }
    for invoice in &mut invoices {
        name_currency(&mut invoice.currency);
        name_user(&mut invoice.salesperson);
    }
    for customer in &mut customers {
        name_user(&mut customer.salesperson);
    }

    let customer_ids: BTreeSet<i64> = customers.iter().map(|c| c.id).collect();
    let move_ids: BTreeSet<i64> = invoices.iter().map(|m| m.id).collect();
    let (mut invoice_postponements, mut customer_postponements) = (Vec::new(), Vec::new());
    for activity in postponements {
        if activity.res_model == InvoiceRecord::MODEL.name && move_ids.contains(&activity.res_id) {
            invoice_postponements.push(activity);
        } else if activity.res_model == PartnerRecord::MODEL.name
            && customer_ids.contains(&activity.res_id)
        {
            customer_postponements.push(activity);
        }
    }
    let active_users = users.values().filter(|u| u.active).map(|u| u.id).collect();
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

/// `read` of `ids` of `model`, many2one values as bare ids, decoded.
async fn read_bare<T>(
    api: &impl OdooApi,
    model: &str,
    ids: &[i64],
    fields: &[&str],
    context: Option<crate::odoo::Struct>,
    chunk: usize,
    decode: fn(&crate::odoo::Struct) -> T,
) -> Result<Vec<T>, OdooError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(api
        .read_chunked(model, ids, fields, context, chunk, Many2oneAs::Id)
        .await?
        .iter()
        .map(decode)
        .collect())
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
/// is taken off once nothing is due any more. Found by the markers' names, so that this
/// read does not wait for the tags.
async fn marked_customers(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
) -> Result<Vec<i64>, OdooError> {
    if request.marker_tags.is_empty() || request.marker_owned.is_empty() {
        return Ok(vec![]);
    }
    let names: Vec<crate::odoo::Value> = request
        .marker_tags
        .iter()
        .map(|n| crate::odoo::Value::from(*n))
        .collect();
    let marked = api
        .search_ids(
            PartnerRecord::MODEL.name,
            vec![leaf("category_id.name", "in", names)],
            None,
        )
        .await?;
    Ok(marked
        .into_iter()
        .filter(|id| request.marker_owned.contains(id))
        .collect())
}

/// Open activities of the postponement type on invoices and customers, all of them in
/// one read (there are few; `fetch` keeps those of this snapshot's records).
async fn read_postponements(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
) -> Result<Vec<ActivityRecord>, OdooError> {
    let types: Vec<i64> = api
        .search_read(
            ActivityTypeRecord::MODEL.name,
            vec![leaf("name", "=", request.postponement_type)],
            ACTIVITY_TYPE_FIELDS,
            Default::default(),
        )
        .await?
        .iter()
        .map(|t| ActivityTypeRecord::from_record(t).id)
        .collect();
    if types.is_empty() {
        return Ok(vec![]);
    }
    let domain = vec![
        leaf(
            "res_model",
            "in",
            vec![InvoiceRecord::MODEL.name, PartnerRecord::MODEL.name],
        ),
        leaf("activity_type_id", "in", types),
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

/// A search that sees archived records too (`active_test` false).
fn with_archived() -> SearchOptions {
    SearchOptions {
        context: Some(crate::odoo::Struct::new().with("active_test", false)),
        ..Default::default()
    }
}

/// Every currency's name by id, archived ones included (a line may be in one).
async fn read_currencies(api: &impl OdooApi) -> Result<BTreeMap<i64, String>, OdooError> {
    Ok(api
        .search_read(
            CurrencyRecord::MODEL.name,
            vec![],
            CURRENCY_FIELDS,
            with_archived(),
        )
        .await?
        .iter()
        .map(CurrencyRecord::from_record)
        .map(|c| (c.id, c.name))
        .collect())
}

/// The internal users, archived ones included (OdooBot, people who left): the
/// salespeople are among them, except a portal user put there by hand.
async fn internal_users(api: &impl OdooApi) -> Result<BTreeMap<i64, UserRecord>, OdooError> {
    Ok(api
        .search_read(
            UserRecord::MODEL.name,
            vec![leaf("share", "=", false)],
            USER_FIELDS,
            with_archived(),
        )
        .await?
        .iter()
        .map(UserRecord::from_record)
        .map(|u| (u.id, u))
        .collect())
}

/// `users` with the salespeople of `customers` and `invoices` it lacks (a portal user
/// named by hand), read by id: none, one request at most.
async fn with_other_salespeople(
    api: &impl OdooApi,
    mut users: BTreeMap<i64, UserRecord>,
    customers: &[PartnerRecord],
    invoices: &[InvoiceRecord],
) -> Result<BTreeMap<i64, UserRecord>, OdooError> {
    let missing: Vec<i64> = customers
        .iter()
        .map(|p| &p.salesperson)
        .chain(invoices.iter().map(|m| &m.salesperson))
        .flatten()
        .map(|u| u.id)
        .filter(|id| !users.contains_key(id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !missing.is_empty() {
        for row in api
            .read(UserRecord::MODEL.name, &missing, USER_FIELDS, None)
            .await?
        {
            let user = UserRecord::from_record(&row);
            users.insert(user.id, user);
        }
    }
    Ok(users)
}
