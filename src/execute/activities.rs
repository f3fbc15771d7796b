//! The call and activity actions of a communication: their payloads (summary, note with
//! the explanation in the company's language, deadline, responsible user) and the line
//! each adds to the chatter note. Part of preparing a communication (`prepare.rs`).

use crate::execute::payload::Payload;
use crate::execute::prepare::Ids;
use crate::execute::words::for_lang;
use crate::execute::{ExecuteError, MissingForActivity};
use crate::followup::words::fill;
use crate::followup::{Communication as Planned, Decision, Lang, PlannedAction as EngineAction};
use crate::ledger::ActionKey;
use crate::odoo::writeback::{html_escape, token_html};

/// The lines for the chatter note and the activities with their keys, in order.
/// `key(part)` is the ledger key of the activity `part` (`call2`, `activity3`).
#[allow(clippy::type_complexity)]
pub fn activities(
    decision: &Decision,
    planned: &Planned,
    ids: &Ids<'_>,
    lang: Lang,
    key: impl Fn(&str) -> ActionKey,
) -> Result<(Vec<String>, Vec<(ActionKey, Payload)>), ExecuteError> {
    let (note_words, words) = for_lang(lang);
    let customer = decision.customer_id;
    let level = planned.level;
    let mut activity_lines = Vec::new();
    let mut activities = Vec::new();
    let responsible = decision.responsible.as_ref().map(|r| r.user_id);
    for (n, action) in planned.actions.iter().enumerate() {
        let (type_id, summary, note, deadline, part) = match action {
            EngineAction::Call { deadline, summary } => (
                ids.call_type,
                summary.clone().unwrap_or_else(|| {
                    fill(
                        note_words.call_summary,
                        &[("level", &level.to_string()), ("label", &planned.label)],
                    )
                }),
                format!("<p>{}</p>", html_escape(&planned.explanation_odoo)),
                *deadline,
                format!("call{n}"),
            ),
            EngineAction::Activity { spec, deadline } => (
                ids.activity_types.get(&spec.activity_type).copied(),
                spec.summary.clone(),
                format!(
                    "<p>{}</p><p>{}</p>",
                    html_escape(spec.note.as_deref().unwrap_or("")),
                    html_escape(&planned.explanation_odoo)
                ),
                *deadline,
                format!("activity{n}"),
            ),
            _ => continue,
        };
        let (Some(type_id), Some(user_id)) = (type_id, responsible) else {
            return Err(ExecuteError::ActivityUnassignable {
                customer,
                summary,
                missing: if type_id.is_none() {
                    MissingForActivity::ActivityType
                } else {
                    MissingForActivity::ResponsibleUser
                },
            });
        };
        let ak = key(&part);
        let token = ak.to_string();
        let who = decision
            .responsible
            .as_ref()
            .and_then(|r| r.name.clone())
            .unwrap_or_default();
        activity_lines.push(fill(
            note_words.activity,
            &[
                ("summary", &summary),
                ("who", &who),
                ("deadline", &words.date(deadline)),
            ],
        ));
        let p = Payload::Activity {
            partner_id: customer.get(),
            activity_type_id: type_id,
            user_id,
            summary,
            note_html: format!("{note}{}", token_html(&token)),
            deadline,
            token,
        };
        activities.push((ak, p));
    }
    Ok((activity_lines, activities))
}
