//! Markers for a whole batch of customers in a few writes. The marker is the last action
//! of a customer (see the order in `execute`'s module paragraph), so the executor keeps
//! each customer's marker aside and sets them all at the end of the batch: one
//! `res.partner.write` per distinct tag change (`writeback::set_markers`) instead of one
//! per customer. Each action is still marked `started` before and `done` (or `failed`)
//! after, so a crash between the two leaves `started` markers, which the next run sets
//! again: a marker write is idempotent. This module decides nothing about which marker a
//! customer gets; the plan did.

use crate::execute::ExecuteError;
use crate::execute::payload::Payload;
use crate::execute::run::{Executor, Failure, RunReport};
use crate::followup::CustomerId;
use crate::ledger::{Action, ActionKind, Completion};
use crate::odoo::OdooApi;
use crate::odoo::writeback::{self, MarkerChange};

/// A customer's marker action kept aside until the end of its batch.
pub(super) struct PendingMarker {
    pub customer: CustomerId,
    pub action: Action,
    pub change: MarkerChange,
}

impl PendingMarker {
    /// The marker action of `customer` to keep aside, when `payload` is one.
    pub(super) fn of(customer: CustomerId, action: &Action, payload: &Payload) -> Option<Self> {
        match payload {
            Payload::Marker {
                partner_id,
                add,
                remove,
            } => Some(PendingMarker {
                customer,
                action: action.clone(),
                change: MarkerChange {
                    partner_id: *partner_id,
                    add: *add,
                    remove: remove.clone(),
                },
            }),
            _ => None,
        }
    }
}

impl<A: OdooApi> Executor<'_, A> {
    /// Sets the batch's markers: all `started`, the writes, then each `done` with the
    /// ledger's marker ownership, or each `failed` with the Odoo error (retried next run).
    pub(super) async fn set_pending_markers(
        &mut self,
        pending: Vec<PendingMarker>,
        report: &mut RunReport,
    ) -> Result<(), ExecuteError> {
        if pending.is_empty() {
            return Ok(());
        }
        let ledger = self.performer.ledger;
        for p in &pending {
            ledger.mark_started(p.action.id).await?;
        }
        let changes: Vec<MarkerChange> = pending.iter().map(|p| p.change.clone()).collect();
        match writeback::set_markers(self.performer.odoo, &changes).await {
            Ok(_) => {
                for p in pending {
                    let company = p.action.company_id.get();
                    ledger
                        .set_marker(company, p.change.partner_id, p.change.add)
                        .await?;
                    let odoo_ids: Vec<i64> = p.change.add.into_iter().collect();
                    let completion = Completion {
                        odoo_ids: odoo_ids.clone(),
                        ..Default::default()
                    };
                    ledger.mark_done(p.action.id, completion).await?;
                    self.performer
                        .created
                        .insert(p.action.key.clone(), odoo_ids);
                    report.count(ActionKind::Marker);
                }
            }
            Err(e) => {
                let reason = e.to_string();
                for p in pending {
                    ledger.mark_failed(p.action.id, &reason).await?;
                    report.failures.push(Failure {
                        customer_id: p.customer,
                        action: p.action.key.clone(),
                        reason: reason.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}
