//! Explanations of "nothing to do" decisions: net credit, postponement, minimum amount,
//! nothing due yet (and why items are not counted), gate.
//!
//! Text only; the reason itself is chosen in `plan.rs`.

use super::decision::{ListedItem, NothingReason};
use super::eligibility::ItemStatus;
use super::explain::{days, item_age, last_reminder, money};
use super::gating::gate;
use super::level::next_level;
use super::plan::{CustomerInput, Evaluation};
use super::words::Words;

/// One line, starting with `nothing:`.
pub(crate) fn explain_nothing(
    input: &CustomerInput<'_>,
    eval: &Evaluation<'_>,
    reason: &NothingReason,
) -> String {
    let mut text = match reason {
        NothingReason::NotFollowed { why } => format!("nothing: {why}"),
        NothingReason::NoOpenItem => "nothing: no open item".to_owned(),
        NothingReason::NetCredit { balance, currency } => {
            let credits: Vec<String> = eval
                .listed
                .iter()
                .filter(|i| i.status == ItemStatus::Credit)
                .map(|i| credit_name(input, i))
                .collect();
            format!(
                "nothing: net balance {} {currency} ({})",
                money(*balance),
                credits.join(", ")
            )
        }
        NothingReason::Postponed { until } => format!("nothing: customer postponed until {until}"),
        NothingReason::BelowMinimum => {
            let parts: Vec<String> = eval
                .totals
                .iter()
                .filter(|t| {
                    eval.listed
                        .iter()
                        .any(|i| i.currency == t.currency && i.status == ItemStatus::BelowMinimum)
                })
                .map(|t| match t.minimum {
                    Some(min) => format!(
                        "overdue {} {} < {}",
                        money(t.overdue),
                        t.currency,
                        money(min)
                    ),
                    None => format!(
                        "overdue {} {} below the minimum",
                        money(t.overdue),
                        t.currency
                    ),
                })
                .collect();
            format!("nothing: below minimum: {}", parts.join("; "))
        }
        NothingReason::NothingDue => nothing_due(eval),
        NothingReason::Gated { until } => {
            let mut text = format!("nothing: gated until {until}");
            if let Some(g) = gate(
                eval.strategy,
                input.ledger.customer_last.get(&input.customer.id),
            ) {
                let ago = g.days_since(input.as_of);
                text.push_str(", ");
                text.push_str(&last_reminder(
                    &Words::OPERATOR,
                    g.last_level,
                    g.last_date,
                    ago,
                    g.wait_days,
                    false,
                ));
            }
            if let Some(level) = eval
                .level
                .and_then(|n| eval.strategy.level(n).map(|l| (n, l)))
            {
                text.push_str(&format!("; level {} ({}) is due", level.0, level.1.key));
            }
            text
        }
    };
    let excluded = not_counted(eval);
    if !excluded.is_empty() && !matches!(reason, NothingReason::NothingDue) {
        text.push_str("; ");
        text.push_str(&excluded);
    }
    with_conflict(text, eval)
}

fn with_conflict(mut text: String, eval: &Evaluation<'_>) -> String {
    if let Some(conflict) = &eval.conflict {
        text.push_str("; ");
        text.push_str(&conflict.explain(&Words::OPERATOR));
    }
    text
}

fn credit_name(input: &CustomerInput<'_>, item: &ListedItem) -> String {
    let kind = input
        .ctx
        .invoices
        .get(&item.move_id)
        .and_then(|i| i.move_type.as_deref());
    match kind {
        Some("out_refund") => format!("open credit note {}", item.move_name),
        _ => format!("open credit {}", item.move_name),
    }
}

/// Why nothing is due: the counted item nearest to its next level, or the last level
/// reached; then the items that are not counted.
fn nothing_due(eval: &Evaluation<'_>) -> String {
    let s = eval.strategy;
    let counted = eval
        .listed
        .iter()
        .filter(|i| matches!(i.status, ItemStatus::Overdue | ItemStatus::NotYetDue));
    let next = counted
        .filter_map(|i| {
            let n = next_level(s, i.level_sent, i.days_overdue)?;
            s.level(n)
                .map(|l| (l.offset_days - i.days_overdue, i, n, l))
        })
        .min_by(|a, b| (a.0, &a.1.move_name).cmp(&(b.0, &b.1.move_name)));
    let mut parts = Vec::new();
    if let Some((_, item, n, level)) = next {
        parts.push(format!(
            "{} (< {} for level {n} ({}))",
            item_age(&Words::OPERATOR, &item.move_name, item.days_overdue),
            days(level.offset_days),
            level.key
        ));
    } else if let Some(item) = eval.listed.iter().find(|i| i.status == ItemStatus::Overdue) {
        let last = s.last_level();
        let key = s.level(last).map_or("", |l| l.key.as_str());
        parts.push(format!(
            "{} reached the last level {last} ({key}), not repeated",
            item.move_name
        ));
    }
    let excluded = not_counted(eval);
    if !excluded.is_empty() {
        parts.push(excluded);
    }
    if parts.is_empty() {
        parts.push("no item is due for a level".to_owned());
    }
    format!("nothing: {}", parts.join("; "))
}

/// `INV/1 payment registered, not yet reconciled; INV/2 postponed until 2026-02-15`.
fn not_counted(eval: &Evaluation<'_>) -> String {
    let parts: Vec<String> = eval
        .listed
        .iter()
        .filter_map(|i| match &i.status {
            ItemStatus::PaymentRegistered { payment_state } => Some(format!(
                "{} payment registered, not yet reconciled (invoice {payment_state})",
                i.move_name
            )),
            ItemStatus::Postponed { until } => {
                Some(format!("{} postponed until {until}", i.move_name))
            }
            ItemStatus::Blocked { reason } => Some(format!("{} {reason}", i.move_name)),
            _ => None,
        })
        .collect();
    parts.join("; ")
}
