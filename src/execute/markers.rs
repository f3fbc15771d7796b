//! Markers for a whole batch of customers in a few writes. The marker is the last action
//! of a customer (see the order in `execute`'s module paragraph), so the executor keeps
//! each customer's marker aside (`deferred.rs`) and sets them all at the end of the batch: one
//! `res.partner.write` per distinct tag change (`writeback::set_markers`) instead of one
//! per customer. Each action is still marked `started` before and `done` (or `failed`)
//! after, so a crash between the two leaves `started` markers, which the next run sets
//! again: a marker write is idempotent. This module decides nothing about which marker a
//! customer gets; the plan did.

use crate::execute::ExecuteError;
use crate::execute::payload::Payload;
use crate::execute::perform::Performer;
use crate::execute::run::{Failure, RunReport};
use crate::followup::CustomerId;
use crate::ledger::{Action, ActionKind, Completion};
use crate::odoo::OdooApi;
use crate::odoo::writeback::{self, MarkerChange};
use std::collections::BTreeMap;

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

impl<A: OdooApi> Performer<'_, A> {
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
        let ledger = self.ledger;
        let ids: Vec<_> = pending.iter().map(|p| p.action.id).collect();
        ledger.mark_started_many(&ids).await?;
        let changes: Vec<MarkerChange> = pending.iter().map(|p| p.change.clone()).collect();
        match writeback::set_markers(self.odoo, &changes).await {
            Ok(_) => {
                // One company per plan: the ledger's marker ownership in one transaction
                // per company all the same.
                let mut owned: BTreeMap<i64, Vec<(i64, Option<i64>)>> = BTreeMap::new();
                for p in &pending {
                    owned
                        .entry(p.action.company_id.get())
                        .or_default()
                        .push((p.change.partner_id, p.change.add));
                }
                for (company, markers) in owned {
                    ledger.set_markers(company, &markers).await?;
                }
                let done: Vec<_> = pending
                    .iter()
                    .map(|p| {
                        let completion = Completion {
                            odoo_ids: p.change.add.into_iter().collect(),
                            ..Default::default()
                        };
                        (p.action.id, completion)
                    })
                    .collect();
                ledger.mark_done_many(&done).await?;
                for p in pending {
                    self.created
                        .insert(p.action.key.clone(), p.change.add.into_iter().collect());
                    report.count(ActionKind::Marker);
                }
            }
            Err(e) => {
                let reason = e.to_string();
                ledger.mark_failed_many(&ids, &reason).await?;
                for p in pending {
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
