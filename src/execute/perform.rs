//! Performing one recorded action from its payload: `started` before the side effect,
//! then `done`, `failed` (known not to have happened, retried later) or `uncertain`
//! (an email that may have left: never resent automatically). Odoo writes are looked up
//! by their token before being redone only when they failed before (a first attempt
//! cannot have happened yet), which saves a search per write.

use crate::deliver::{Attachment, MailError, MailTransport, Mailbox, OutgoingEmail};
use crate::execute::ExecuteError;
use crate::execute::payload::Payload;
use crate::ledger::{Action, ActionState, CommunicationDone, Completion, Ledger};
use crate::odoo::{OdooApi, writeback};
use crate::render::PdfRenderer;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How emails leave.
pub enum MailChannel {
    Transport(MailTransport),
    /// Through Odoo's own mail server (`message_post` to the contacts).
    Odoo,
}

/// What happened to one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    AlreadyDone,
    Failed(String),
    /// The email was refused for good (5xx): a letter must replace it.
    Refused(String),
    Uncertain(String),
    /// Left alone: uncertain, or started by another process.
    Skipped,
}

pub struct Performer<'a, A: OdooApi> {
    pub odoo: &'a A,
    pub ledger: &'a Ledger,
    pub mail: &'a MailChannel,
    pub pdf: Arc<dyn PdfRenderer>,
    /// Done actions' Odoo ids by key, for notes that link attachments.
    pub created: BTreeMap<String, Vec<i64>>,
    /// Where the time goes (templates, PDF, mail).
    pub clock: Arc<crate::timing::WorkClock>,
    /// Letters being rendered ahead, by PDF path (see [`Performer::render_ahead`]).
    pub ahead: BTreeMap<std::path::PathBuf, Rendering>,
}

