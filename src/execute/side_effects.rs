//! The side effect of each kind of action, one function per kind: render a letter, send
//! an email (SMTP/files or through Odoo), record the communication's state, attach a
//! file, post a note, create an activity, set the marker. Each returns what it produced
//! or an [`ActionError`] keeping the cause; none of them touches the action's state in
//! the ledger (that is [`Performer::perform`]'s job), except the state action, whose
//! side effect is that very transaction.

use crate::deliver::{Attachment, Mailbox, OutgoingEmail};
use crate::execute::action_error::ActionError;
use crate::execute::payload::{EmailPayload, Payload, StoredFile};
use crate::execute::perform::{MailChannel, Performer, Rendering};
use crate::ledger::{Action, ActionKey, ActionKind, CommunicationDone, Completion};
use crate::odoo::{OdooApi, writeback};
use sha2::{Digest, Sha256};

/// What a side effect led to, short of an error that makes the action `failed`.
pub(super) enum Effect {
    Done(Completion),
    /// The side effect itself marked the action done (the state transaction).
    Recorded,
    /// It may have happened: never redone automatically.
    Uncertain(ActionError),
    /// Refused for good (an email's 5xx): a letter must replace it.
    Refused(ActionError),
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Odoo records created by the action, nothing else.
fn created(odoo_ids: Vec<i64>) -> Effect {
    Effect::Done(Completion {
        odoo_ids,
        ..Default::default()
    })
}

fn read(path: &std::path::Path) -> Result<Vec<u8>, ActionError> {
    std::fs::read(path).map_err(|e| ActionError::read(path, e))
}

impl<A: OdooApi> Performer<'_, A> {
    /// Performs the side effect of `action` as `payload` describes it. `retried`: the
    /// action failed before, so an Odoo write may have been committed already.
    pub(super) async fn side_effect(
        &self,
        action: &Action,
        payload: &Payload,
        ahead: Option<Rendering>,
        retried: bool,
    ) -> Result<Effect, ActionError> {
        match payload {
            Payload::Letter { html, pdf } => self.letter(html, pdf, ahead).await,
            Payload::Email(email) => match self.mail {
                MailChannel::Transport(transport) => {
                    self.email_by_transport(transport, action, email).await
                }
                MailChannel::Odoo => self.email_through_odoo(action, email).await,
            },
            Payload::State {
                company_id,
                customer_id,
                last,
                items,
                paragraph,
            } => {
                let done = CommunicationDone {
                    action_id: action.id,
                    completion: Completion::default(),
                    company_id: *company_id,
                    customer_id: *customer_id,
                    last: last.clone(),
                    items: items.clone(),
                    paragraph: *paragraph,
                };
                self.ledger.record_communication(&done).await?;
                Ok(Effect::Recorded)
            }
            Payload::Attachment { partner_id, file } => {
                self.attachment(action, *partner_id, file, retried).await
            }
            Payload::Note {
                partner_id,
                body_html,
                attachment_keys,
                token,
            } => {
                if retried
                    && let Some(id) = writeback::find_note(self.odoo, *partner_id, token).await?
                {
                    return Ok(created(vec![id]));
                }
                let attachments = self.created_ids(attachment_keys);
                let id =
                    writeback::post_note(self.odoo, *partner_id, body_html, &attachments).await?;
                Ok(created(vec![id]))
            }
            Payload::Activity {
                partner_id, token, ..
            } => {
                if retried
                    && let Some(id) =
                        writeback::find_activity(self.odoo, *partner_id, token).await?
                {
                    return Ok(created(vec![id]));
                }
                // This arm matched an activity payload, which always has one.
                let new = payload.new_activity().expect("an activity payload");
                let id = writeback::create_activity(self.odoo, &new).await?;
                Ok(created(vec![id]))
            }
            Payload::Marker {
                partner_id,
                add,
                remove,
            } => {
                writeback::set_marker(self.odoo, *partner_id, *add, remove).await?;
                self.ledger
                    .set_marker(action.company_id.get(), *partner_id, *add)
                    .await?;
                Ok(created(add.iter().copied().collect()))
            }
        }
    }

    /// Waits for the letter's PDF (rendered ahead or now) and stores it.
    async fn letter(
        &self,
        html: &std::path::Path,
        pdf: &StoredFile,
        ahead: Option<Rendering>,
    ) -> Result<Effect, ActionError> {
        let rendering = ahead.unwrap_or_else(|| self.start_rendering(html));
        // The time this run waited for the PDF (none if it was rendered ahead).
        let bytes = self.clock.pdf.time_async(rendering).await??;
        crate::deliver::outbox::write_private(&pdf.path, &bytes)?;
        Ok(Effect::Done(Completion {
            odoo_ids: vec![],
            document_path: Some(pdf.path.display().to_string()),
            document_sha256: Some(sha(&bytes)),
        }))
    }

