//! A letter instead of an email refused for good (5xx): the same level by post, its
//! actions recorded under their own part names (`instead-of-email…`) since the email's
//! were superseded, then performed at once. It does not decide that a letter is due:
//! the executor calls it after a refusal.

use crate::execute::ExecuteError;
use crate::execute::payload::{self, Payload};
use crate::execute::perform::ActionOutcome;
use crate::execute::prepare::{self, Prepared};
use crate::execute::run::{CompanyRun, Executor, Failure, RunReport};
use crate::followup::CustomerId;
use crate::ledger::{ActionKind, RunId};
use crate::odoo::OdooApi;

impl<A: OdooApi> Executor<'_, A> {
    /// After a permanent refusal of the email: a letter, attached in Odoo.
    pub(super) async fn letter_instead(
        &self,
        run: RunId,
        customer: CustomerId,
        input: &CompanyRun<'_>,
        report: &mut RunReport,
    ) -> Result<(), ExecuteError> {
        let Some(decision) = input
            .plan
            .decisions
            .iter()
            .find(|d| d.customer_id == customer)
        else {
            return Ok(());
        };
        let Some(planned) = decision.communication() else {
            return Ok(());
        };
        // The same level by post: the email becomes the letter; activities stay.
        let mut planned = planned.clone();
        planned.actions = planned
            .actions
            .iter()
            .filter_map(|a| match a {
                crate::followup::PlannedAction::Email => {
                    Some(crate::followup::PlannedAction::Letter {
                        instead_of_email: true,
                    })
                }
                crate::followup::PlannedAction::Letter { .. } => None,
                other => Some(other.clone()),
            })
            .collect();
        let strategy = decision
            .strategy
            .as_deref()
            .and_then(|name| input.strategies.strategies.iter().find(|s| s.name == name))
            .ok_or(ExecuteError::StrategyNotFound { customer })?;
        let mut decision = decision.clone();
        decision.recipients.clear();
        decision.no_email = true;
        let prep = prepare::prepare_communication(
            self.templates,
            self.outbox,
            &self.from,
            None,
            &input.compose,
            strategy,
            &decision,
            &planned,
            &input.ids,
            &[],
        )?;
        // Every action under its own part name (the email's were superseded).
        let actions: Vec<Prepared> = prep
            .actions
            .into_iter()
            .map(|mut p| {
                p.planned.key.part = Some(match &p.planned.key.part {
                    Some(part) => format!("instead-of-email-{part}"),
                    None => "instead-of-email".into(),
                });
                let _ = payload::store(self.outbox, &p.planned.key.to_string(), &p.payload);
                p
            })
            .collect();
        let planned_actions: Vec<_> = actions.iter().map(|p| p.planned.clone()).collect();
        let recorded = self
            .performer
            .ledger
            .record_planned(run, &planned_actions)
            .await?;
        for (prep, rec) in actions.iter().zip(recorded) {
            let payload = match &prep.payload {
                // The note links the attachment recorded under the new key.
                Payload::Note {
                    partner_id,
                    body_html,
                    token,
                    ..
                } => Payload::Note {
                    partner_id: *partner_id,
                    body_html: body_html.clone(),
                    attachment_keys: actions
                        .iter()
                        .filter(|p| p.planned.key.kind == ActionKind::Attachment)
                        .map(|p| p.planned.key.to_string())
                        .collect(),
                    token: token.clone(),
                },
                other => other.clone(),
            };
            match self.performer.perform(&rec.action, &payload).await? {
                ActionOutcome::Done => report.count(rec.action.kind),
                ActionOutcome::Failed(why) => {
                    report.failures.push(Failure {
                        customer_id: customer,
                        action: rec.action.key.clone(),
                        reason: why.to_string(),
                    });
                    break;
                }
                _ => {}
            }
        }
        report.no_email.push(customer);
        Ok(())
    }
}
