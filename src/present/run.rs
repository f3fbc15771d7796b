//! The summary printed after a run: per level, per channel, failures, customers without
//! email, uncertain emails, proposals waiting for approval.

use crate::operate::RunOutcome;
use std::fmt::Write as _;

pub fn summary(o: &RunOutcome) -> String {
    let r = &o.report;
    let mut out = String::new();
    match &r.halted {
        Some(why) => {
            let _ = writeln!(out, "Run {} stopped: {why}.", o.run_id);
        }
        None => {
            let _ = writeln!(
                out,
                "Run {} done{}.",
                o.run_id,
                if r.interrupted {
                    " (interrupted: stopped early)"
                } else {
                    ""
                }
            );
        }
    }
    if o.reconciled.confirmed + o.reconciled.redo + o.reconciled.uncertain.len() > 0 {
        let _ = writeln!(
            out,
            "After an interruption: {} action(s) confirmed in Odoo, {} redone, {} email(s) uncertain.",
            o.reconciled.confirmed,
            o.reconciled.redo,
            o.reconciled.uncertain.len()
        );
    }
    if r.per_level.is_empty() {
        let _ = writeln!(out, "Nothing sent.");
    } else {
        let levels: Vec<String> = r
            .per_level
            .iter()
            .map(|(k, n)| format!("{k}: {n}"))
            .collect();
        let _ = writeln!(out, "Communications per level: {}", levels.join(", "));
    }
    let _ = writeln!(
        out,
        "Emails {} · letters {} · notes {} · activities {} · markers changed {}{}",
        r.emails,
        r.letters,
        r.notes,
        r.activities,
        r.markers,
        if r.already_done > 0 {
            format!(" · already done earlier: {}", r.already_done)
        } else {
            String::new()
        }
    );
    if !r.no_email.is_empty() {
        let _ = writeln!(
            out,
            "Customers without email (letter instead): {}",
            ids(&r.no_email)
        );
    }
    if !r.awaiting_approval.is_empty() {
        let _ = writeln!(
            out,
            "Waiting for approval (relanced approve {}): {}",
            o.run_id,
            ids(&r.awaiting_approval)
        );
    }
    if !r.uncertain.is_empty() {
        let _ = writeln!(
            out,
            "UNCERTAIN emails (check, then relanced resolve): {}",
            r.uncertain.join(", ")
        );
    }
    if !r.failures.is_empty() {
        let _ = writeln!(
            out,
            "{} failure(s), retried by the next run:",
            r.failures.len()
        );
        for f in &r.failures {
            let _ = writeln!(
                out,
                "  customer {}: {}: {}",
                f.customer_id, f.action, f.reason
            );
        }
    }
    let _ = writeln!(
        out,
        "Odoo calls: {} ({} writes)",
        o.odoo_calls, o.odoo_writes
    );
    let _ = writeln!(out, "Time: {}", o.timings.summary());
    out
}

fn ids(list: &[impl ToString]) -> String {
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
