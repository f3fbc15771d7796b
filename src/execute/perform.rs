//! Performing one recorded action from its payload: `started` before the side effect,
//! then `done`, `failed` (known not to have happened, retried later) or `uncertain`
//! (an email that may have left: never resent automatically). Odoo writes are looked up
//! by their token before being redone only when they failed before (a first attempt
//! cannot have happened yet), which saves a search per write.

use crate::deliver::MailTransport;
use crate::execute::ExecuteError;
use crate::execute::action_error::ActionError;
use crate::execute::payload::Payload;
use crate::execute::side_effects::Effect;
use crate::ledger::{Action, ActionState, Ledger};
use crate::odoo::OdooApi;
use crate::render::PdfRenderer;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// How emails leave.
pub enum MailChannel {
    Transport(MailTransport),
    /// Through Odoo's own mail server (`message_post` to the contacts).
    Odoo,
}

/// What happened to one action. The errors keep their cause; the ledger has their text.
pub enum ActionOutcome {
    Done,
    AlreadyDone,
    /// Known not to have happened: retried by a later run.
    Failed(ActionError),
    /// The email was refused for good (5xx): a letter must replace it.
    Refused(ActionError),
    /// The email may have left: a person must confirm it.
    Uncertain(ActionError),
    /// Left alone: uncertain, or started by another process.
    Skipped,
}

impl ActionOutcome {
    /// The error, for the outcomes that have one.
    pub fn error(&self) -> Option<&ActionError> {
        match self {
            ActionOutcome::Failed(e) | ActionOutcome::Refused(e) | ActionOutcome::Uncertain(e) => {
                Some(e)
            }
            ActionOutcome::Done | ActionOutcome::AlreadyDone | ActionOutcome::Skipped => None,
        }
    }
}

/// As printed by `relanced resolve --resend`: `Done`, `Failed("why")`…
impl std::fmt::Debug for ActionOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionOutcome::Done => f.write_str("Done"),
            ActionOutcome::AlreadyDone => f.write_str("AlreadyDone"),
            ActionOutcome::Skipped => f.write_str("Skipped"),
            ActionOutcome::Failed(e) => f.debug_tuple("Failed").field(&e.to_string()).finish(),
            ActionOutcome::Refused(e) => f.debug_tuple("Refused").field(&e.to_string()).finish(),
            ActionOutcome::Uncertain(e) => {
                f.debug_tuple("Uncertain").field(&e.to_string()).finish()
            }
        }
    }
}

pub struct Performer<'a, A: OdooApi> {
    pub(super) odoo: &'a A,
    pub(super) ledger: &'a Ledger,
    pub(super) mail: &'a MailChannel,
    pub(super) pdf: Arc<dyn PdfRenderer>,
    /// Done actions' Odoo ids by key, for notes that link attachments.
    pub(super) created: Created,
    /// Where the time goes (templates, PDF, mail).
    pub(super) clock: Arc<crate::timing::WorkClock>,
    /// Letters being rendered ahead, by PDF path (see [`Performer::render_ahead`]).
    pub(super) ahead: Mutex<BTreeMap<std::path::PathBuf, Rendering>>,
    /// What batches of notes are posted with, read once (`writeback::post_notes_with`).
    pub(super) notes: crate::odoo::writeback::NoteCache,
}

/// The Odoo ids of the done actions, by key: the customers of a batch are worked through
/// together (`run.rs`), each adding its own. The lock is never held across an `await`.
#[derive(Default)]
pub struct Created(Mutex<BTreeMap<String, Vec<i64>>>);

impl Created {
    fn map(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Vec<i64>>> {
        // Nothing panics while holding it; a poisoned map is still whole.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn insert(&self, key: String, ids: Vec<i64>) {
        self.map().insert(key, ids);
    }

    /// The ids the done action `key` created.
    pub fn get(&self, key: &str) -> Option<Vec<i64>> {
        self.map().get(key).cloned()
    }

    /// Everything, leaving this empty (a batch's ids handed to the writer).
    pub fn take(&mut self) -> Created {
        Created(Mutex::new(std::mem::take(
            self.0
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )))
    }
}

/// A letter's PDF being rendered on the pool.
pub type Rendering = tokio::task::JoinHandle<Result<Vec<u8>, ActionError>>;

impl<'a, A: OdooApi> Performer<'a, A> {
    /// A performer on the same servers, ledger and pools, with empty caches: the executor's
    /// writer of a batch's deferred writes, working beside the performer of the next batch.
    pub fn sibling(&self) -> Performer<'a, A> {
        Performer::new(
            self.odoo,
            self.ledger,
            self.mail,
            Arc::clone(&self.pdf),
            Arc::clone(&self.clock),
        )
    }
}

