//! One scheduled run attempt: take the run lock (or skip: another daemon runs), mark dead
//! runs interrupted, `run_once` (which reconciles `started` actions first and honours the
//! shutdown token between customers), release the lock, and record what happened in the
//! metrics. The caller keeps the watchdog fed while this future runs.
//!
//! It must not decide when to run (that is the loop) nor who gets reminded (`followup`).

use super::state::DaemonState;
use crate::app::App;
use crate::ledger::{ActionFilter, ActionState, Ledger, RunKind};
use crate::odoo::OdooClient;
use crate::operate::{OperateError, RunOptions, run_once};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The run finished (`done`) or was stopped between customers (`interrupted`).
    Ran { interrupted: bool },
    /// Another process holds the run lock.
    Locked,
    /// The run could not happen or failed; the message says why.
    Failed(String),
}

/// Everything one attempt needs (cheap clones of the daemon's current ones).
pub struct Inputs<'a> {
    pub app: Arc<App>,
    /// The app's Odoo client and ledger (already opened).
    pub client: Arc<OdooClient>,
    pub ledger: Ledger,
    pub state: &'a DaemonState,
    pub shutdown: CancellationToken,
    pub started: DateTime<Utc>,
    pub as_of: chrono::NaiveDate,
}

/// Runs one attempt to its end.
pub async fn attempt(i: Inputs<'_>) -> Attempt {
    // `run_once` takes the ledger's run lock (another daemon running → `Busy`) and marks
    // the runs of a dead process interrupted before reconciling.
    i.state.set_running(true);
    let calls_before = i
        .client
        .counters
        .calls
        .load(std::sync::atomic::Ordering::Relaxed);
    let t0 = Instant::now();
    // A WeasyPrint pool per run: an idle daemon keeps no Python process around.
    let pdf = i.app.pdf_pool();
    let options = RunOptions {
        as_of: i.as_of,
        kind: RunKind::Scheduled,
        shutdown: i.shutdown.clone(),
        selection: None,
    };
    let state = i.state;
    let progress = |done: usize, total: usize| state.progress(done, total);
    let result = run_once(&i.app, pdf, options, &progress).await;
    let took = t0.elapsed().as_secs_f64();
    let calls = i
        .client
        .counters
        .calls
        .load(std::sync::atomic::Ordering::Relaxed)
        .saturating_sub(calls_before);
    state.set_running(false);
    release_memory();
    let uncertain = i
        .ledger
        .list_actions(ActionFilter {
            run: None,
            state: Some(ActionState::Uncertain),
        })
        .await
        .map(|a| a.len() as u64);
    // The servers this configuration uses, as their breakers name them.
    let smtp = match (&i.app.config().mail.transport, &i.app.config().mail.smtp) {
        (crate::config::MailTransportKind::Smtp, Some(s)) => {
            Some(crate::breaker::smtp_server(&s.host, s.port))
        }
        _ => None,
    };
    let odoo = i.client.breaker.server().to_owned();
    match result {
        Ok(crate::operate::RunOutcome {
            run_id,
            report: crate::execute::RunReport {
                halted: Some(halt), ..
            },
            ..
        }) => {
            state.with_metrics(|m| {
                for server in smtp.iter().chain([&odoo]) {
                    m.servers_up.insert(server.clone(), *server != halt.server);
                }
                m.odoo_calls += calls;
                m.odoo_requests = i.client.counters.stats();
                m.last_run_seconds = Some(took);
            });
            failed(state, format!("run {run_id} stopped: {halt}"))
        }
        Ok(outcome) => {
            state.odoo_reached();
            state.with_metrics(|m| {
                for server in smtp.iter().chain([&odoo]) {
                    m.servers_up.insert(server.clone(), true);
                }
            });
            let actions = i
                .ledger
                .list_actions(ActionFilter {
                    run: Some(crate::ledger::RunId(outcome.run_id)),
                    state: None,
                })
                .await
                .unwrap_or_default();
            let interrupted = outcome.report.interrupted;
            state.with_metrics(|m| {
                let result = if interrupted { "interrupted" } else { "done" };
                *m.runs.entry(result.into()).or_default() += 1;
                for (level, n) in &outcome.report.per_level {
                    *m.customers_per_level.entry(level.clone()).or_default() += *n as u64;
                }
                for a in &actions {
                    *m.actions
                        .entry((a.kind.to_string(), a.state.to_string()))
                        .or_default() += 1;
                }
                m.odoo_calls += calls;
                m.odoo_requests = i.client.counters.stats();
                if let Ok(n) = uncertain {
                    m.uncertain_actions = n;
                }
                if !interrupted {
                    m.last_success = Some(i.started);
                }
                m.last_run_seconds = Some(took);
            });
            tracing::info!(
                run = outcome.run_id,
                emails = outcome.report.emails,
                letters = outcome.report.letters,
                failures = outcome.report.failures.len(),
                interrupted,
                seconds = took,
                time = %outcome.timings.summary(),
                "run finished"
            );
            Attempt::Ran { interrupted }
        }
        Err(OperateError::Busy) => {
            tracing::info!("another relanced holds the run lock on this ledger; skipping");
            state.with_metrics(|m| *m.runs.entry("skipped_locked".into()).or_default() += 1);
            Attempt::Locked
        }
        Err(e) => {
            state.with_metrics(|m| {
                m.odoo_calls += calls;
                m.odoo_requests = i.client.counters.stats();
                m.last_run_seconds = Some(took);
                if let OperateError::Odoo(o) = &e {
                    *m.odoo_errors.entry(o.kind.label().into()).or_default() += 1;
                }
            });
            failed(state, format!("the run failed: {e}"))
        }
    }
}

fn failed(state: &DaemonState, why: String) -> Attempt {
    tracing::error!("{why}");
    state.with_metrics(|m| *m.runs.entry("failed".into()).or_default() += 1);
    Attempt::Failed(why)
}

/// Gives the heap pages freed by the run back to the system: glibc keeps them in its
/// arenas otherwise, and an idle daemon would hold a run's peak for a day.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> i32;
        }
        // SAFETY: malloc_trim takes no pointer and only releases free memory.
        unsafe {
            malloc_trim(0);
        }
    }
}
