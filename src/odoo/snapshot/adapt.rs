//! The pure half of reading a snapshot: Odoo's records of one company ([`Fetched`])
//! become the engine's plain input ([`Snapshot`]). No I/O, no clock: what it decides is
//! only how Odoo's conventions map to the engine's words (an inactive salesperson is
//! nobody, a line without its own currency is in the company's, …); who gets reminded
//! is the engine's business.

use super::fetch::Fetched;
use crate::followup::{
    Company, Contact, Customer, Features as EngineFeatures, Invoice, OpenItem, Postponement,
    PostponementTarget, Snapshot, Tag, Trust, UserRef,
};
use crate::odoo::features::ServerFeatures;
use crate::odoo::records::{ActivityRecord, InvoiceRecord, OpenItemRecord, PartnerRecord, Ref};
use std::collections::{BTreeMap, BTreeSet};

/// The engine's snapshot of one company, from what Odoo answered.
pub fn adapt(raw: Fetched, features: &ServerFeatures) -> Snapshot {
    let company_id = raw.company_id;
    let company_currency = raw
        .company
        .as_ref()
        .and_then(|c| c.currency.as_ref())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let tags: BTreeMap<i64, String> = raw.tags.into_iter().map(|t| (t.id, t.name)).collect();

    let mut contacts_by_parent: BTreeMap<i64, Vec<Contact>> = BTreeMap::new();
    for c in raw.contacts {
        if let Some(parent) = c.parent_id {
            contacts_by_parent.entry(parent).or_default().push(Contact {
                id: c.id,
                name: c.name,
                email: c.email,
                lang: c.lang,
            });
        }
    }
    let customers = raw
        .customers
        .into_iter()
        .map(|p| {
            let contacts = contacts_by_parent.remove(&p.id).unwrap_or_default();
            customer(p, contacts, &tags, &raw.active_users, company_id)
        })
        .collect();

    let items = raw
        .items
        .into_iter()
        .filter_map(|i| open_item(i, &company_currency, features))
        .collect();

    let invoices = raw
        .invoices
        .into_iter()
        .map(|m| invoice(m, &raw.active_users, &company_currency))
        .collect();

    let postponements = postponements(PostponementTarget::Invoice, raw.invoice_postponements)
        .chain(postponements(
            PostponementTarget::Customer,
            raw.customer_postponements,
        ))
        .collect();

    let company = match raw.company {
        Some(c) => Company {
            id: c.id,
            name: c.name,
            currency: company_currency,
            country_code: None,
        },
        None => Company {
            id: company_id,
            currency: company_currency,
            ..Default::default()
        },
    };
    Snapshot {
        company,
        customers,
        items,
        invoices,
        postponements,
        features: EngineFeatures {
            item_blocked_field: features.line_blocked,
            item_no_followup_field: features.line_no_followup,
        },
    }
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

fn customer(
    p: PartnerRecord,
    invoice_contacts: Vec<Contact>,
    tags: &BTreeMap<i64, String>,
    active: &BTreeSet<i64>,
    company_id: i64,
) -> Customer {
    Customer {
        id: p.id.into(),
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
        salesperson: user(&p.salesperson, active),
        invoice_contacts,
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
    }
}

/// An open item; none without a customer or a date. Its currency and the company's
/// default to the company's currency; the exclusion flag goes to the field this server has.
fn open_item(
    i: OpenItemRecord,
    company_currency: &str,
    features: &ServerFeatures,
) -> Option<OpenItem> {
    let date = i.date.or(i.date_maturity)?;
    let name_or_company = |r: Option<Ref>| {
        r.map(|c| c.name)
            .unwrap_or_else(|| company_currency.to_owned())
    };
    Some(OpenItem {
        id: i.id,
        move_id: i.move_id.as_ref().map(|m| m.id).unwrap_or_default(),
        move_name: i
            .move_name
            .or_else(|| i.move_id.as_ref().map(|m| m.name.clone()))
            .unwrap_or_default(),
        customer_id: i.partner_id.as_ref()?.id.into(),
        date,
        date_maturity: i.date_maturity,
        residual_company: i.amount_residual,
        residual_currency: i.amount_residual_currency,
        company_currency: name_or_company(i.company_currency),
        currency: name_or_company(i.currency),
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
}

fn invoice(m: InvoiceRecord, active: &BTreeSet<i64>, company_currency: &str) -> Invoice {
    Invoice {
        id: m.id,
        name: m.name,
        payment_state: m.payment_state.unwrap_or_else(|| "not_paid".into()),
        move_type: Some(m.move_type).filter(|t| !t.is_empty()),
        salesperson: user(&m.salesperson, active),
        currency: m
            .currency
            .map(|c| c.name)
            .unwrap_or_else(|| company_currency.to_owned()),
        invoice_date: m.invoice_date,
        payment_reference: m.payment_reference,
    }
}

fn postponements(
    target: PostponementTarget,
    activities: Vec<ActivityRecord>,
) -> impl Iterator<Item = Postponement> {
    activities.into_iter().map(move |a| Postponement {
        res_model: target,
        res_id: a.res_id,
        deadline: a.deadline,
    })
}
