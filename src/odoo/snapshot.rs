//! Reads one company's [`Snapshot`] for the engine, in a bounded number of calls that
//! does not grow with the number of customers: open items paged by id, then their
//! moves, customers, tags, invoice contacts and postponement activities by id sets.
//!
//! It adapts Odoo's records to the engine's plain input types; it decides nothing.

use crate::followup::{
    Company, Contact, Customer, Features as EngineFeatures, Invoice, OpenItem, Postponement,
    PostponementTarget, Snapshot, Tag, Trust, UserRef,
};
use crate::odoo::Value;
use crate::odoo::api::{OdooApi, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::features::Features;
use crate::odoo::records::{
    ACTIVITY_FIELDS, ActivityRecord, COMPANY_FIELDS, CompanyRecord, INVOICE_FIELDS, InvoiceRecord,
    PARTNER_FIELDS, PartnerRecord, Ref, company_context, read_invoice_contacts, read_open_items,
    read_typed,
};
use std::collections::{BTreeMap, BTreeSet};

/// What to read besides open items.
#[derive(Clone, Debug)]
pub struct SnapshotRequest<'a> {
    pub company_id: i64,
    /// Marker tag names: customers carrying one are read even without open items, so
    /// that a stale marker can be removed.
    pub marker_tags: &'a BTreeSet<&'a str>,
    /// Customers whose marker this company's runs put (from the ledger). A customer
    /// carrying a marker but no open item of this company is read only if it is here,
    /// so that one company's run never removes another company's marker.
    pub marker_owned: &'a BTreeSet<i64>,
    /// Name of the postponement activity type.
    pub postponement_type: &'a str,
    pub page_size: usize,
}

/// A salesperson who can take a call: active users only. Odoo keeps the salesperson of
/// archived users (someone who left) and puts OdooBot (`__system__`, inactive) on
/// invoices created by scripts and imports; an activity assigned to them is seen by nobody.
fn user(r: &Option<Ref>, active: &BTreeSet<i64>) -> Option<UserRef> {
    r.as_ref()
        .filter(|u| active.contains(&u.id))
        .map(|u| UserRef {
            id: u.id,
            name: u.name.clone(),
        })
}

/// Which of the salespeople named by `partners` and `invoices` are active users.
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
        .read("res.users", &ids, &["active"], None)
        .await?
        .iter()
        .filter(|u| u.get("active").and_then(Value::as_bool) == Some(true))
        .filter_map(|u| u.get("id").and_then(Value::as_i64))
        .collect())
}

