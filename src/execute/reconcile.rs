//! Crash reconciliation, at start-up: actions left `started` by a dead process are
//! settled. Odoo writes are looked up by the token relanced put in them (done if found,
//! failed — hence redone — if not); local work (letters, state, markers) is redone; an
//! email left `started` is `uncertain`: never resent automatically, reported, and a
//! chatter note asks a person to confirm.

use crate::deliver::Outbox;
use crate::execute::ExecuteError;
use crate::execute::note::uncertain_html;
use crate::execute::payload::{self, Payload};
use crate::followup::Lang;
use crate::ledger::{Action, ActionFilter, ActionKind, ActionState, Completion, Ledger};
use crate::odoo::{OdooApi, writeback};

/// What reconciliation found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reconciled {
    /// Found done in Odoo.
    pub confirmed: usize,
    /// Not found: will be performed again.
    pub redo: usize,
    /// Emails now uncertain (keys).
    pub uncertain: Vec<String>,
}

/// A chatter note on the customer asking a person to check an uncertain email and
/// settle it with `relanced resolve`; posted once (looked up by its token).
pub async fn ask_to_confirm(
    odoo: &impl OdooApi,
    action: &Action,
    why: &str,
    lang: Lang,
) -> Result<(), crate::odoo::OdooError> {
    let token = format!("{}/uncertain", action.key);
    if writeback::find_note(odoo, action.customer_id.get(), &token)
        .await?
        .is_none()
    {
        let body = uncertain_html(
            &action.key,
            action.id.0,
            &action.recipients,
            why,
            lang,
            &token,
        );
        writeback::post_note(odoo, action.customer_id.get(), &body, &[]).await?;
    }
    Ok(())
}

pub async fn reconcile(
    odoo: &impl OdooApi,
    ledger: &Ledger,
    outbox: &Outbox,
    lang: Lang,
) -> Result<Reconciled, ExecuteError> {
    let mut out = Reconciled::default();
    let started = ledger
        .list_actions(ActionFilter {
            run: None,
            state: Some(ActionState::Started),
        })
        .await?;
    for action in started {
        let loaded = payload::load(outbox, &action.key);
        let found = match (&action.kind, &loaded) {
            (ActionKind::Email, _) => {
                ledger
                    .mark_uncertain(
                        action.id,
                        "relanced stopped while sending this email: it may have been delivered",
                    )
                    .await?;
                out.uncertain.push(action.key.clone());
                ask_to_confirm(odoo, &action, "relanced stopped while sending it", lang).await?;
                continue;
            }
            (
                ActionKind::Note,
                Ok(Payload::Note {
                    partner_id, token, ..
                }),
            ) => writeback::find_note(odoo, *partner_id, token).await?,
            (
                ActionKind::Activity,
                Ok(Payload::Activity {
                    partner_id, token, ..
                }),
            ) => writeback::find_activity(odoo, *partner_id, token).await?,
            (ActionKind::Attachment, Ok(Payload::Attachment { partner_id, file })) => {
                writeback::find_attachment(odoo, *partner_id, &file.filename).await?
            }
            _ => None,
        };
        match found {
            Some(id) => {
                ledger
                    .mark_done(
                        action.id,
                        Completion {
                            odoo_ids: vec![id],
                            ..Default::default()
                        },
                    )
                    .await?;
                out.confirmed += 1;
            }
            None => {
                ledger
                    .mark_failed(
                        action.id,
                        "interrupted before it was confirmed; it will be done again",
                    )
                    .await?;
                out.redo += 1;
            }
        }
    }
    Ok(out)
}
