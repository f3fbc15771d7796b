//! Executing a company's plan: batches of 100 customers, each customer's actions
//! recorded in the ledger before any is performed, then performed in order; a failure
//! stops that customer only (the rest of its actions stay recorded and are retried by
//! the next run) and the run goes on with the others. The customers of a batch are
//! worked through together, at most `odoo.max_concurrency` at once (their emails, letters
//! and ledger moves; the ledger commits moves made at the same moment together). Marker
//! updates also run for customers with nothing to send.

use crate::deliver::{Mailbox, Outbox};
use crate::execute::ExecuteError;
use crate::execute::compose::ComposeContext;
use crate::execute::deferred::Deferred;
use crate::execute::payload::Payload;
use crate::execute::perform::{ActionOutcome, Performer};
use crate::execute::prepare::{self, Ids, Prepared};
pub use crate::execute::report::{Failure, Halt, RunReport};
use crate::followup::{Approval, CustomerId, Decision, Plan, Snapshot, StrategySet};
use crate::ledger::{ActionKind, ActionState, Recorded, RunId};
use crate::odoo::OdooApi;
use crate::render::Templates;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio_util::sync::CancellationToken;

pub const BATCH: usize = 100;

/// Reason given to the actions of a communication replaced by a letter.
pub const SUPERSEDED: &str = "superseded: the email was refused, a letter replaced it";

/// What working through one customer came to.
#[derive(Default)]
struct Worked {
    report: RunReport,
    /// Its notes, activities and markers, for the batch's end.
    held: Deferred,
    /// One of its actions failed while a server could not be reached.
    met_outage: bool,
}

/// Why a batch stopped before its end.
enum Stop {
    Shutdown,
    Halt(Halt),
}

/// Everything the executor works with.
pub struct Executor<'a, A: OdooApi> {
    pub performer: Performer<'a, A>,
    pub templates: &'a Templates,
    pub outbox: &'a Outbox,
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub shutdown: CancellationToken,
    /// How many customers of a batch are worked through at once (`odoo.max_concurrency`).
    pub concurrency: usize,
}

impl<'a, A: OdooApi> Performer<'a, A> {
    /// A performer with empty caches (nothing created, no letter rendered ahead).
    pub fn new(
        odoo: &'a A,
        ledger: &'a crate::ledger::Ledger,
        mail: &'a crate::execute::MailChannel,
        pdf: std::sync::Arc<dyn crate::render::PdfRenderer>,
        clock: std::sync::Arc<crate::timing::WorkClock>,
    ) -> Self {
        Performer {
            odoo,
            ledger,
            mail,
            pdf,
            created: Default::default(),
            clock,
            ahead: Default::default(),
            notes: Default::default(),
        }
    }
}

/// One company's run input.
pub struct CompanyRun<'a> {
    pub plan: &'a Plan,
    pub snapshot: &'a Snapshot,
    pub strategies: &'a StrategySet,
    pub compose: ComposeContext<'a>,
    pub ids: Ids<'a>,
    /// A manual launch or an approval: only these customers are acted on.
    pub selection: Option<&'a Selection>,
}

/// Which customers a manual launch (`relanced launch`) or an approval (`relanced approve`)
/// acts on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub customers: std::collections::BTreeSet<CustomerId>,
    /// Levels with `approval = "manual"` are executed for these customers.
    pub approve_manual: bool,
    /// Who approved (an approval): recorded with the run and said in the chatter notes.
    pub approved_by: Option<crate::ledger::Approver>,
}

