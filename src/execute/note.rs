//! The chatter note relanced posts on a customer after a communication: what was sent,
//! through which channel, to whom, for which items and amounts, and why (the engine's
//! explanation), with the token that lets a restart find it again. Everything from Odoo
//! or the customer is escaped.

use crate::followup::explain::money;
use crate::followup::{Decision, ItemStatus};
use crate::odoo::writeback::{html_escape, token_html};
use std::fmt::Write as _;

/// Channels used, in words: `email to a@x, b@y`, `letter (attached)`, `call for Marc`.
pub struct Channels<'a> {
    pub email_to: &'a [String],
    pub letter: bool,
    pub letter_instead_of_email: bool,
    pub activities: &'a [String],
}

pub fn note_html(
    decision: &Decision,
    level_label: &str,
    level: u32,
    channels: &Channels<'_>,
    token: &str,
) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<p><b>Relance {level} · {}</b></p><ul>",
        html_escape(level_label)
    );
    if !channels.email_to.is_empty() {
        let _ = write!(
            h,
            "<li>Email to {}</li>",
            html_escape(&channels.email_to.join(", "))
        );
    }
    if channels.letter {
        let why = if channels.letter_instead_of_email {
            " — no usable email address, letter instead"
        } else {
            ""
        };
        let _ = write!(h, "<li>Letter (PDF attached){}</li>", html_escape(why));
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
        h.push_str(
            "<table><tr><th>Item</th><th>Due</th><th>Days</th><th>Residual</th><th>Level</th></tr>",
        );
        for i in items {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                html_escape(&i.move_name),
                i.due_date.format("%Y-%m-%d"),
                i.days_overdue,
                money(i.residual),
                html_escape(&i.currency),
                i.level_reached
            );
        }
        h.push_str("</table>");
    }
    for t in decision.totals.iter().filter(|t| !t.total_due.is_zero()) {
        let _ = write!(
            h,
            "<p>Total due: {} {}",
            money(t.total_due),
            html_escape(&t.currency)
        );
        if !(t.fee.is_zero() && t.interest.is_zero() && t.indemnity.is_zero()) {
            let _ = write!(
                h,
                " (overdue {}, fees {}, interest {}, indemnity {})",
                money(t.overdue),
                money(t.fee),
                money(t.interest),
                money(t.indemnity)
            );
        }
        h.push_str("</p>");
    }
    let _ = write!(h, "<p>Why: {}</p>", html_escape(&decision.explanation));
    h.push_str(&token_html(token));
    h
}

/// The note asking a person to confirm an email whose sending was interrupted.
pub fn uncertain_html(
    action_key: &str,
    action_id: i64,
    recipients: &[String],
    why: &str,
    token: &str,
) -> String {
    format!(
        "<p><b>Relance: please check</b></p><p>relanced could not tell whether a reminder email to {} \
         was delivered ({}). It will not be sent again automatically. Check the sent mail, then run \
         <code>relanced resolve {} --sent</code> or <code>relanced resolve {} --resend</code> \
         (action {}).</p>{}",
        html_escape(&recipients.join(", ")),
        html_escape(why),
        action_id,
        action_id,
        html_escape(action_key),
        token_html(token)
    )
}
