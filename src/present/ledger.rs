//! `relanced runs` and `relanced show RUN`: the run history and one run's detail, from
//! the ledger (customers, levels, channels, recipients, documents, failures).

use crate::followup::{CompanyId, CustomerId};
use crate::ledger::{Action, ActionState, Run};
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn count(summary: &Option<serde_json::Value>, key: &str) -> String {
    match summary.as_ref().and_then(|s| s.get(key)) {
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Array(a)) => a.len().to_string(),
        _ => "-".into(),
    }
}

/// One line per run, newest first.
pub fn runs(runs: &[Run], uncertain: usize) -> String {
    let mut out = format!(
        "{:>5}  {:<20} {:<10} {:<10} {:<11} {:>6} {:>7} {:>8} {:>9}\n",
        "run",
        "started (UTC)",
        "as of",
        "kind",
        "status",
        "emails",
        "letters",
        "failures",
        "uncertain"
    );
    for r in runs {
        let _ = writeln!(
            out,
            "{:>5}  {:<20} {:<10} {:<10} {:<11} {:>6} {:>7} {:>8} {:>9}",
            r.id.0,
            r.started_at.format("%Y-%m-%d %H:%M:%S"),
            r.as_of.to_string(),
            r.kind.to_string(),
            r.status.to_string(),
            count(&r.summary, "emails"),
            count(&r.summary, "letters"),
            count(&r.summary, "failures"),
            count(&r.summary, "uncertain"),
        );
    }
    if uncertain > 0 {
        let _ = writeln!(
            out,
            "\n{uncertain} email(s) are UNCERTAIN (interrupted while sending): check them, then `relanced resolve ACTION --sent|--resend`."
        );
    }
    out
}

/// A run's actions grouped by customer.
pub fn show(run: &Run, actions: &[Action]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run {} ({}) as of {}: {}, started {}{}",
        run.id.0,
        run.kind,
        run.as_of,
        run.status,
        run.started_at.format("%Y-%m-%d %H:%M:%S UTC"),
        run.finished_at
            .map(|f| format!(", finished {}", f.format("%H:%M:%S")))
            .unwrap_or_default()
    );
    let mut by_customer: BTreeMap<(CompanyId, CustomerId), Vec<&Action>> = BTreeMap::new();
    for a in actions {
        by_customer
            .entry((a.company_id, a.customer_id))
            .or_default()
            .push(a);
    }
    for ((company, customer), list) in by_customer {
        let level = list
            .iter()
            .map(|a| format!("{} {}", a.level_index, a.level_key))
            .next()
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\ncustomer {customer} (company {company}), level {level}"
        );
        for a in list {
            let mark = match a.state {
                ActionState::Done => "done     ",
                ActionState::Failed => "FAILED   ",
                ActionState::Uncertain => "UNCERTAIN",
                ActionState::Started => "started  ",
                ActionState::Planned => "planned  ",
            };
            let mut line = format!("  {mark} {:<10} action {}", a.kind.to_string(), a.id.0);
            if !a.recipients.is_empty() {
                let _ = write!(line, " to {}", a.recipients.join(", "));
            }
            if let Some(path) = &a.document_path {
                let _ = write!(line, " · {path}");
            }
            if !a.odoo_ids.is_empty() {
                let _ = write!(line, " · Odoo id {:?}", a.odoo_ids);
            }
            if let Some(err) = &a.last_error {
                let _ = write!(line, " · {err}");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}
