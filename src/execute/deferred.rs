//! The Odoo writes a batch of customers makes together at its end. A customer's note,
//! activities and marker are its last actions (see the order in `execute`'s module
//! paragraph) and nothing after them depends on them, so the executor keeps them aside
//! while it works through the batch, then makes them in a few calls: one
//! `ir.attachment.create` for all the letters to attach (`writeback::attach_pdfs`), one
//! `mail.message.create` for all the notes (`writeback::post_notes_with`, linking those
//! attachments), one
//! `mail.activity.create` for all the activities, one `write` per distinct marker change
//! (`markers.rs`). They are made by a second [`Performer`] (the executor's writer) while
//! the next batch's customers are worked through, so that Odoo's time for them overlaps
//! relanced's local work (templates, emails, ledger).
//!
//! Each kind is moved `started` in one ledger transaction before its call and `done` (or
//! `failed`) in one after, so a crash in between leaves `started` actions that the next
//! run's reconciliation looks up by their token, as for a single write. A customer whose
//! letter or note could not be written keeps its later actions `planned` (retried by the
//! next run), as when its actions run one by one. A batch that Odoo refuses as a whole
//! (one customer's values) is done again one action at a time, each looked up by its
//! token first, so that the others do not wait for the next run.

use crate::execute::ExecuteError;
use crate::execute::action_error::ActionError;
use crate::execute::markers::PendingMarker;
use crate::execute::payload::Payload;
use crate::execute::perform::{ActionOutcome, Created, Performer};
use crate::execute::run::{Failure, RunReport};
use crate::followup::CustomerId;
use crate::ledger::{Action, ActionId, ActionKey, ActionKind, ActionState, Completion};
use crate::odoo::writeback::{self, NewActivity, NewAttachment, NewNote};
use crate::odoo::{OdooApi, OdooError};
use std::collections::BTreeSet;

/// An action kept aside until the end of its batch, with what it will write.
pub(super) struct Held {
    pub customer: CustomerId,
    pub action: Action,
    pub payload: Payload,
}

/// What a batch keeps aside.
#[derive(Default)]
pub(super) struct Deferred {
    attachments: Vec<Held>,
    notes: Vec<Held>,
    activities: Vec<Held>,
    markers: Vec<PendingMarker>,
}

impl Deferred {
    /// Adds another customer's held writes after these.
    pub(super) fn append(&mut self, mut other: Deferred) {
        self.attachments.append(&mut other.attachments);
        self.notes.append(&mut other.notes);
        self.activities.append(&mut other.activities);
        self.markers.append(&mut other.markers);
    }

    /// Keeps the action aside when it is an attachment, a note or an activity never
    /// started (one that failed before is looked up by its token first: it runs on its
    /// own), or a marker to set (markers are idempotent). Returns whether it was kept.
    /// An attachment the executor must not batch (the email sent through Odoo carried the
    /// letter) is left to `perform`.
    pub(super) fn hold(
        &mut self,
        customer: CustomerId,
        action: &Action,
        payload: &Payload,
        created: &Created,
    ) -> bool {
        let held = || Held {
            customer,
            action: action.clone(),
            payload: payload.clone(),
        };
        match (payload, action.state) {
            (Payload::Attachment { .. }, ActionState::Planned)
                if !carried_by_email(action, created) =>
            {
                self.attachments.push(held())
            }
            (Payload::Note { .. }, ActionState::Planned) => self.notes.push(held()),
            (Payload::Activity { .. }, ActionState::Planned) => self.activities.push(held()),
            (Payload::Marker { .. }, ActionState::Planned | ActionState::Failed) => {
                match PendingMarker::of(customer, action, payload) {
                    Some(marker) => self.markers.push(marker),
                    None => return false,
                }
            }
            _ => return false,
        }
        true
    }
}

/// One kind of batched write: how to make it, and what to call it.
#[derive(Clone, Copy)]
enum Kind {
    Attachments,
    Notes,
    Activities,
}

