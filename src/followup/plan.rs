//! The engine's entry point: `plan(snapshot, ledger, strategies, as_of) -> Plan`.
//!
//! Pure and deterministic: no I/O, no clock, no randomness; customers and items are
//! processed in id / due-date order through `BTreeMap`s. For each customer: strategy,
//! item statuses and levels, currency groups and minimum amounts, then the first reason
//! to do nothing (net credit, postponement, minimum, nothing due, gate), else one
//! communication at the customer level (built in `communicate.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::ids::CustomerId;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::assign::{Assignment, assign};
use super::communicate::communicate;
use super::decision::{CurrencyTotal, Decision, ListedItem, NothingReason, Outcome, Plan};
use super::eligibility::{Context, ItemStatus};
use super::gating::gate;
use super::level::{due_level, reached_level};
use super::marker::{marker_for, stale_markers};
use super::model::{Customer, LedgerState, OpenItem, Snapshot};
use super::reasons;
use super::strategy::{Strategy, StrategySet};
use super::words::{Words, fill};

/// Plans one run for the snapshot's company at `as_of`.
pub fn plan(
    snapshot: &Snapshot,
    ledger: &LedgerState,
    set: &StrategySet,
    as_of: NaiveDate,
) -> Plan {
    let ctx = Context::new(
        &snapshot.invoices,
        &snapshot.postponements,
        &set.settings,
        as_of,
    );
    let mut items_by_customer: BTreeMap<CustomerId, Vec<&OpenItem>> = BTreeMap::new();
    for item in &snapshot.items {
        items_by_customer
            .entry(item.customer_id)
            .or_default()
            .push(item);
    }
    let customers: BTreeMap<CustomerId, &Customer> =
        snapshot.customers.iter().map(|c| (c.id, c)).collect();
    let mut warnings = Vec::new();
    for (id, items) in &items_by_customer {
        if !customers.contains_key(id) {
            warnings.push(format!(
                "{} open item(s) of customer id {id} skipped: the customer is not in the snapshot",
                items.len()
            ));
        }
    }
    let company_id = snapshot.company.id;
    let markers = set.marker_tags();
    let mut decisions = Vec::with_capacity(customers.len());
    for customer in customers.values() {
        let mut items = items_by_customer.remove(&customer.id).unwrap_or_default();
        items.sort_by(|a, b| {
            (a.due_date(), &a.move_name, a.id).cmp(&(b.due_date(), &b.move_name, b.id))
        });
        let input = CustomerInput {
            customer,
            items,
            ctx: &ctx,
            ledger,
            set,
            markers: &markers,
            as_of,
            company_id,
        };
        decisions.push(decide(&input, &mut warnings));
    }
    Plan {
        as_of,
        company_id: company_id.into(),
        decisions,
        warnings,
    }
}

/// Everything needed to decide about one customer.
pub(crate) struct CustomerInput<'a> {
    pub customer: &'a Customer,
    pub items: Vec<&'a OpenItem>,
    pub ctx: &'a Context<'a>,
    pub ledger: &'a LedgerState,
    pub set: &'a StrategySet,
    /// Every marker tag name of every strategy.
    pub markers: &'a BTreeSet<&'a str>,
    pub as_of: NaiveDate,
    pub company_id: i64,
}

/// A customer's items, statuses and groups under its strategy.
pub(crate) struct Evaluation<'a> {
    pub strategy: &'a Strategy,
    pub listed: Vec<ListedItem>,
    pub totals: Vec<CurrencyTotal>,
    /// Net balance in company currency.
    pub net: Decimal,
    /// Highest level due by a counted item in a currency reaching its minimum.
    pub level: Option<u32>,
    /// Conflicting strategy tags, for the explanation.
    pub conflict: Option<Conflict>,
}

/// Several strategy tags on one customer: the strategy followed and the tags ignored.
pub(crate) struct Conflict {
    pub strategy: String,
    pub ignored: Vec<String>,
}

impl Conflict {
    /// `several strategy tags, following "s" (ignored: t)` in the words given.
    pub fn explain(&self, w: &Words) -> String {
        fill(
            w.strategy_conflict,
            &[
                ("strategy", &self.strategy),
                ("ignored", &self.ignored.join(", ")),
            ],
        )
    }
}

