//! Finishing, at the start of a run (before the state is read for planning), the
//! communications that left but were not completed: a failure or crash stopped that
//! customer after its email (done or uncertain) or letter. Their state is recorded, so
//! that a later day never sends the same level again, then their Odoo writes
//! (attachment, note, activity) are done: once the communication is recorded the
//! customer is gated and the plan will not produce them again. Emails, letters and
//! markers are never retried here: a failed email or letter leaves the communication
//! unrecorded, so the next plan makes it again, and markers are recomputed by every run.

use crate::execute::run::{Executor, Failure, RunReport, SUPERSEDED};
use crate::execute::{ActionOutcome, ExecuteError, payload};
use crate::ledger::{ActionFilter, ActionKey, ActionKind, ActionState};
use crate::odoo::OdooApi;
use std::collections::BTreeSet;

/// `c1/p2/lkey/2026-01-06`: the communication an action key belongs to (a text that is
/// not a key names a communication of its own).
pub(crate) fn communication(key: &str) -> String {
    key.parse::<ActionKey>()
        .map_or_else(|_| key.to_owned(), |k| k.communication())
}

impl<A: OdooApi> Executor<'_, A> {
    /// Performs the left-over Odoo writes of recorded communications.
    pub async fn retry_left_over(&mut self) -> Result<RunReport, ExecuteError> {
        let mut report = RunReport::default();
        let ledger = self.performer.ledger;
        let mut left = Vec::new();
        // A communication whose email failed did not leave, even when its letter did:
        // the next plan makes it again (a refused email has its own letter instead).
        let mut retried_emails = BTreeSet::new();
        for state in [ActionState::Failed, ActionState::Planned] {
            let actions = ledger
                .list_actions(ActionFilter {
                    run: None,
                    state: Some(state),
                })
                .await?;
            retried_emails.extend(
                actions
                    .iter()
                    .filter(|a| a.kind == ActionKind::Email && state == ActionState::Failed)
                    .map(|a| communication(&a.key)),
            );
            left.extend(actions.into_iter().filter(|a| {
                matches!(
                    a.kind,
                    ActionKind::State
                        | ActionKind::Attachment
                        | ActionKind::Note
                        | ActionKind::Activity
                        | ActionKind::Marker
                ) && a.last_error.as_deref() != Some(SUPERSEDED)
            }));
        }
        if left.is_empty() {
            return Ok(report);
        }
        left.sort_by_key(|a| a.id.0);
        let done = ledger
            .list_actions(ActionFilter {
                run: None,
                state: Some(ActionState::Done),
            })
            .await?;
        let mut recorded: BTreeSet<String> = done
            .iter()
            .filter(|a| a.kind == ActionKind::State)
            .map(|a| communication(&a.key))
            .collect();
        // Communications that left: an email done or uncertain, a letter done.
        let mut sent: BTreeSet<String> = done
            .iter()
            .filter(|a| matches!(a.kind, ActionKind::Email | ActionKind::Letter))
            .map(|a| communication(&a.key))
            .collect();
        sent.extend(
            ledger
                .list_actions(ActionFilter {
                    run: None,
                    state: Some(ActionState::Uncertain),
                })
                .await?
                .iter()
                .filter(|a| a.kind == ActionKind::Email)
                .map(|a| communication(&a.key)),
        );
        sent.retain(|c| !retried_emails.contains(c));
        // Notes link attachments; an email sent through Odoo carried the letter.
        for a in done
            .iter()
            .filter(|a| matches!(a.kind, ActionKind::Attachment | ActionKind::Email))
        {
            self.performer
                .created
                .insert(a.key.clone(), a.odoo_ids.clone());
        }
        for action in &left {
            let comm = communication(&action.key);
            let due = match action.kind {
                ActionKind::State => sent.contains(&comm) && !recorded.contains(&comm),
                // Idempotent, and recomputed by the run that follows: always settled.
                ActionKind::Marker => true,
                _ => recorded.contains(&comm),
            };
            if !due {
                continue;
            }
            let failure = |reason: String| Failure {
                customer_id: action.customer_id,
                action: action.key.clone(),
                reason,
            };
            let loaded = match payload::load(self.outbox, &action.key) {
                Ok(p) => p,
                Err(e) => {
                    report.failures.push(failure(e.to_string()));
                    continue;
                }
            };
            match self.performer.perform(action, &loaded).await? {
                ActionOutcome::Done => match action.kind {
                    ActionKind::State => {
                        recorded.insert(comm);
                    }
                    ActionKind::Note => report.notes += 1,
                    ActionKind::Activity => report.activities += 1,
                    ActionKind::Marker => report.markers += 1,
                    _ => {}
                },
                ActionOutcome::Failed(why)
                | ActionOutcome::Refused(why)
                | ActionOutcome::Uncertain(why) => report.failures.push(failure(why.to_string())),
                ActionOutcome::AlreadyDone | ActionOutcome::Skipped => {}
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_action_key_names_its_communication() {
        assert_eq!(
            super::communication("c1/p100/lamical/2026-01-06/note"),
            "c1/p100/lamical/2026-01-06"
        );
        assert_eq!(
            super::communication("c1/p100/lamical/2026-01-06/activity/call2"),
            "c1/p100/lamical/2026-01-06"
        );
    }
}