impl<A: OdooApi> Performer<'_, A> {
    /// The Odoo ids the done actions of `keys` created (a note's letters).
    pub(super) fn created_ids(&self, keys: &[String]) -> Vec<i64> {
        keys.iter()
            .filter_map(|k| self.created.get(k))
            .flatten()
            .collect()
    }

    /// A server this run cannot reach any more (SMTP, then Odoo), if there is one: the
    /// executor then stops, leaving the customers not yet done as they are.
    pub fn unreachable(&self) -> Option<crate::breaker::Tripped> {
        let smtp = match self.mail {
            MailChannel::Transport(crate::deliver::MailTransport::Smtp(smtp)) => {
                smtp.breaker().tripped()
            }
            _ => None,
        };
        smtp.or_else(|| self.odoo.breaker().and_then(|b| b.tripped()))
    }

    pub async fn perform(
        &self,
        action: &Action,
        payload: &Payload,
    ) -> Result<ActionOutcome, ExecuteError> {
        match action.state {
            ActionState::Done => {
                self.created
                    .insert(action.key.clone(), action.odoo_ids.clone());
                return Ok(ActionOutcome::AlreadyDone);
            }
            ActionState::Uncertain | ActionState::Started => return Ok(ActionOutcome::Skipped),
            ActionState::Planned | ActionState::Failed => {}
        }
        self.ledger.mark_started(action.id).await?;
        let ahead = match payload {
            Payload::Letter { pdf, .. } => self.ahead_map().remove(&pdf.path),
            _ => None,
        };
        // Only an action that failed before may have reached Odoo (an answer lost after
        // the commit): its writes are looked up by their token first. A planned one was
        // never started.
        let retried = action.state == ActionState::Failed;
        let result = self.side_effect(action, payload, ahead, retried).await;
        match result {
            Ok(Effect::Done(completion)) => {
                self.created
                    .insert(action.key.clone(), completion.odoo_ids.clone());
                self.ledger.mark_done(action.id, completion).await?;
                Ok(ActionOutcome::Done)
            }
            Ok(Effect::Recorded) => Ok(ActionOutcome::Done),
            Ok(Effect::Uncertain(why)) => {
                self.ledger
                    .mark_uncertain(action.id, &why.to_string())
                    .await?;
                Ok(ActionOutcome::Uncertain(why))
            }
            Ok(Effect::Refused(why)) => {
                self.ledger.mark_failed(action.id, &why.to_string()).await?;
                Ok(ActionOutcome::Refused(why))
            }
            Err(why) => {
                self.ledger.mark_failed(action.id, &why.to_string()).await?;
                Ok(ActionOutcome::Failed(why))
            }
        }
    }

    /// Starts rendering these letters now, on the PDF pool's workers, while the executor
    /// goes on with the customers before them (waiting for Odoo, mostly). Nothing is
    /// written: the letter action still records its PDF when its turn comes.
    pub fn render_ahead<'p>(&self, letters: impl IntoIterator<Item = &'p Payload>) {
        let mut ahead = self.ahead_map();
        for letter in letters {
            let Payload::Letter { html, pdf } = letter else {
                continue;
            };
            if ahead.contains_key(&pdf.path) {
                continue;
            }
            let rendering = self.start_rendering(html);
            ahead.insert(pdf.path.clone(), rendering);
        }
    }

    fn ahead_map(&self) -> std::sync::MutexGuard<'_, BTreeMap<std::path::PathBuf, Rendering>> {
        self.ahead
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Reads a letter's HTML and renders it on the PDF pool, off the async threads.
    pub(super) fn start_rendering(&self, html: &std::path::Path) -> Rendering {
        let renderer = self.pdf.clone();
        let html = html.to_owned();
        tokio::task::spawn_blocking(move || {
            let text = std::fs::read_to_string(&html).map_err(|e| ActionError::read(&html, e))?;
            Ok(renderer.render_pdf(&text)?)
        })
    }
}