/// Reads the snapshot of one company.
pub async fn read_snapshot(
    api: &impl OdooApi,
    features: &Features,
    request: &SnapshotRequest<'_>,
) -> Result<Snapshot, OdooError> {
    let company_id = request.company_id;
    let context = Some(company_context(company_id));
    let company = read_typed(
        api,
        "res.company",
        &[company_id],
        COMPANY_FIELDS,
        context.clone(),
        CompanyRecord::from_record,
    )
    .await?
    .into_iter()
    .next();
    let company_currency = company
        .as_ref()
        .and_then(|c| c.currency.as_ref())
        .map(|c| c.name.clone())
        .unwrap_or_default();

    let records = read_open_items(api, features, company_id, request.page_size).await?;

    // Every tag, once: tag sets are small, and names are what the strategies speak of.
    let tags: BTreeMap<i64, String> = api
        .search_read_all(
            "res.partner.category",
            vec![],
            &["name"],
            request.page_size,
            None,
        )
        .await?
        .iter()
        .filter_map(|t| Some((t.get("id")?.as_i64()?, t.get("name")?.as_str()?.to_owned())))
        .collect();
    let marker_ids: Vec<i64> = tags
        .iter()
        .filter(|(_, name)| request.marker_tags.contains(name.as_str()))
        .map(|(id, _)| *id)
        .collect();

    let mut customer_ids: BTreeSet<i64> = records
        .iter()
        .filter_map(|i| i.partner_id.as_ref().map(|p| p.id))
        .collect();
    if !marker_ids.is_empty() {
        let marked = api
            .search_read_all(
                "res.partner",
                vec![leaf("category_id", "in", marker_ids)],
                &["id"],
                request.page_size,
                None,
            )
            .await?;
        customer_ids.extend(
            marked
                .iter()
                .filter_map(|r| r.get("id").and_then(Value::as_i64))
                .filter(|id| request.marker_owned.contains(id)),
        );
    }
    let customer_ids: Vec<i64> = customer_ids.into_iter().collect();
    let partners = read_typed(
        api,
        "res.partner",
        &customer_ids,
        PARTNER_FIELDS,
        None,
        PartnerRecord::from_record,
    )
    .await?;
    let contacts = read_invoice_contacts(api, &customer_ids, request.page_size).await?;

    let move_ids: Vec<i64> = records
        .iter()
        .filter_map(|i| i.move_id.as_ref().map(|m| m.id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let invoices = read_typed(
        api,
        "account.move",
        &move_ids,
        INVOICE_FIELDS,
        context,
        InvoiceRecord::from_record,
    )
    .await?;

    let postponements = read_postponements(api, request, &move_ids, &customer_ids).await?;
    let active = active_users(
        api,
        partners
            .iter()
            .map(|p| &p.salesperson)
            .chain(invoices.iter().map(|m| &m.salesperson)),
    )
    .await?;

    let mut contacts_by_parent: BTreeMap<i64, Vec<Contact>> = BTreeMap::new();
    for c in contacts {
        if let Some(parent) = c.parent_id {
            contacts_by_parent.entry(parent).or_default().push(Contact {
                id: c.id,
                name: c.name,
                email: c.email,
                lang: c.lang,
            });
        }
    }
    let customers = partners
        .into_iter()
        .map(|p| Customer {
            id: p.id,
            tags: p
                .tag_ids
                .iter()
                .filter_map(|id| {
                    Some(Tag {
                        id: *id,
                        name: tags.get(id)?.clone(),
                    })
                })
                .collect(),
            trust: match p.trust.as_deref() {
                Some("good") => Trust::Good,
                Some("bad") => Trust::Bad,
                _ => Trust::Normal,
            },
            salesperson: user(&p.salesperson, &active),
            invoice_contacts: contacts_by_parent.remove(&p.id).unwrap_or_default(),
            name: p.name,
            lang: p.lang,
            email: p.email,
            is_company: p.is_company,
            vat: p.vat,
            country_code: p.country_code,
            reference: p.reference,
            street: p.street,
            street2: p.street2,
            zip: p.zip,
            city: p.city,
            company_id: Some(company_id),
        })
        .collect();

    let items = records
        .into_iter()
        .filter_map(|i| {
            let date = i.date.or(i.date_maturity)?;
            let currency = i
                .currency
                .as_ref()
                .map(|c| c.name.clone())
                .unwrap_or_else(|| company_currency.clone());
            Some(OpenItem {
                id: i.id,
                move_id: i.move_id.as_ref().map(|m| m.id).unwrap_or_default(),
                move_name: i
                    .move_name
                    .clone()
                    .or_else(|| i.move_id.as_ref().map(|m| m.name.clone()))
                    .unwrap_or_default(),
                customer_id: i.partner_id.as_ref()?.id,
                date,
                date_maturity: i.date_maturity,
                residual_company: i.amount_residual,
                residual_currency: i.amount_residual_currency,
                company_currency: i
                    .company_currency
                    .as_ref()
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| company_currency.clone()),
                currency,
                blocked: if features.line_blocked {
                    i.excluded_flag
                } else {
                    None
                },
                no_followup: if features.line_no_followup {
                    i.excluded_flag
                } else {
                    None
                },
            })
        })
        .collect();

    let invoices = invoices
        .into_iter()
        .map(|m| Invoice {
            id: m.id,
            name: m.name,
            payment_state: m.payment_state.unwrap_or_else(|| "not_paid".into()),
            move_type: Some(m.move_type).filter(|t| !t.is_empty()),
            salesperson: user(&m.salesperson, &active),
            currency: m
                .currency
                .map(|c| c.name)
                .unwrap_or_else(|| company_currency.clone()),
            invoice_date: m.invoice_date,
            payment_reference: m.payment_reference,
        })
        .collect();

    let company = company.map(|c| Company {
        id: c.id,
        name: c.name,
        currency: company_currency.clone(),
        country_code: None,
    });
    Ok(Snapshot {
        company: company.unwrap_or(Company {
            id: company_id,
            currency: company_currency,
            ..Default::default()
        }),
        customers,
        items,
        invoices,
        postponements,
        features: EngineFeatures {
            item_blocked_field: features.line_blocked,
            item_no_followup_field: features.line_no_followup,
        },
    })
}

/// Open activities of the postponement type on the moves and on the customers.
async fn read_postponements(
    api: &impl OdooApi,
    request: &SnapshotRequest<'_>,
    move_ids: &[i64],
    customer_ids: &[i64],
) -> Result<Vec<Postponement>, OdooError> {
    let types = api
        .search_read(
            "mail.activity.type",
            vec![leaf("name", "=", request.postponement_type)],
            &["name"],
            Default::default(),
        )
        .await?;
    let type_ids: Vec<i64> = types
        .iter()
        .filter_map(|t| t.get("id").and_then(Value::as_i64))
        .collect();
    if type_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (model, ids, target) in [
        ("account.move", move_ids, PostponementTarget::Invoice),
        ("res.partner", customer_ids, PostponementTarget::Customer),
    ] {
        if ids.is_empty() {
            continue;
        }
        let domain = vec![
            leaf("res_model", "=", model),
            leaf("res_id", "in", ids.to_vec()),
            leaf("activity_type_id", "in", type_ids.clone()),
        ];
        let rows = api
            .search_read_all(
                "mail.activity",
                domain,
                ACTIVITY_FIELDS,
                request.page_size,
                None,
            )
            .await?;
        out.extend(
            rows.iter()
                .map(ActivityRecord::from_record)
                .map(|a| Postponement {
                    res_model: target,
                    res_id: a.res_id,
                    deadline: a.deadline,
                }),
        );
    }
    Ok(out)
}
