//! From a planned communication to what a template needs: maps the engine's decision
//! (items, totals, charges, recipients) and what was read from Odoo (company, customer
//! address, currencies, responsible user) onto the renderer's view model. Pure.

use crate::followup::fees::reference_rate;
use crate::followup::{
    Communication as Planned, CustomerId, Decision, Interest, ItemStatus, ListedItem, Snapshot,
    Strategy,
};
use crate::ledger::Paragraph;
use crate::render::{
    Charge, ChargeKind, CommunicationView, CompanyInfo, CurrencyInfo, CurrencyTotalView,
    CustomerInfo, ItemLine, LevelInfo, RecipientView, ResponsibleView, SymbolPosition,
};
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

/// Days between a notice of service suspension and the suspension it announces.
pub const SUSPENSION_NOTICE_DAYS: i64 = 8;

/// What the composer needs besides the decision.
pub struct ComposeContext<'a> {
    pub snapshot: &'a Snapshot,
    pub reference_rates: &'a [crate::followup::ReferenceRate],
    pub company: &'a CompanyInfo,
    pub currencies: &'a BTreeMap<String, CurrencyInfo>,
    /// Name, email and phone of users, by id (salespeople).
    pub users: &'a BTreeMap<i64, ResponsibleView>,
    /// Used when the customer has no language.
    pub default_lang: &'a str,
    /// The company's language: the chatter note and activities are written in it.
    pub odoo_lang: crate::followup::Lang,
    pub as_of: NaiveDate,
    /// Days between a suspension notice and the suspension itself.
    pub suspension_notice_days: i64,
    /// The personal paragraphs waiting for the customers' next reminder (the desk's).
    pub paragraphs: &'a BTreeMap<CustomerId, Paragraph>,
    /// Who approved this run's manual levels (an approval run): said in the chatter note.
    pub approved_by: Option<&'a str>,
}

fn line(item: &ListedItem, dates: &BTreeMap<i64, NaiveDate>) -> ItemLine {
    ItemLine {
        number: item.move_name.clone(),
        date: dates.get(&item.move_id).copied().unwrap_or(item.due_date),
        due_date: item.due_date,
        days_overdue: item.days_overdue,
        residual: item.residual,
        currency: item.currency.clone(),
        level_reached: item.level_reached,
        // Odoo's payment reference, else the invoice number: a transfer always has one.
        payment_reference: item
            .payment_reference
            .clone()
            .or_else(|| Some(item.move_name.clone())),
    }
}

/// A currency the company did not describe: code as symbol, two decimals.
pub fn fallback_currency(code: &str) -> CurrencyInfo {
    let (symbol, position) = match code {
        "EUR" => ("€", SymbolPosition::After),
        "USD" => ("$", SymbolPosition::Before),
        "GBP" => ("£", SymbolPosition::Before),
        other => (other, SymbolPosition::After),
    };
    CurrencyInfo::new(code, symbol, 2, position)
}

