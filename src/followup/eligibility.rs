//! Which open items count for follow-up, and why the others do not.
//!
//! FOLLOWUP.md "Items are not counted": credits and payments, invoices under a running
//! postponement, invoices Odoo already shows as settled (payment registered without a
//! journal entry), items Odoo flags itself, blocked invoices. Classification only: no
//! amounts are summed here and no decision is taken.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::ids::CustomerId;
use super::model::{Invoice, OpenItem, Postponement, PostponementTarget};
use super::strategy::Settings;

/// Invoice payment states meaning "settled in Odoo", although the line may be open.
pub const SETTLED_PAYMENT_STATES: [&str; 3] = ["paid", "in_payment", "reversed"];

/// What an item is in a customer's follow-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ItemStatus {
    /// Counted: overdue, or due for a pre-due level; listed in a communication.
    Overdue,
    /// Counted but not yet due: listed as information.
    NotYetDue,
    /// Counted, but its currency's overdue amount is below the minimum.
    BelowMinimum,
    /// Residual ≤ 0 (credit note, unmatched payment): counts only in the net balance.
    Credit,
    /// Invoice under a running postponement activity.
    Postponed { until: NaiveDate },
    /// Invoice shows `paid` / `in_payment` / `reversed` while its line is still open.
    PaymentRegistered { payment_state: String },
    /// Flagged by Odoo (`blocked`, `no_followup`) or invoice `payment_state = blocked`.
    Blocked { reason: String },
}

impl ItemStatus {
    /// Counted for levels and amounts (before the minimum-amount check).
    pub fn is_counted(&self) -> bool {
        matches!(self, Self::Overdue | Self::NotYetDue | Self::BelowMinimum)
    }

    /// Still shows a level on the customer (the marker): counted or merely postponed.
    pub fn keeps_marker(&self) -> bool {
        self.is_counted() || matches!(self, Self::Postponed { .. })
    }
}

/// Lookups shared by every customer of a snapshot.
pub struct Context<'a> {
    pub invoices: BTreeMap<i64, &'a Invoice>,
    /// Latest running postponement deadline per invoice id.
    pub invoice_postponed: BTreeMap<i64, NaiveDate>,
    /// Latest running postponement deadline per customer id.
    pub customer_postponed: BTreeMap<CustomerId, NaiveDate>,
    pub settings: &'a Settings,
}

/// Keeps the latest deadline per record.
fn latest<K: Ord>(map: &mut BTreeMap<K, NaiveDate>, key: K, deadline: NaiveDate) {
    let entry = map.entry(key).or_insert(deadline);
    *entry = (*entry).max(deadline);
}

impl<'a> Context<'a> {
    pub fn new(
        invoices: &'a [Invoice],
        postponements: &[Postponement],
        settings: &'a Settings,
        as_of: NaiveDate,
    ) -> Self {
        let mut invoice_postponed = BTreeMap::new();
        let mut customer_postponed = BTreeMap::new();
        for p in postponements.iter().filter(|p| p.is_running(as_of)) {
            let Some(deadline) = p.deadline else { continue };
            match p.res_model {
                PostponementTarget::Invoice => latest(&mut invoice_postponed, p.res_id, deadline),
                PostponementTarget::Customer => {
                    latest(&mut customer_postponed, p.res_id.into(), deadline)
                }
            }
        }
        Self {
            invoices: invoices.iter().map(|i| (i.id, i)).collect(),
            invoice_postponed,
            customer_postponed,
            settings,
        }
    }

    /// Classifies an item, before amounts and levels: `Overdue`/`NotYetDue` for counted
    /// ones (refined later), or why it is not counted.
    pub fn classify(&self, item: &OpenItem, as_of: NaiveDate) -> ItemStatus {
        if item.residual_company <= Decimal::ZERO {
            return ItemStatus::Credit;
        }
        let invoice = self.invoices.get(&item.move_id);
        if let Some(inv) = invoice
            && SETTLED_PAYMENT_STATES.contains(&inv.payment_state.as_str())
        {
            return ItemStatus::PaymentRegistered {
                payment_state: inv.payment_state.clone(),
            };
        }
        if item.blocked == Some(true) {
            return ItemStatus::Blocked {
                reason: "blocked in Odoo".to_owned(),
            };
        }
        if item.no_followup == Some(true) {
            return ItemStatus::Blocked {
                reason: "no follow-up in Odoo".to_owned(),
            };
        }
        if self.settings.skip_blocked_invoices
            && invoice.is_some_and(|i| i.payment_state == "blocked")
        {
            return ItemStatus::Blocked {
                reason: "invoice payment blocked".to_owned(),
            };
        }
        if let Some(until) = self.invoice_postponed.get(&item.move_id) {
            return ItemStatus::Postponed { until: *until };
        }
        if item.days_overdue(as_of) >= 0 {
            ItemStatus::Overdue
        } else {
            ItemStatus::NotYetDue
        }
    }
}
