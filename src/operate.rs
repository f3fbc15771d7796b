//! One whole run, wired: per company, snapshot + ledger state → plan → execution, under
//! the ledger's run lock, with reconciliation first and the run recorded in the ledger.
//! `relanced plan`, `once`, `launch`, `approve`, the daemon and the demo all go through
//! here, so they behave the same. What the run reads besides the snapshot is in
//! `odoo::company`, how mail leaves in `deliver::channel`, the connections in `app`.
//!
//! It must not decide who gets reminded (`followup`) nor print anything (`present`).

use crate::app::{App, AppError};
use crate::deliver::ChannelError;
use crate::execute::compose::{ComposeContext, SUSPENSION_NOTICE_DAYS};
use crate::execute::reconcile::{Reconciled, reconcile};
use crate::execute::{CompanyRun, ExecuteError, Executor, Performer, RunReport};
use crate::followup::{self, Plan, Snapshot};
use crate::ledger::{FollowupState, Ledger, RunKind, RunStatus};
use crate::odoo::company::{companies, company_info, currencies, resolve_ids, users};
use crate::odoo::features::ServerFeatures;
use crate::odoo::snapshot::{SnapshotRequest, read_snapshot};
use crate::odoo::{OdooClient, OdooError};
use crate::render::PdfRenderer;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Why a run could not happen.
#[derive(Debug, thiserror::Error)]
pub enum OperateError {
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Execute(#[from] ExecuteError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Channel(#[from] ChannelError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error(
        "another relanced run holds the ledger's run lock; this one does nothing (it will be covered by the next run)"
    )]
    Busy,
}

/// Reads and plans one company.
pub async fn plan_company(
    config: &crate::config::Config,
    client: &OdooClient,
    features: &ServerFeatures,
    state: &FollowupState,
    company: i64,
    as_of: NaiveDate,
) -> Result<(Snapshot, Plan), OdooError> {
    let set = &config.strategy_set;
    let markers: BTreeSet<&str> = set.marker_tags();
    let owned = state.marker_owners(company);
    let request = SnapshotRequest {
        company_id: company,
        marker_tags: &markers,
        marker_owned: &owned,
        postponement_type: &config.followup.postponement_activity_type,
        page_size: config.odoo.page_size,
    };
    let snapshot = read_snapshot(client, features, &request).await?;
    let plan = followup::plan(&snapshot, &state.engine_state(company), set, as_of);
    Ok((snapshot, plan))
}

/// A full run: reconcile, then per company read, plan and execute.
pub struct RunOptions {
    pub as_of: NaiveDate,
    pub kind: RunKind,
    pub shutdown: CancellationToken,
    /// A manual launch or an approval acts on these customers only.
    pub selection: Option<crate::execute::Selection>,
}

/// What a run produced.
#[derive(Debug, Default, serde::Serialize)]
pub struct RunOutcome {
    pub run_id: i64,
    pub reconciled: Reconciled,
    pub report: RunReport,
    pub plans: Vec<Plan>,
    pub odoo_calls: u64,
    pub odoo_writes: u64,
    /// Where the run's time went.
    pub timings: crate::timing::Timings,
}

impl RunOutcome {
    /// Every action of the run succeeded and the run went to its end (failed actions are
    /// retried by the next run and listed in the summary).
    pub fn all_done(&self) -> bool {
        self.report.failures.is_empty() && self.report.halted.is_none()
    }
}

/// A full run on `app`'s Odoo and ledger (opened here if they are not yet).
pub async fn run_once(
    app: &App,
    pdf: Arc<dyn PdfRenderer>,
    options: RunOptions,
    progress: &dyn Fn(usize, usize),
) -> Result<RunOutcome, OperateError> {
    let config = app.config();
    let client = app.odoo()?;
    let ledger = app.ledger().await?;
    let started = Start::now(client, ledger);
    // A new run tries every server again (the daemon keeps its Odoo client between runs).
    client.breaker.reset();
    let clock = Arc::new(crate::timing::WorkClock::default());
    let default_lang = config.render.language().to_owned();
    let templates = app.templates()?;
    let outbox = app.outbox();
    let mail = app.mail_channel()?;
    let from = app.from_mailbox()?;
    let reply_to = app.reply_to();
    let features = ServerFeatures::detect(client).await?;

    // Never two runs at once on one ledger (two daemons on one PostgreSQL ledger cooperate).
    let Some(guard) = ledger.try_lock().await? else {
        return Err(OperateError::Busy);
    };
    // Runs left `running` by a dead process are marked interrupted, then their actions
    // reconciled.
    ledger.interrupt_stale_runs().await?;
    let reconciled = reconcile(client, ledger, &outbox, config.strategy_set.settings.lang).await?;
    let run = ledger.begin_run(options.kind, options.as_of).await?;
    let approver = options
        .selection
        .as_ref()
        .and_then(|s| s.approved_by.as_ref());
    let result = async {
        // Inside the run: a failure here finishes it as failed, like any other.
        if let Some(approver) = approver {
            ledger.record_approver(run, approver).await?;
        }
        let ids = resolve_ids(client, config).await?;
        let mut executor = Executor {
            performer: Performer::new(client, ledger, &mail, pdf.clone(), clock.clone()),
            templates: &templates,
            outbox: &outbox,
            from,
            reply_to,
            shutdown: options.shutdown.clone(),
            concurrency: config.odoo.max_concurrency,
        };
        // Before reading the state: a left-over communication gets recorded there.
        let mut report = executor.retry_left_over().await?;
        let state = ledger.followup_state(None).await?;
        let mut plans = Vec::new();
        for company in companies(config, client).await? {
            let (snapshot, plan) =
                plan_company(config, client, &features, &state, company, options.as_of).await?;
            let company_info = company_info(config, client, company).await?;
            let currencies = currencies(client, &snapshot).await?;
            let users = users(client, &plan).await?;
            let paragraphs = ledger.pending_paragraphs(company.into()).await?;
            let input = CompanyRun {
                plan: &plan,
                snapshot: &snapshot,
                strategies: &config.strategy_set,
                compose: ComposeContext {
                    snapshot: &snapshot,
                    reference_rates: &config.strategy_set.settings.reference_rates,
                    company: &company_info,
                    currencies: &currencies,
                    users: &users,
                    default_lang: &default_lang,
                    odoo_lang: config.strategy_set.settings.lang,
                    as_of: options.as_of,
                    suspension_notice_days: SUSPENSION_NOTICE_DAYS,
                    paragraphs: &paragraphs,
                    approved_by: approver.map(|a| a.name.as_str()),
                },
                ids: ids.as_ids(),
                selection: options.selection.as_ref(),
            };
            report.merge(executor.execute(run, &input, progress).await?);
            plans.push(plan);
            if options.shutdown.is_cancelled() || report.halted.is_some() {
                break;
            }
        }
        Ok::<_, OperateError>((report, plans))
    }
    .await;
    let counters = &client.counters;
    let timings = started.timings(client, ledger, &clock);
    let outcome = finish(ledger, run, result, reconciled, counters, timings).await;
    if let Err(e) = guard.release().await {
        tracing::warn!("could not release the run lock: {e}");
    }
    outcome
}