/// The view model of one communication. `reference` identifies it (the action key).
pub fn compose(
    decision: &Decision,
    planned: &Planned,
    strategy: &Strategy,
    ctx: &ComposeContext<'_>,
    reference: &str,
) -> CommunicationView {
    let snapshot = ctx.snapshot;
    let customer = snapshot
        .customers
        .iter()
        .find(|c| c.id == decision.customer_id);
    let lang = decision
        .lang
        .clone()
        .or_else(|| customer.and_then(|c| c.lang.clone()))
        .unwrap_or_else(|| ctx.default_lang.to_owned());
    let dates: BTreeMap<i64, NaiveDate> = snapshot
        .invoices
        .iter()
        .filter_map(|i| Some((i.id, i.invoice_date?)))
        .collect();

    let mut items = Vec::new();
    let mut upcoming = Vec::new();
    let mut credits = Vec::new();
    for item in &decision.items {
        match item.status {
            ItemStatus::Overdue => items.push(line(item, &dates)),
            ItemStatus::NotYetDue => upcoming.push(line(item, &dates)),
            ItemStatus::Credit => credits.push(line(item, &dates)),
            _ => {}
        }
    }

    let level = strategy.level(planned.level);
    let rate = match level.and_then(|l| l.interest) {
        Some(Interest::Fixed { rate }) => Some(rate),
        Some(Interest::Statutory { margin }) => {
            Some(reference_rate(ctx.reference_rates, ctx.as_of) + margin)
        }
        None => None,
    };
    let mut charges = Vec::new();
    for t in &decision.totals {
        if !t.fee.is_zero() {
            charges.push(Charge {
                kind: ChargeKind::Fee,
                item: None,
                currency: t.currency.clone(),
                amount: t.fee,
                rate: None,
                days: None,
            });
        }
    }
    for item in decision
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue)
    {
        if !item.interest.is_zero() {
            charges.push(Charge {
                kind: ChargeKind::Interest,
                item: Some(item.move_name.clone()),
                currency: item.currency.clone(),
                amount: item.interest,
                rate,
                days: Some(item.days_overdue),
            });
        }
        if !item.indemnity.is_zero() {
            charges.push(Charge {
                kind: ChargeKind::Indemnity,
                item: Some(item.move_name.clone()),
                currency: item.currency.clone(),
                amount: item.indemnity,
                rate: None,
                days: None,
            });
        }
    }
    let totals: Vec<CurrencyTotalView> = decision
        .totals
        .iter()
        .filter(|t| !t.overdue.is_zero() || !t.total_due.is_zero())
        .map(|t| CurrencyTotalView {
            currency: t.currency.clone(),
            overdue: t.overdue,
            fees: t.fee,
            interest: t.interest,
            indemnity: t.indemnity,
            total: t.total_due,
        })
        .collect();

    let mut currencies: BTreeMap<String, CurrencyInfo> = BTreeMap::new();
    for code in decision
        .items
        .iter()
        .map(|i| i.currency.as_str())
        .chain(totals.iter().map(|t| t.currency.as_str()))
    {
        currencies.entry(code.to_owned()).or_insert_with(|| {
            ctx.currencies
                .get(code)
                .cloned()
                .unwrap_or_else(|| fallback_currency(code))
        });
    }

    let responsible = decision
        .responsible
        .as_ref()
        .and_then(|r| {
            ctx.users.get(&r.user_id).cloned().or_else(|| {
                r.name.clone().map(|name| ResponsibleView {
                    name,
                    email: None,
                    phone: None,
                })
            })
        })
        .unwrap_or_else(|| ResponsibleView {
            name: ctx.company.name.clone(),
            email: ctx.company.email.clone(),
            phone: ctx.company.phone.clone(),
        });

    let payment_reference = {
        let refs: Vec<&str> = items
            .iter()
            .filter_map(|i| i.payment_reference.as_deref())
            .collect();
        match refs.as_slice() {
            [one] => Some((*one).to_owned()),
            _ => customer.and_then(|c| c.reference.clone()),
        }
    };

    let address_lines: Vec<String> = customer
        .map(|c| {
            let city = [c.zip.as_deref(), c.city.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            [
                c.street.clone(),
                c.street2.clone(),
                Some(city),
                c.country_code.clone(),
            ]
            .into_iter()
            .flatten()
            .filter(|l| !l.trim().is_empty())
            .collect()
        })
        .unwrap_or_default();

    CommunicationView {
        reference: reference.to_owned(),
        lang: lang.clone(),
        as_of: ctx.as_of,
        company: ctx.company.clone(),
        customer: CustomerInfo {
            id: decision.customer_id.get(),
            name: decision.customer_name.clone(),
            reference: customer.and_then(|c| c.reference.clone()),
            lang,
            is_company: customer.is_some_and(|c| c.is_company),
            address_lines,
            vat: customer.and_then(|c| c.vat.clone()),
        },
        recipients: decision
            .recipients
            .iter()
            .map(|r| RecipientView {
                name: r.name.clone(),
                email: r.email.clone(),
            })
            .collect(),
        level: LevelInfo {
            key: planned.template.clone(),
            index: planned.level,
            label: planned.label.clone(),
            count: strategy.levels.len() as u32,
        },
        items,
        upcoming,
        credits,
        totals,
        charges,
        suspension_date: (planned.key == "suspension")
            .then(|| ctx.as_of + Duration::days(ctx.suspension_notice_days)),
        responsible,
        payment_reference,
        currencies,
        personal_paragraph: ctx
            .paragraphs
            .get(&decision.customer_id)
            .map(|p| p.text.clone()),
    }
}