impl<A: OdooApi> Executor<'_, A> {
    /// Executes the plan of one company, calling `progress(done, total)` per customer.
    ///
    /// Batches overlap: while one batch's customers are worked through (templates, emails,
    /// the ledger: local work), the previous batch's notes, activities and markers are
    /// written to Odoo by a second performer (`deferred.rs`). Each action keeps its own
    /// states in the ledger whichever performer moves it, so a crash leaves the same
    /// states to reconcile as without the overlap.
    pub async fn execute(
        &mut self,
        run: RunId,
        input: &CompanyRun<'_>,
        progress: &dyn Fn(usize, usize),
    ) -> Result<RunReport, ExecuteError> {
        let mut report = RunReport::default();
        let decisions: Vec<&Decision> = input
            .plan
            .decisions
            .iter()
            .filter(|d| {
                input
                    .selection
                    .is_none_or(|s| s.customers.contains(&d.customer_id))
            })
            .collect();
        let total = decisions.len();
        let mut done = 0;
        let mut writer = self.performer.sibling();
        let mut written = RunReport::default();
        let mut held: Option<Deferred> = None;
        for batch in decisions.chunks(BATCH) {
            let previous = held.take();
            let (flushed, worked) = tokio::join!(
                async {
                    match previous {
                        Some(deferred) => writer.flush(deferred, &mut written).await,
                        None => Ok(()),
                    }
                },
                self.work(run, batch, input, &mut report, &mut done, total, progress),
            );
            flushed?;
            let (deferred, stop) = worked?;
            // The batch's created ids (letters to link to its notes) go with its writes.
            writer.created = self.performer.created.take();
            match stop {
                None => held = Some(deferred),
                Some(Stop::Shutdown) => {
                    // The customers done so far get their notes, activities and markers
                    // before the run stops.
                    writer.flush(deferred, &mut written).await?;
                    report.merge(written);
                    report.interrupted = true;
                    return Ok(report);
                }
                Some(Stop::Halt(halt)) => {
                    report.merge(written);
                    report.halted = Some(halt);
                    return Ok(report);
                }
            }
            if let Some(halt) = self.halt(total - done) {
                // Odoo went away during the previous batch's writes: this batch's stay
                // `planned` (the next run makes them), the customers after it untouched.
                report.merge(written);
                report.halted = Some(halt);
                return Ok(report);
            }
        }
        if let Some(deferred) = held {
            writer.flush(deferred, &mut written).await?;
        }
        report.merge(written);
        if let Some(halt) = self.halt(total - done) {
            report.halted = Some(halt);
            return Ok(report);
        }
        progress(total, total);
        Ok(report)
    }

    /// Works through one batch's customers: prepares them, records their actions, and
    /// performs all but the writes kept aside for the batch's end ([`Deferred`], returned),
    /// stopping early at a shutdown or when a server cannot be reached.
    #[allow(clippy::too_many_arguments)]
    async fn work(
        &self,
        run: RunId,
        batch: &[&Decision],
        input: &CompanyRun<'_>,
        report: &mut RunReport,
        done: &mut usize,
        total: usize,
        progress: &dyn Fn(usize, usize),
    ) -> Result<(Deferred, Option<Stop>), ExecuteError> {
        let mut prepared: Vec<(CustomerId, Vec<Prepared>)> = Vec::with_capacity(batch.len());
        for decision in batch {
            match self
                .performer
                .clock
                .render
                .time(|| self.prepare(decision, input, report))
            {
                Ok(actions) if !actions.is_empty() => {
                    prepared.push((decision.customer_id, actions))
                }
                Ok(_) => {}
                Err(e) => report.failures.push(Failure {
                    customer_id: decision.customer_id,
                    action: "prepare".into(),
                    reason: e.to_string(),
                }),
            }
        }
        let planned: Vec<_> = prepared
            .iter()
            .flat_map(|(_, a)| a.iter().map(|p| p.planned.clone()))
            .collect();
        let recorded = self.performer.ledger.record_planned(run, &planned).await?;
        // The batch's letters render on the PDF pool while its customers are worked
        // through.
        let letters: Vec<&Payload> = prepared
            .iter()
            .flat_map(|(_, a)| a.iter().map(|p| &p.payload))
            .zip(&recorded)
            .filter(|(_, r)| matches!(r.action.state, ActionState::Planned | ActionState::Failed))
            .map(|(p, _)| p)
            .collect();
        self.performer.render_ahead(letters);
        let mut recorded = recorded.into_iter();
        let customers: Vec<_> = prepared
            .into_iter()
            .map(|(customer, actions)| {
                let records: Vec<_> = recorded.by_ref().take(actions.len()).collect();
                (customer, actions, records)
            })
            .collect();
        // The batch's customers are worked through together, at most `concurrency` at
        // once; their results are taken in the batch's order.
        let stopping = AtomicBool::new(false);
        let mut results = futures_util::stream::iter(&customers)
            .map(|(customer, actions, records)| async {
                let worked = self
                    .work_customer(run, *customer, actions, records, input, &stopping)
                    .await;
                if worked.is_err() {
                    // A ledger that fails fails them all: no other customer starts.
                    stopping.store(true, Ordering::Relaxed);
                }
                worked
            })
            .buffered(self.concurrency.max(1));
        // Notes, activities and markers come last for each customer: they are written
        // for the whole batch at its end, in a few calls (`deferred.rs`).
        let mut deferred = Deferred::default();
        let mut met_outage = 0;
        let mut error = None;
        while let Some(worked) = results.next().await {
            match worked {
                Ok(Some(worked)) => {
                    report.merge(worked.report);
                    deferred.append(worked.held);
                    met_outage += usize::from(worked.met_outage);
                    *done += 1;
                    progress(*done, total);
                }
                Ok(None) => {}
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = error {
            return Err(e);
        }
        if self.shutdown.is_cancelled() {
            return Ok((deferred, Some(Stop::Shutdown)));
        }
        if let Some(halt) = self.halt(total - *done + met_outage) {
            // The customers that met the failure keep their actions `failed` (retried
            // next run); those after them were not touched at all. Notes, activities
            // and markers kept aside stay `planned`: the next run makes them.
            return Ok((deferred, Some(Stop::Halt(halt))));
        }
        Ok((deferred, None))
    }

    /// The halt of this run when a server can no longer be reached, with how many
    /// customers are left for the next run.
    fn halt(&self, customers_left: usize) -> Option<Halt> {
        self.performer.unreachable().map(|down| Halt {
            server: down.server,
            cause: down.cause,
            customers_left,
        })
    }

    /// Performs one customer's recorded actions in their order, keeping aside those
    /// written at the batch's end; a failure stops the customer. `None` when the run is
    /// stopping before this customer's turn (shutdown asked, a server unreachable, the
    /// ledger failing): its actions stay as recorded.
    async fn work_customer(
        &self,
        run: RunId,
        customer: CustomerId,
        actions: &[Prepared],
        records: &[Recorded],
        input: &CompanyRun<'_>,
        stopping: &AtomicBool,
    ) -> Result<Option<Worked>, ExecuteError> {
        if self.shutdown.is_cancelled()
            || self.performer.unreachable().is_some()
            || stopping.load(Ordering::Relaxed)
        {
            return Ok(None);
        }
        let mut worked = Worked::default();
        let report = &mut worked.report;
        let mut level = None;
        let mut failed = false;
        for (prep, rec) in actions.iter().zip(records) {
            let kind = rec.action.kind;
            if worked.held.hold(
                customer,
                &rec.action,
                &prep.payload,
                &self.performer.created,
            ) {
                continue;
            }
            let outcome = self.performer.perform(&rec.action, &prep.payload).await?;
            match &outcome {
                ActionOutcome::Done => {
                    report.count(kind);
                    if kind == ActionKind::State {
                        level = Some(rec.action.level_key.clone());
                    }
                }
                ActionOutcome::AlreadyDone => report.already_done += 1,
                ActionOutcome::Skipped | ActionOutcome::Refused(_) | ActionOutcome::Failed(_) => {}
                ActionOutcome::Uncertain(why) => {
                    report.uncertain.push(rec.action.key.clone());
                    // A person must know, in Odoo, that this email may have left.
                    if let Err(e) = crate::execute::reconcile::ask_to_confirm(
                        self.performer.odoo,
                        &rec.action,
                        &why.to_string(),
                        input.compose.odoo_lang,
                    )
                    .await
                    {
                        report.failures.push(Failure {
                            customer_id: customer,
                            action: format!("{}/uncertain", rec.action.key),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            // Uncertain, refused or failed: the customer stops here.
            let Some(why) = outcome.error() else {
                continue;
            };
            report.failures.push(Failure {
                customer_id: customer,
                action: rec.action.key.clone(),
                reason: why.to_string(),
            });
            if let ActionOutcome::Refused(_) = outcome {
                for later in records
                    .iter()
                    .skip_while(|r| r.action.id != rec.action.id)
                    .skip(1)
                {
                    let _ = self
                        .performer
                        .ledger
                        .mark_failed(later.action.id, SUPERSEDED)
                        .await;
                }
                // The email was refused for good: the customer gets a letter.
                if let Err(e) = self.letter_instead(run, customer, input, report).await {
                    report.failures.push(Failure {
                        customer_id: customer,
                        action: "letter instead".into(),
                        reason: e.to_string(),
                    });
                }
            }
            failed = true;
            break;
        }
        if let Some(level) = level {
            *report.per_level.entry(level).or_default() += 1;
        }
        // Counted as left for the next run when a server went away under it.
        worked.met_outage = failed && self.performer.unreachable().is_some();
        Ok(Some(worked))
    }

    fn prepare(
        &self,
        decision: &Decision,
        input: &CompanyRun<'_>,
        report: &mut RunReport,
    ) -> Result<Vec<Prepared>, ExecuteError> {
        let current: Vec<i64> = input
            .snapshot
            .customers
            .iter()
            .find(|c| c.id == decision.customer_id)
            .map(|c| c.tags.iter().map(|t| t.id).collect())
            .unwrap_or_default();
        let company = input.snapshot.company.id;
        match decision.communication() {
            Some(planned)
                if planned.approval == Approval::Manual
                    && !input.selection.is_some_and(|s| s.approve_manual) =>
            {
                report.awaiting_approval.push(decision.customer_id);
                Ok(Vec::new())
            }
            Some(planned) => {
                let strategy = decision
                    .strategy
                    .as_deref()
                    .and_then(|name| input.strategies.strategies.iter().find(|s| s.name == name))
                    .ok_or(ExecuteError::StrategyNotFound {
                        customer: decision.customer_id,
                    })?;
                // An approved manual level is executed now: the customer carries its
                // marker from now on (the plan only proposed it).
                let approved;
                let decision = if planned.approval == Approval::Manual {
                    let mut d = decision.clone();
                    if let Some(m) = crate::followup::marker::marker_for(strategy, planned.level) {
                        d.markers_to_remove.retain(|t| t.name != m.tag);
                        d.marker = Some(m);
                    }
                    approved = d;
                    &approved
                } else {
                    decision
                };
                let prep = prepare::prepare_communication(
                    self.templates,
                    self.outbox,
                    &self.from,
                    self.reply_to.as_ref(),
                    &input.compose,
                    strategy,
                    decision,
                    planned,
                    &input.ids,
                    &current,
                )?;
                if prep.no_email {
                    report.no_email.push(decision.customer_id);
                }
                Ok(prep.actions)
            }
            None => match prepare::marker_change(decision, &current, &input.ids) {
                Some(change) => Ok(vec![prepare::prepare_marker(
                    self.outbox,
                    company,
                    input.plan.as_of,
                    decision,
                    change,
                )?]),
                None => Ok(Vec::new()),
            },
        }
    }
}
