//! `relanced check` without Odoo: the templates render, the ledger is reachable and holds
//! no uncertain email.

use super::Report;
use crate::config::Config;

/// Renders every template of every configured level in French, Dutch and English against
/// a sample communication: a broken override is reported with its file and line here,
/// never found by a customer.
pub fn check_templates(config: &Config, report: &mut Report) {
    let templates = match config.render.templates() {
        Ok(t) => t,
        Err(e) => {
            report.fail("templates", e.to_string());
            return;
        }
    };
    let levels = config.template_names();
    let errors = crate::render::check_templates(&templates, &levels, &["fr", "nl", "en"]);
    if errors.is_empty() {
        report.ok(
            "templates",
            format!(
                "{} level(s) × fr, nl, en render (email, text, letter)",
                levels.len()
            ),
        );
    }
    for e in errors {
        let place = match e.line {
            Some(line) => format!("{}:{line}", e.file),
            None => e.file.clone(),
        };
        report.fail("templates", format!("{place}: {}", e.message));
    }
}

/// Emails whose sending was interrupted wait for a person's decision.
pub async fn check_ledger(config: &Config, report: &mut Report) {
    if let Some(path) = config.ledger.sqlite_not_created() {
        report.ok(
            "ledger",
            format!("{path} does not exist yet: it is created by the first run"),
        );
        return;
    }
    let ledger = match crate::ledger::Ledger::open(&config.ledger.url).await {
        Ok(l) => l,
        Err(e) => {
            report.fail("ledger", e.to_string());
            return;
        }
    };
    let filter = crate::ledger::ActionFilter {
        run: None,
        state: Some(crate::ledger::ActionState::Uncertain),
    };
    match ledger.list_actions(filter).await {
        Ok(list) if list.is_empty() => report.ok(
            "ledger",
            format!("{} reachable, no uncertain email", ledger.backend_name()),
        ),
        Ok(list) => {
            for a in list {
                report.warn(
                    "ledger",
                    format!(
                        "email {} to {} is UNCERTAIN (interrupted while sending): check, then `relanced resolve {} --sent|--resend`",
                        a.key,
                        a.recipients.join(", "),
                        a.id.0
                    ),
                );
            }
        }
        Err(e) => report.fail("ledger", e.to_string()),
    }
}