/// The clocks at a run's start, to tell what the run itself spent.
struct Start {
    at: std::time::Instant,
    odoo: crate::timing::Lap,
    ledger: crate::timing::Lap,
    cpu: crate::timing::Cpu,
}

impl Start {
    fn now(client: &OdooClient, ledger: &Ledger) -> Start {
        Start {
            at: std::time::Instant::now(),
            odoo: client.counters.time_spent(),
            ledger: ledger.time_spent(),
            cpu: crate::timing::Cpu::now(),
        }
    }

    fn timings(
        &self,
        client: &OdooClient,
        ledger: &Ledger,
        clock: &crate::timing::WorkClock,
    ) -> crate::timing::Timings {
        let wall = self.at.elapsed().as_secs_f64();
        let odoo = client.counters.time_spent() - self.odoo;
        let ledger = ledger.time_spent() - self.ledger;
        let (render, pdf, mail) = (clock.render.lap(), clock.pdf.lap(), clock.mail.lap());
        let cpu = crate::timing::Cpu::now();
        // Each part as the wall time it kept busy (customers are worked through together).
        let accounted = odoo.busy + ledger.busy + render.busy + pdf.busy + mail.busy;
        crate::timing::Timings {
            wall,
            odoo: odoo.busy,
            odoo_requests: odoo.count,
            ledger: ledger.busy,
            ledger_transactions: ledger.count,
            render: render.busy,
            pdf: pdf.busy,
            pdfs: pdf.count,
            mail: mail.busy,
            emails: mail.count,
            other: (wall - accounted).max(0.0),
            cpu: crate::timing::Cpu {
                own_seconds: cpu.own_seconds - self.cpu.own_seconds,
                children_seconds: cpu.children_seconds - self.cpu.children_seconds,
            },
        }
    }
}

async fn finish(
    ledger: &Ledger,
    run: crate::ledger::RunId,
    result: Result<(RunReport, Vec<Plan>), OperateError>,
    reconciled: Reconciled,
    counters: &crate::odoo::client::CallCounters,
    timings: crate::timing::Timings,
) -> Result<RunOutcome, OperateError> {
    match result {
        Ok((report, plans)) => {
            let status = if report.halted.is_some() {
                RunStatus::Failed
            } else if report.interrupted {
                RunStatus::Interrupted
            } else {
                RunStatus::Done
            };
            let summary = serde_json::to_value(&report).unwrap_or_default();
            ledger.finish_run(run, status, &summary).await?;
            Ok(RunOutcome {
                run_id: run.0,
                reconciled,
                report,
                plans,
                odoo_calls: counters.calls.load(std::sync::atomic::Ordering::Relaxed),
                odoo_writes: counters.writes.load(std::sync::atomic::Ordering::Relaxed),
                timings,
            })
        }
        Err(e) => {
            let summary = serde_json::json!({ "error": e.to_string() });
            let _ = ledger.finish_run(run, RunStatus::Failed, &summary).await;
            Err(e)
        }
    }
}

/// `relanced resolve --resend`: an uncertain email goes back to `planned` and is sent now,
/// from the payload recorded when it was first prepared.
pub async fn resend(
    app: &App,
    pdf: Arc<dyn PdfRenderer>,
    id: crate::ledger::ActionId,
) -> Result<crate::execute::perform::ActionOutcome, OperateError> {
    let ledger = app.ledger().await?;
    let client = app.odoo()?;
    let action = ledger
        .resolve(id, crate::ledger::Resolution::Resend)
        .await?;
    let payload =
        crate::execute::payload::load(&app.outbox(), &action.key).map_err(ExecuteError::from)?;
    let mail = app.mail_channel()?;
    let performer = Performer::new(client, ledger, &mail, pdf, Default::default());
    Ok(performer.perform(&action, &payload).await?)
}