impl<A: OdooApi> Performer<'_, A> {
    /// Makes the batch's deferred writes: letters attached, then the notes, activities
    /// and markers of the customers whose earlier writes are done.
    pub(super) async fn flush(
        &mut self,
        deferred: Deferred,
        report: &mut RunReport,
    ) -> Result<(), ExecuteError> {
        let mut stopped = BTreeSet::new();
        self.write_held(
            Kind::Attachments,
            deferred.attachments,
            &mut stopped,
            report,
        )
        .await?;
        let notes = without(deferred.notes, &stopped, |h| h.customer);
        self.write_held(Kind::Notes, notes, &mut stopped, report)
            .await?;
        let activities = without(deferred.activities, &stopped, |h| h.customer);
        self.write_held(Kind::Activities, activities, &mut stopped, report)
            .await?;
        let markers = without(deferred.markers, &stopped, |m| m.customer);
        self.set_pending_markers(markers, report).await
    }

    /// Writes one kind of held action in one call; on a refusal of the whole call, one
    /// by one. Customers that end with a failure are added to `stopped`.
    async fn write_held(
        &mut self,
        kind: Kind,
        held: Vec<Held>,
        stopped: &mut BTreeSet<CustomerId>,
        report: &mut RunReport,
    ) -> Result<(), ExecuteError> {
        if held.is_empty() {
            return Ok(());
        }
        let ledger = self.ledger;
        let ids: Vec<ActionId> = held.iter().map(|h| h.action.id).collect();
        ledger.mark_started_many(&ids).await?;
        let written = match kind {
            Kind::Attachments => self.attach_held(&held).await,
            Kind::Notes => self.post_held_notes(&held).await.map_err(ActionError::from),
            Kind::Activities => self
                .create_held_activities(&held)
                .await
                .map_err(ActionError::from),
        };
        match written {
            Ok(created) => {
                let done: Vec<(ActionId, Completion)> = held
                    .iter()
                    .zip(&created)
                    .map(|(h, id)| {
                        let completion = Completion {
                            odoo_ids: vec![*id],
                            ..Default::default()
                        };
                        (h.action.id, completion)
                    })
                    .collect();
                ledger.mark_done_many(&done).await?;
                for (h, id) in held.iter().zip(created) {
                    self.created.insert(h.action.key.clone(), vec![id]);
                    report.count(h.action.kind);
                }
                Ok(())
            }
            Err(e) => {
                ledger.mark_failed_many(&ids, &e.to_string()).await?;
                if self.unreachable().is_some() {
                    // Odoo is down: all stay `failed`, retried (looked up first) next run.
                    for h in held {
                        stopped.insert(h.customer);
                        report.failures.push(failure(&h, &e.to_string()));
                    }
                    return Ok(());
                }
                self.one_by_one(held, stopped, report).await
            }
        }
    }

    /// Performs held actions (now `failed`) one at a time, each looked up by its token
    /// first, as a retry is.
    async fn one_by_one(
        &mut self,
        held: Vec<Held>,
        stopped: &mut BTreeSet<CustomerId>,
        report: &mut RunReport,
    ) -> Result<(), ExecuteError> {
        for mut h in held {
            h.action.state = ActionState::Failed;
            match self.perform(&h.action, &h.payload).await? {
                ActionOutcome::Done => report.count(h.action.kind),
                ActionOutcome::AlreadyDone => report.already_done += 1,
                ActionOutcome::Skipped => {}
                outcome => {
                    let reason = outcome.error().map(|e| e.to_string()).unwrap_or_default();
                    stopped.insert(h.customer);
                    report.failures.push(failure(&h, &reason));
                }
            }
        }
        Ok(())
    }

    async fn attach_held(&self, held: &[Held]) -> Result<Vec<i64>, ActionError> {
        let mut files = Vec::with_capacity(held.len());
        for h in held {
            if let Payload::Attachment { partner_id, file } = &h.payload {
                let bytes =
                    std::fs::read(&file.path).map_err(|e| ActionError::read(&file.path, e))?;
                files.push((*partner_id, file.filename.as_str(), bytes));
            }
        }
        let letters: Vec<NewAttachment<'_>> = files
            .iter()
            .map(|(partner_id, filename, bytes)| NewAttachment {
                res_model: "res.partner",
                res_id: *partner_id,
                filename,
                pdf: bytes,
            })
            .collect();
        same_length(held, letters.len(), "ir.attachment")?;
        Ok(writeback::attach_pdfs(self.odoo, &letters).await?)
    }

    async fn post_held_notes(&mut self, held: &[Held]) -> Result<Vec<i64>, OdooError> {
        let attachments: Vec<Vec<i64>> = held
            .iter()
            .map(|h| match &h.payload {
                Payload::Note {
                    attachment_keys, ..
                } => self.created_ids(attachment_keys),
                _ => Vec::new(),
            })
            .collect();
        let notes: Vec<NewNote<'_>> = held
            .iter()
            .zip(&attachments)
            .filter_map(|(h, attachment_ids)| match &h.payload {
                Payload::Note {
                    partner_id,
                    body_html,
                    ..
                } => Some(NewNote {
                    partner_id: *partner_id,
                    body_html,
                    attachment_ids,
                }),
                _ => None,
            })
            .collect();
        same_length(held, notes.len(), "mail.message")?;
        let odoo = self.odoo;
        writeback::post_notes_with(odoo, &notes, &mut self.notes).await
    }

    async fn create_held_activities(&self, held: &[Held]) -> Result<Vec<i64>, OdooError> {
        let activities: Vec<NewActivity<'_>> = held
            .iter()
            .filter_map(|h| h.payload.new_activity())
            .collect();
        same_length(held, activities.len(), "mail.activity")?;
        writeback::create_activities(self.odoo, &activities).await
    }
}

/// Whether the email of the same communication, sent through Odoo, attached the letter
/// already (its second Odoo id): `perform` then reuses it.
fn carried_by_email(action: &Action, created: &Created) -> bool {
    action
        .key
        .parse::<ActionKey>()
        .map(|k| k.sibling(ActionKind::Email).to_string())
        .ok()
        .and_then(|email| created.get(&email))
        .is_some_and(|ids| ids.len() > 1)
}

/// `Deferred::hold` keeps only payloads of the right kind: a mismatch is a bug, reported
/// before anything is written rather than misattributing ids.
fn same_length(held: &[Held], made: usize, model: &str) -> Result<(), OdooError> {
    if held.len() == made {
        return Ok(());
    }
    let ids: Vec<i64> = held.iter().map(|h| h.action.customer_id.get()).collect();
    Err(OdooError::protocol(
        model,
        "create",
        &ids,
        "a held action has a payload of another kind",
    ))
}

fn without<T>(
    items: Vec<T>,
    stopped: &BTreeSet<CustomerId>,
    customer: fn(&T) -> CustomerId,
) -> Vec<T> {
    items
        .into_iter()
        .filter(|item| !stopped.contains(&customer(item)))
        .collect()
}

fn failure(h: &Held, reason: &str) -> Failure {
    Failure {
        customer_id: h.customer,
        action: h.action.key.clone(),
        reason: reason.to_owned(),
    }
}