/// A letter's PDF being rendered on the pool.
pub type Rendering = tokio::task::JoinHandle<Result<Vec<u8>, String>>;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl<A: OdooApi> Performer<'_, A> {
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
        &mut self,
        action: &Action,
        payload: &Payload,
    ) -> Result<Outcome, ExecuteError> {
        match action.state {
            ActionState::Done => {
                self.created
                    .insert(action.key.clone(), action.odoo_ids.clone());
                return Ok(Outcome::AlreadyDone);
            }
            ActionState::Uncertain | ActionState::Started => return Ok(Outcome::Skipped),
            ActionState::Planned | ActionState::Failed => {}
        }
        self.ledger.mark_started(action.id).await?;
        let ahead = match payload {
            Payload::Letter { pdf, .. } => self.ahead.remove(&pdf.path),
            _ => None,
        };
        let result = self.side_effect(action, payload, ahead).await;
        match result {
            Ok(Effect::Done(completion)) => {
                self.created
                    .insert(action.key.clone(), completion.odoo_ids.clone());
                self.ledger.mark_done(action.id, completion).await?;
                Ok(Outcome::Done)
            }
            Ok(Effect::Recorded) => Ok(Outcome::Done),
            Ok(Effect::Uncertain(why)) => {
                self.ledger.mark_uncertain(action.id, &why).await?;
                Ok(Outcome::Uncertain(why))
            }
            Ok(Effect::Refused(why)) => {
                self.ledger.mark_failed(action.id, &why).await?;
                Ok(Outcome::Refused(why))
            }
            Err(why) => {
                self.ledger.mark_failed(action.id, &why).await?;
                Ok(Outcome::Failed(why))
            }
        }
    }

    /// Starts rendering these letters now, on the PDF pool's workers, while the executor
    /// goes on with the customers before them (waiting for Odoo, mostly). Nothing is
    /// written: the letter action still records its PDF when its turn comes.
    pub fn render_ahead<'p>(&mut self, letters: impl IntoIterator<Item = &'p Payload>) {
        for letter in letters {
            let Payload::Letter { html, pdf } = letter else {
                continue;
            };
            if self.ahead.contains_key(&pdf.path) {
                continue;
            }
            let rendering = self.start_rendering(html);
            self.ahead.insert(pdf.path.clone(), rendering);
        }
    }

    /// Reads a letter's HTML and renders it on the PDF pool, off the async threads.
    fn start_rendering(&self, html: &std::path::Path) -> Rendering {
        let renderer = self.pdf.clone();
        let html = html.to_owned();
        tokio::task::spawn_blocking(move || {
            let html = std::fs::read_to_string(&html)
                .map_err(|e| format!("cannot read {}: {e}", html.display()))?;
            renderer.render_pdf(&html).map_err(|e| e.to_string())
        })
    }

    async fn side_effect(
        &self,
        action: &Action,
        payload: &Payload,
        ahead: Option<Rendering>,
    ) -> Result<Effect, String> {
        // Only an action that failed before may have reached Odoo (an answer lost after
        // the commit): look it up by its token first. A planned one was never started.
        let retried = action.state == ActionState::Failed;
        match payload {
            Payload::Letter { html, pdf } => {
                let rendering = ahead.unwrap_or_else(|| self.start_rendering(html));
                // The time this run waited for the PDF (none if it was rendered ahead).
                let bytes = self
                    .clock
                    .pdf
                    .time_async(rendering)
                    .await
                    .map_err(|e| format!("PDF renderer crashed: {e}"))??;
                crate::deliver::outbox::write_private(&pdf.path, &bytes)
                    .map_err(|e| e.to_string())?;
                Ok(Effect::Done(Completion {
                    odoo_ids: vec![],
                    document_path: Some(pdf.path.display().to_string()),
                    document_sha256: Some(sha(&bytes)),
                }))
            }
            Payload::Email {
                from,
                to,
                reply_to,
                subject,
                html,
                text,
                attachments,
                message_id,
                recipient_partner_ids,
            } => match self.mail {
                MailChannel::Transport(transport) => {
                    let email = outgoing(
                        from,
                        to,
                        reply_to.as_deref(),
                        subject,
                        html,
                        text,
                        attachments,
                        message_id,
                        &action.key,
                    )?;
                    match self.clock.mail.time_async(transport.send(&email)).await {
                        Ok(sent) => Ok(Effect::Done(Completion {
                            odoo_ids: vec![],
                            document_path: sent.path.map(|p| p.display().to_string()),
                            document_sha256: Some(sha(&sent.eml)),
                        })),
                        Err(e @ MailError::Uncertain { .. }) => {
                            Ok(Effect::Uncertain(e.to_string()))
                        }
                        Err(e @ MailError::Permanent { .. }) => Ok(Effect::Refused(e.to_string())),
                        Err(e) => Err(e.to_string()),
                    }
                }
                MailChannel::Odoo => {
                    let partner = action.customer_id;
                    // The letter travels with the email as in SMTP: attached to the
                    // customer first, then linked to the message (the attachment action
                    // of the communication reuses it).
                    let mut attachment_ids = Vec::new();
                    for file in attachments {
                        let bytes = std::fs::read(&file.path)
                            .map_err(|e| format!("cannot read {}: {e}", file.path.display()))?;
                        let id = writeback::attach_pdf(
                            self.odoo,
                            "res.partner",
                            partner,
                            &file.filename,
                            &bytes,
                        )
                        .await
                        .map_err(|e| e.to_string())?;
                        attachment_ids.push(id);
                    }
                    match writeback::post_email(
                        self.odoo,
                        partner,
                        recipient_partner_ids,
                        subject,
                        html,
                        &attachment_ids,
                    )
                    .await
                    {
                        Ok(id) => Ok(Effect::Done(Completion {
                            odoo_ids: std::iter::once(id).chain(attachment_ids).collect(),
                            ..Default::default()
                        })),
                        Err(e) if e.kind.outcome_unknown() => Ok(Effect::Uncertain(e.to_string())),
                        Err(e) => Err(e.to_string()),
                    }
                }
            },
            Payload::State {
                company_id,
                customer_id,
                last,
                items,
            } => {
                let done = CommunicationDone {
                    action_id: action.id,
                    completion: Completion::default(),
                    company_id: *company_id,
                    customer_id: *customer_id,
                    last: last.clone(),
                    items: items.clone(),
                };
                self.ledger
                    .record_communication(&done)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Effect::Recorded)
            }
            Payload::Attachment { partner_id, file } => {
                // An email sent through Odoo carried the letter: it is attached already.
                let email = format!(
                    "{}/email",
                    crate::execute::retry::communication(&action.key)
                );
                if let Some(id) = self.created.get(&email).and_then(|ids| ids.get(1)) {
                    return Ok(Effect::Done(Completion {
                        odoo_ids: vec![*id],
                        ..Default::default()
                    }));
                }
                // A crash between Odoo's commit and ours left it there: reuse it.
                if retried
                    && let Some(id) =
                        writeback::find_attachment(self.odoo, *partner_id, &file.filename)
                            .await
                            .map_err(|e| e.to_string())?
                {
                    return Ok(Effect::Done(Completion {
                        odoo_ids: vec![id],
                        ..Default::default()
                    }));
                }
                let bytes = std::fs::read(&file.path)
                    .map_err(|e| format!("cannot read {}: {e}", file.path.display()))?;
                let id = writeback::attach_pdf(
                    self.odoo,
                    "res.partner",
                    *partner_id,
                    &file.filename,
                    &bytes,
                )
                .await
                .map_err(|e| e.to_string())?;
                Ok(Effect::Done(Completion {
                    odoo_ids: vec![id],
                    ..Default::default()
                }))
            }
            Payload::Note {
                partner_id,
                body_html,
                attachment_keys,
                token,
            } => {
                if retried
                    && let Some(id) = writeback::find_note(self.odoo, *partner_id, token)
                        .await
                        .map_err(|e| e.to_string())?
                {
                    return Ok(Effect::Done(Completion {
                        odoo_ids: vec![id],
                        ..Default::default()
                    }));
                }
                let attachments: Vec<i64> = attachment_keys
                    .iter()
                    .filter_map(|k| self.created.get(k))
                    .flatten()
                    .copied()
                    .collect();
                let id = writeback::post_note(self.odoo, *partner_id, body_html, &attachments)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Effect::Done(Completion {
                    odoo_ids: vec![id],
                    ..Default::default()
                }))
            }
            Payload::Activity {
                partner_id,
                activity_type_id,
                user_id,
                summary,
                note_html,
                deadline,
                token,
            } => {
                if retried
                    && let Some(id) = writeback::find_activity(self.odoo, *partner_id, token)
                        .await
                        .map_err(|e| e.to_string())?
                {
                    return Ok(Effect::Done(Completion {
                        odoo_ids: vec![id],
                        ..Default::default()
                    }));
                }
                let new = writeback::NewActivity {
                    partner_id: *partner_id,
                    activity_type_id: *activity_type_id,
                    user_id: *user_id,
                    summary,
                    note_html,
                    deadline: *deadline,
                };
                let id = writeback::create_activity(self.odoo, &new)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Effect::Done(Completion {
                    odoo_ids: vec![id],
                    ..Default::default()
                }))
            }
            Payload::Marker {
                partner_id,
                add,
                remove,
            } => {
                writeback::set_marker(self.odoo, *partner_id, *add, remove)
                    .await
                    .map_err(|e| e.to_string())?;
                self.ledger
                    .set_marker(action.company_id, *partner_id, *add)
                    .await
                    .map_err(|e| e.to_string())?;
                Ok(Effect::Done(Completion {
                    odoo_ids: add.iter().copied().collect(),
                    ..Default::default()
                }))
            }
        }
    }
}