fn decide(input: &CustomerInput<'_>, warnings: &mut Vec<String>) -> Decision {
    let c = input.customer;
    let (strategy, by, conflicts) = match assign(c, input.company_id, input.set) {
        Assignment::NotFollowed { reason } => {
            let listed = input
                .items
                .iter()
                .map(|i| list_item(input, i, None))
                .collect();
            let explanation = format!("nothing: {reason}");
            let mut d = base(input, None, listed, Vec::new(), explanation);
            d.decision = Outcome::Nothing {
                reason: NothingReason::NotFollowed { why: reason },
            };
            return d;
        }
        Assignment::Followed {
            strategy,
            by,
            conflicts,
        } => (strategy, by, conflicts),
    };
    let conflict = (!conflicts.is_empty()).then(|| {
        let conflict = Conflict {
            strategy: strategy.name.clone(),
            ignored: conflicts,
        };
        let note = conflict.explain(&Words::OPERATOR);
        warnings.push(format!("customer {} ({}): {note}", c.id, c.name));
        conflict
    });
    let eval = evaluate(input, strategy, conflict);
    let mut decision = match nothing_reason(input, &eval) {
        Some(reason) => {
            let explanation = reasons::explain_nothing(input, &eval, &reason);
            let marker = current_marker(&eval);
            let mut d = base(input, marker, eval.listed, eval.totals, explanation);
            d.decision = Outcome::Nothing { reason };
            d
        }
        None => communicate(input, eval),
    };
    decision.strategy = Some(strategy.name.clone());
    decision.assigned_by = Some(by);
    decision
}

/// A decision with no communication yet, its marker and stale markers filled in.
pub(crate) fn base(
    input: &CustomerInput<'_>,
    marker: Option<super::marker::MarkerShown>,
    items: Vec<ListedItem>,
    totals: Vec<CurrencyTotal>,
    explanation: String,
) -> Decision {
    let c = input.customer;
    Decision {
        customer_id: c.id,
        customer_name: c.name.clone(),
        lang: c.lang.clone(),
        strategy: None,
        assigned_by: None,
        decision: Outcome::Nothing {
            reason: NothingReason::NothingDue,
        },
        markers_to_remove: stale_markers(c, marker.as_ref(), input.markers),
        marker,
        items,
        totals,
        recipients: Vec::new(),
        no_email: false,
        responsible: None,
        explanation,
    }
}

fn list_item(
    input: &CustomerInput<'_>,
    item: &OpenItem,
    strategy: Option<&Strategy>,
) -> ListedItem {
    let status = input.ctx.classify(item, input.as_of);
    let days_overdue = item.days_overdue(input.as_of);
    let level_sent = input.ledger.sent(item.id);
    let level_due = strategy
        .filter(|_| status.is_counted())
        .and_then(|s| due_level(s, level_sent, days_overdue));
    let status = match status {
        ItemStatus::NotYetDue if level_due.is_some() => ItemStatus::Overdue,
        other => other,
    };
    ListedItem {
        item_id: item.id,
        move_id: item.move_id,
        move_name: item.move_name.clone(),
        payment_reference: input
            .ctx
            .invoices
            .get(&item.move_id)
            .and_then(|i| i.payment_reference.clone()),
        due_date: item.due_date(),
        days_overdue,
        currency: item.currency.clone(),
        residual: item.residual_currency,
        residual_company: item.residual_company,
        status,
        level_sent,
        level_due,
        level_reached: strategy.map_or(0, |s| reached_level(s, days_overdue)),
        interest: Decimal::ZERO,
        indemnity: Decimal::ZERO,
    }
}

