//! The chatter note relanced posts on a customer after a communication: what was sent,
//! through which channel, to whom, for which items and amounts, and why (the engine's
//! explanation), with the token that lets a restart find it again. Everything from Odoo
//! or the customer is escaped.

use crate::execute::words::for_lang;
use crate::followup::words::fill;
use crate::followup::{Decision, ItemStatus, Lang};
use crate::odoo::writeback::{html_escape, token_html};
use std::fmt::Write as _;

/// Channels used, in words: `email to a@x, b@y`, `letter (attached)`, `call for Marc`.
pub struct Channels<'a> {
    pub email_to: &'a [String],
    pub letter: bool,
    pub letter_instead_of_email: bool,
    pub activities: &'a [String],
}

/// The note in the company's language `lang`; `why` is the engine's explanation in the
/// same language (`Communication::explanation_odoo`); `approved_by` names the person who
/// approved a manual level (`Approuvé par Jeanne Dupont`).
#[allow(clippy::too_many_arguments)]
pub fn note_html(
    decision: &Decision,
    level_label: &str,
    level: u32,
    channels: &Channels<'_>,
    why: &str,
    lang: Lang,
    token: &str,
    approved_by: Option<&str>,
) -> String {
    let (t, w) = for_lang(lang);
    let mut h = String::new();
    let heading = fill(
        t.heading,
        &[("level", &level.to_string()), ("label", level_label)],
    );
    let _ = write!(h, "<p><b>{}</b></p><ul>", html_escape(&heading));
    if !channels.email_to.is_empty() {
        let line = fill(t.email_to, &[("to", &channels.email_to.join(", "))]);
        let _ = write!(h, "<li>{}</li>", html_escape(&line));
    }
    if channels.letter {
        let instead = if channels.letter_instead_of_email {
            t.letter_instead
        } else {
            ""
        };
        let _ = write!(
            h,
            "<li>{}{}</li>",
            html_escape(t.letter),
            html_escape(instead)
        );
    }
    for a in channels.activities {
        let _ = write!(h, "<li>{}</li>", html_escape(a));
    }
    h.push_str("</ul>");
    let items: Vec<_> = decision
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Overdue)
        .collect();
    if !items.is_empty() {
        h.push_str("<table><tr>");
        for c in t.columns {
            let _ = write!(h, "<th>{}</th>", html_escape(c));
        }
        h.push_str("</tr>");
        for i in items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                html_escape(&i.move_name),
                w.date(i.due_date),
                i.days_overdue,
                w.money(i.residual),
                html_escape(&i.currency),
                i.level_reached
            );
        }
        h.push_str("</table>");
    }
    for total in decision.totals.iter().filter(|t| !t.total_due.is_zero()) {
        let _ = write!(
            h,
            "<p>{} {} {}",
            html_escape(t.total_due),
            w.money(total.total_due),
            html_escape(&total.currency)
        );
        if !(total.fee.is_zero() && total.interest.is_zero() && total.indemnity.is_zero()) {
            let breakdown = fill(
                t.breakdown,
                &[
                    ("overdue", &w.money(total.overdue)),
                    ("fees", &w.money(total.fee)),
                    ("interest", &w.money(total.interest)),
                    ("indemnity", &w.money(total.indemnity)),
                ],
            );
            let _ = write!(h, " ({})", html_escape(&breakdown));
        }
        h.push_str("</p>");
    }
    let _ = write!(h, "<p>{} {}</p>", html_escape(t.why), html_escape(why));
    if let Some(name) = approved_by {
        let line = fill(t.approved_by, &[("name", name)]);
        let _ = write!(h, "<p>{}</p>", html_escape(&line));
    }
    h.push_str(&token_html(token));
    h
}

/// The note asking a person to confirm an email whose sending was interrupted.
pub fn uncertain_html(
    action_key: &str,
    action_id: i64,
    recipients: &[String],
    why: &str,
    lang: Lang,
    token: &str,
) -> String {
    let (t, _) = for_lang(lang);
    let body = fill(
        t.check_body,
        &[
            ("to", &html_escape(&recipients.join(", "))),
            ("why", &html_escape(why)),
            ("id", &action_id.to_string()),
            ("action", &html_escape(action_key)),
        ],
    );
    format!(
        "<p><b>{}</b></p><p>{body}</p>{}",
        html_escape(t.check_heading),
        token_html(token)
    )
}