enum Effect {
    Done(Completion),
    /// The side effect itself marked the action done (the state transaction).
    Recorded,
    Uncertain(String),
    Refused(String),
}

#[allow(clippy::too_many_arguments)]
fn outgoing(
    from: &str,
    to: &[String],
    reply_to: Option<&str>,
    subject: &str,
    html: &str,
    text: &str,
    attachments: &[crate::execute::payload::StoredFile],
    message_id: &str,
    key: &str,
) -> Result<OutgoingEmail, String> {
    let mailbox = |s: &str| {
        s.parse::<Mailbox>()
            .map_err(|e| format!("not an address: {s:?}: {e}"))
    };
    let mut files = Vec::new();
    for a in attachments {
        let bytes =
            std::fs::read(&a.path).map_err(|e| format!("cannot read {}: {e}", a.path.display()))?;
        files.push(Attachment {
            filename: a.filename.clone(),
            mime: a.mime.clone(),
            bytes,
        });
    }
    Ok(OutgoingEmail {
        from: mailbox(from)?,
        to: to.iter().map(|t| mailbox(t)).collect::<Result<_, _>>()?,
        cc: vec![],
        reply_to: reply_to.map(mailbox).transpose()?,
        subject: subject.to_owned(),
        html: html.to_owned(),
        text: text.to_owned(),
        attachments: files,
        message_id: message_id.to_owned(),
        headers: vec![("X-Relanced-Action".into(), key.to_owned())],
        date: None,
    })
}