    /// Sends the email through the configured transport (SMTP or files).
    async fn email_by_transport(
        &self,
        transport: &crate::deliver::MailTransport,
        action: &Action,
        payload: &EmailPayload,
    ) -> Result<Effect, ActionError> {
        let email = outgoing(payload, &action.key)?;
        match self.clock.mail.time_async(transport.send(&email)).await {
            Ok(sent) => Ok(Effect::Done(Completion {
                odoo_ids: vec![],
                document_path: sent.path.map(|p| p.display().to_string()),
                document_sha256: Some(sha(&sent.eml)),
            })),
            Err(e) => {
                let e = ActionError::from(e);
                if e.refused() {
                    Ok(Effect::Refused(e))
                } else if e.outcome_unknown() {
                    Ok(Effect::Uncertain(e))
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Posts the email in the customer's chatter, Odoo's mail server sending it.
    async fn email_through_odoo(
        &self,
        action: &Action,
        payload: &EmailPayload,
    ) -> Result<Effect, ActionError> {
        let EmailPayload {
            subject,
            html,
            attachments,
            recipient_partner_ids,
            ..
        } = payload;
        let partner = action.customer_id.get();
        // The letter travels with the email as in SMTP: attached to the customer first,
        // then linked to the message (the attachment action of the communication reuses
        // it). A failed attachment fails the email, whatever its outcome.
        let mut attachment_ids = Vec::new();
        for file in attachments {
            let bytes = read(&file.path)?;
            let id =
                writeback::attach_pdf(self.odoo, "res.partner", partner, &file.filename, &bytes)
                    .await?;
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
            Ok(id) => Ok(created(std::iter::once(id).chain(attachment_ids).collect())),
            Err(e) if e.kind.outcome_unknown() => Ok(Effect::Uncertain(e.into())),
            Err(e) => Err(e.into()),
        }
    }

    /// Attaches a file to the customer, unless the email sent through Odoo carried it.
    async fn attachment(
        &self,
        action: &Action,
        partner_id: i64,
        file: &StoredFile,
        retried: bool,
    ) -> Result<Effect, ActionError> {
        // An email sent through Odoo carried the letter: it is attached already.
        let email = action
            .key
            .parse::<ActionKey>()
            .map(|k| k.sibling(ActionKind::Email).to_string());
        if let Some(id) = email
            .ok()
            .and_then(|email| self.created.get(&email))
            .and_then(|ids| ids.get(1).copied())
        {
            return Ok(created(vec![id]));
        }
        // A crash between Odoo's commit and ours left it there: reuse it.
        if retried
            && let Some(id) =
                writeback::find_attachment(self.odoo, partner_id, &file.filename).await?
        {
            return Ok(created(vec![id]));
        }
        let bytes = read(&file.path)?;
        let id =
            writeback::attach_pdf(self.odoo, "res.partner", partner_id, &file.filename, &bytes)
                .await?;
        Ok(created(vec![id]))
    }
}

/// The email of a payload, marked with its action key.
fn outgoing(payload: &EmailPayload, key: &str) -> Result<OutgoingEmail, ActionError> {
    let EmailPayload {
        from,
        to,
        reply_to,
        subject,
        html,
        text,
        attachments,
        message_id,
        ..
    } = payload;
    let mailbox = |s: &str| {
        s.parse::<Mailbox>().map_err(|source| ActionError::Address {
            text: s.to_owned(),
            source,
        })
    };
    let mut files = Vec::new();
    for a in attachments {
        files.push(Attachment {
            filename: a.filename.clone(),
            mime: a.mime.clone(),
            bytes: read(&a.path)?,
        });
    }
    Ok(OutgoingEmail {
        from: mailbox(from)?,
        to: to.iter().map(|t| mailbox(t)).collect::<Result<_, _>>()?,
        cc: vec![],
        reply_to: reply_to.as_deref().map(mailbox).transpose()?,
        subject: subject.to_owned(),
        html: html.to_owned(),
        text: text.to_owned(),
        attachments: files,
        message_id: message_id.to_owned(),
        headers: vec![("X-Relanced-Action".into(), key.to_owned())],
        date: None,
    })
}
