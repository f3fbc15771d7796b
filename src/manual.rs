//! What a person asks for by hand, shared by the CLI (`plan`, `launch`, `approve`) and the
//! console: the plans of the followed companies (optionally only some of them), the
//! selection of a launch, the selection of an approval, and executing a selection as a
//! run. Whoever calls gets the same decisions and the same runs.
//!
//! It must not print (that is `present`) nor decide who is due (`followup`, `select`).

use crate::app::App;
use crate::execute::Selection;
use crate::followup::{CustomerId, Plan};
use crate::ledger::{RunId, RunKind};
use crate::operate::{OperateError, RunOptions, RunOutcome, plan_company, run_once};
use crate::select::{
    AwaitingApproval, LaunchRequest, LaunchSelection, NotDue, NotProposed, approval,
};
use chrono::NaiveDate;
use tokio_util::sync::CancellationToken;

/// Why a manual request cannot be carried out.
#[derive(Debug, thiserror::Error)]
pub enum ManualError {
    #[error(transparent)]
    Operate(#[from] OperateError),
    #[error(transparent)]
    NotDue(#[from] NotDue),
    #[error(transparent)]
    NotProposed(#[from] NotProposed),
}

impl From<crate::odoo::OdooError> for ManualError {
    fn from(e: crate::odoo::OdooError) -> Self {
        ManualError::Operate(e.into())
    }
}

impl From<crate::ledger::LedgerError> for ManualError {
    fn from(e: crate::ledger::LedgerError) -> Self {
        ManualError::Operate(e.into())
    }
}

impl From<crate::app::AppError> for ManualError {
    fn from(e: crate::app::AppError) -> Self {
        ManualError::Operate(e.into())
    }
}

/// The companies relanced follows (`odoo.companies`, else every company of its user).
pub async fn followed_companies(app: &App) -> Result<Vec<i64>, ManualError> {
    Ok(crate::odoo::company::companies(app.config(), app.odoo()?).await?)
}

/// The followed companies among `allowed` (a console user's companies in Odoo).
pub async fn companies_among(app: &App, allowed: &[i64]) -> Result<Vec<i64>, ManualError> {
    let mut companies = followed_companies(app).await?;
    companies.retain(|c| allowed.contains(c));
    Ok(companies)
}

/// The plans of `companies` as of `as_of`, one per company (`progress` hears of each
/// before it is read). Reads Odoo and the ledger (never creating it); writes nothing.
pub async fn plans(
    app: &App,
    as_of: NaiveDate,
    companies: &[i64],
    progress: &(dyn Fn(i64) + Sync),
) -> Result<Vec<Plan>, ManualError> {
    let config = app.config();
    let client = app.odoo()?;
    let features = crate::odoo::features::ServerFeatures::detect(client).await?;
    let state = app.followup_state_read_only().await?;
    let mut plans = Vec::new();
    for &company in companies {
        progress(company);
        let (_, plan) = plan_company(config, client, &features, &state, company, as_of).await?;
        plans.push(plan);
    }
    Ok(plans)
}

/// The customers `request` launches as of `as_of` among `plans`.
pub fn launch_selection(
    plans: &[Plan],
    request: &LaunchRequest,
    as_of: NaiveDate,
) -> Result<LaunchSelection, NotDue> {
    LaunchSelection::choose(plans, request, as_of)
}

/// What an approval of run `run` executes (all it proposed, or `customers`), and the
/// business date of that run.
pub async fn approval_selection(
    app: &App,
    run: RunId,
    customers: &[CustomerId],
) -> Result<(NaiveDate, Selection), ManualError> {
    let header = app.ledger().await?.run(run).await?;
    let proposed = AwaitingApproval::of_summary(header.summary.as_ref());
    Ok((header.as_of, approval(run.0, &proposed, customers)?))
}

/// Executes `selection` as a run of `kind` (`launch`, `approve`) as of `as_of`.
pub async fn run_selection(
    app: &App,
    as_of: NaiveDate,
    kind: RunKind,
    selection: Selection,
    progress: &dyn Fn(usize, usize),
) -> Result<RunOutcome, OperateError> {
    app.odoo()?;
    let options = RunOptions {
        as_of,
        kind,
        shutdown: CancellationToken::new(),
        selection: Some(selection),
    };
    run_once(app, app.pdf_pool(), options, progress).await
}

/// The levels waiting for approval: the newest run that proposed some, and the
/// customers it proposed that no later approval run has acted on yet.
pub async fn pending_approval(
    ledger: &crate::ledger::Ledger,
) -> Result<Option<(crate::ledger::Run, Vec<CustomerId>)>, crate::ledger::LedgerError> {
    let runs = ledger.list_runs(100).await?;
    let Some(proposing) = runs.iter().find(|r| {
        r.kind != RunKind::Approve
            && !AwaitingApproval::of_summary(r.summary.as_ref())
                .awaiting_approval
                .is_empty()
    }) else {
        return Ok(None);
    };
    let mut approved = std::collections::BTreeSet::new();
    for later in runs
        .iter()
        .filter(|r| r.id.0 > proposing.id.0 && r.kind == RunKind::Approve)
    {
        let filter = crate::ledger::ActionFilter {
            run: Some(later.id),
            state: None,
        };
        approved.extend(
            ledger
                .list_actions(filter)
                .await?
                .iter()
                .map(|a| a.customer_id),
        );
    }
    let waiting = AwaitingApproval::of_summary(proposing.summary.as_ref())
        .awaiting_approval
        .into_iter()
        .filter(|c| !approved.contains(c))
        .collect();
    Ok(Some((proposing.clone(), waiting)))
}
