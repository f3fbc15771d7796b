//! Building the one communication of a customer: the level, its actions, recipients and
//! responsible, fees, interest and indemnity, the levels to record, the marker after
//! execution and the explanation.
//!
//! Called by `plan.rs` once every reason to do nothing has been ruled out.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::actions::{planned_actions, recipients, responsible};
use super::decision::{Communication, Decision, ItemRecord, Outcome};
use super::eligibility::ItemStatus;
use super::explain::{days, item_age, last_reminder};
use super::fees::interest;
use super::gating::gate;
use super::level::recorded_level;
use super::marker::marker_for;
use super::plan::{CustomerInput, Evaluation, base, current_marker};
use super::strategy::{Approval, Level, LevelAction};
use super::words::{Words, fill};

/// The communication at the evaluation's customer level.
pub(crate) fn communicate(input: &CustomerInput<'_>, mut eval: Evaluation<'_>) -> Decision {
    let strategy = eval.strategy;
    // `plan.rs` calls this only when a level is due and exists in the strategy.
    let number = eval.level.unwrap_or(1);
    let Some(level) = strategy.level(number) else {
        let marker = current_marker(&eval);
        return base(
            input,
            marker,
            eval.listed,
            eval.totals,
            "nothing: level out of range".to_owned(),
        );
    };
    charge(input, level, &mut eval);
    let record: Vec<ItemRecord> = eval
        .listed
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue)
        .map(|i| ItemRecord {
            item_id: i.item_id,
            level: recorded_level(strategy, i.level_sent, i.days_overdue, number),
        })
        .filter(|r| r.level > 0)
        .collect();
    let marker = if level.approval == Approval::Auto {
        let recorded = record.iter().map(|r| r.level).max().unwrap_or(0);
        let kept = eval
            .listed
            .iter()
            .filter(|i| i.status.keeps_marker())
            .map(|i| i.level_sent)
            .max()
            .unwrap_or(0);
        marker_for(strategy, recorded.max(kept))
    } else {
        current_marker(&eval)
    };
    let to = recipients(input.customer);
    let (actions, no_email) = planned_actions(level, !to.is_empty(), input.as_of);
    let wants_emails = level.actions.contains(&LevelAction::Email);
    let needs_responsible = level
        .actions
        .iter()
        .any(|a| matches!(a, LevelAction::Call | LevelAction::Activity));
    let largest = eval
        .listed
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue)
        .max_by(|a, b| {
            a.residual_company
                .cmp(&b.residual_company)
                .then(b.item_id.cmp(&a.item_id))
        })
        .and_then(|i| input.ctx.invoices.get(&i.move_id).copied());
    let who = needs_responsible
        .then(|| responsible(level, input.customer, largest, input.ctx.settings))
        .flatten();
    let explanation = explain(input, &eval, number, level, no_email, &Words::OPERATOR);
    let company_words = input.ctx.settings.lang.words();
    let explanation_odoo = explain(input, &eval, number, level, no_email, company_words);
    let communication = Communication {
        level: number,
        key: level.key.clone(),
        label: level.label.clone(),
        template: level.template.clone(),
        actions,
        approval: level.approval,
        record,
        explanation_odoo,
    };
    let mut d = base(input, marker, eval.listed, eval.totals, explanation);
    d.decision = Outcome::Communicate(communication);
    d.recipients = if wants_emails { to } else { Vec::new() };
    d.no_email = no_email;
    d.responsible = who;
    d
}

/// Fees per currency, interest per overdue item, indemnity once per invoice (business
/// customers only), and the resulting totals.
fn charge(input: &CustomerInput<'_>, level: &Level, eval: &mut Evaluation<'_>) {
    let rates = &input.ctx.settings.reference_rates;
    let business = input.customer.is_business();
    let mut charged_moves = BTreeSet::new();
    for item in eval
        .listed
        .iter_mut()
        .filter(|i| i.status == ItemStatus::Overdue && i.days_overdue > 0)
    {
        if let Some(rule) = &level.interest {
            item.interest = interest(item.residual, item.due_date, input.as_of, rule, rates);
        }
        if business
            && let Some(amount) = level.indemnity.get(&item.currency)
            && charged_moves.insert(item.move_id)
        {
            item.indemnity = *amount;
        }
    }
    for total in &mut eval.totals {
        let listed = eval.listed.iter().filter(|i| i.currency == total.currency);
        let reminded: Vec<_> = listed.filter(|i| i.status == ItemStatus::Overdue).collect();
        total.interest = reminded.iter().map(|i| i.interest).sum();
        total.indemnity = reminded.iter().map(|i| i.indemnity).sum();
        if !reminded.is_empty() {
            total.fee = level
                .fee
                .get(&total.currency)
                .copied()
                .unwrap_or(Decimal::ZERO);
        }
        total.total_due = total.overdue + total.fee + total.interest + total.indemnity;
    }
}

/// `level 3 (urgent): INV/… is 47 days overdue (≥ 30), last reminder …; overdue … ≥ …`,
/// in the words given.
fn explain(
    input: &CustomerInput<'_>,
    eval: &Evaluation<'_>,
    number: u32,
    level: &Level,
    no_email: bool,
    w: &Words,
) -> String {
    let driver = eval
        .listed
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue && i.level_due == Some(number))
        .max_by(|a, b| {
            a.days_overdue
                .cmp(&b.days_overdue)
                .then(b.move_name.cmp(&a.move_name))
        });
    let mut text = fill(w.level, &[("n", &number.to_string()), ("key", &level.key)]);
    if let Some(item) = driver {
        let age = item_age(w, &item.move_name, item.days_overdue);
        text.push_str(&format!("{}{age} (≥ {})", w.colon, days(level.offset_days)));
    }
    match gate(
        eval.strategy,
        input.ledger.customer_last.get(&input.customer.id),
    ) {
        Some(g) => {
            let ago = g.days_since(input.as_of);
            text.push_str(", ");
            text.push_str(&last_reminder(
                w,
                g.last_level,
                g.last_date,
                ago,
                g.wait_days,
                true,
            ));
        }
        None => {
            text.push_str(", ");
            text.push_str(w.first_reminder);
        }
    }
    for total in eval
        .totals
        .iter()
        .filter(|t| t.reaches_minimum && t.overdue > Decimal::ZERO)
    {
        let word = if eval.listed.iter().any(|i| {
            i.currency == total.currency && i.status == ItemStatus::Overdue && i.days_overdue >= 0
        }) {
            w.overdue
        } else {
            w.upcoming
        };
        text.push_str(&format!(
            "; {word} {} {}",
            w.money(total.overdue),
            total.currency
        ));
        if let Some(min) = total.minimum {
            text.push_str(&format!(" ≥ {}", w.money(min)));
        }
    }
    for total in &eval.totals {
        let charges = total.fee + total.interest + total.indemnity;
        if charges > Decimal::ZERO {
            text.push_str(&format!(
                "; {} {} {}",
                w.fees_and_interest,
                w.money(charges),
                total.currency
            ));
        }
    }
    if level.approval == Approval::Manual {
        text.push_str("; ");
        text.push_str(w.manual_approval);
    }
    if no_email {
        text.push_str("; ");
        text.push_str(w.letter_instead);
    }
    if let Some(conflict) = &eval.conflict {
        text.push_str("; ");
        text.push_str(&conflict.explain(w));
    }
    text
}