/// Lists the items with their status and levels, and groups amounts per currency.
///
/// Currency grouping (FOLLOWUP.md leaves the details open): amounts are never mixed
/// across currencies. Each currency is checked against its own minimum
/// (`min_amount[currency]`; a currency without one is checked in company currency
/// against the company currency's minimum, else any positive amount). The items of a
/// currency below its minimum are not counted (`BelowMinimum`): they neither raise the
/// customer level nor get recorded, but stay listed. The net balance stays in company
/// currency over every open item.
fn evaluate<'a>(
    input: &CustomerInput<'a>,
    strategy: &'a Strategy,
    conflict: Option<Conflict>,
) -> Evaluation<'a> {
    let mut listed: Vec<ListedItem> = input
        .items
        .iter()
        .map(|i| list_item(input, i, Some(strategy)))
        .collect();
    let net = input.items.iter().map(|i| i.residual_company).sum();
    let mut groups: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    let mut overdue_company: BTreeMap<String, Decimal> = BTreeMap::new();
    for item in &listed {
        let g = groups
            .entry(item.currency.clone())
            .or_insert_with(|| CurrencyTotal {
                currency: item.currency.clone(),
                minimum: strategy.min_amount.get(&item.currency).copied(),
                ..CurrencyTotal::default()
            });
        g.balance += item.residual;
        match item.status {
            ItemStatus::Overdue => {
                g.overdue += item.residual;
                *overdue_company.entry(item.currency.clone()).or_default() += item.residual_company;
            }
            ItemStatus::NotYetDue => g.not_yet_due += item.residual,
            ItemStatus::Credit => g.credits += item.residual,
            _ => {}
        }
    }
    let company_currency = input
        .items
        .first()
        .map(|i| i.company_currency.clone())
        .unwrap_or_default();
    let company_min = strategy.min_amount.get(&company_currency).copied();
    for (currency, g) in &mut groups {
        let reaches = match (g.minimum, company_min) {
            (Some(min), _) => g.overdue >= min,
            (None, Some(min)) => overdue_company.get(currency).copied().unwrap_or_default() >= min,
            (None, None) => g.overdue > Decimal::ZERO,
        };
        g.reaches_minimum = reaches;
        if !reaches {
            for item in listed
                .iter_mut()
                .filter(|i| &i.currency == currency && i.status == ItemStatus::Overdue)
            {
                item.status = ItemStatus::BelowMinimum;
                item.level_due = None;
            }
        }
        g.total_due = g.overdue;
    }
    let level = listed
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue)
        .filter_map(|i| i.level_due)
        .max();
    Evaluation {
        strategy,
        listed,
        totals: groups.into_values().collect(),
        net,
        level,
        conflict,
    }
}

/// The first reason to do nothing, in FOLLOWUP.md's order; none → communicate.
fn nothing_reason(input: &CustomerInput<'_>, eval: &Evaluation<'_>) -> Option<NothingReason> {
    if eval.listed.is_empty() {
        return Some(NothingReason::NoOpenItem);
    }
    if eval.net <= Decimal::ZERO {
        let currency = input
            .items
            .first()
            .map(|i| i.company_currency.clone())
            .unwrap_or_default();
        return Some(NothingReason::NetCredit {
            balance: eval.net,
            currency,
        });
    }
    if let Some(until) = input.ctx.customer_postponed.get(&input.customer.id) {
        return Some(NothingReason::Postponed { until: *until });
    }
    let overdue = eval.listed.iter().any(|i| i.status == ItemStatus::Overdue);
    if !overdue
        && eval
            .listed
            .iter()
            .any(|i| i.status == ItemStatus::BelowMinimum)
    {
        return Some(NothingReason::BelowMinimum);
    }
    // The gate is checked before "nothing due": a customer reminded recently is
    // explained by its gate (FOLLOWUP.md T3), with what comes next.
    let gated = gate(
        eval.strategy,
        input.ledger.customer_last.get(&input.customer.id),
    )
    .filter(|g| g.is_closed(input.as_of))
    .map(|g| NothingReason::Gated { until: g.until });
    gated.or_else(|| eval.level.is_none().then_some(NothingReason::NothingDue))
}

/// Marker from the levels already sent (highest over items that keep a marker).
pub(crate) fn current_marker(eval: &Evaluation<'_>) -> Option<super::marker::MarkerShown> {
    if eval.net <= Decimal::ZERO {
        return None;
    }
    let level = eval
        .listed
        .iter()
        .filter(|i| i.status.keeps_marker())
        .map(|i| i.level_sent)
        .max()?;
    marker_for(eval.strategy, level)
}
