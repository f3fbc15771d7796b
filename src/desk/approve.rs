//! Approving the levels with manual approval a run proposed, in a person's name: the same
//! path as `relanced approve` (`select::approval` on the run's summary, then a run of kind
//! `approve` on those customers), with the approver recorded in the ledger
//! (`run_approvals`) and said in the chatter note of each communication it sends
//! ("Approuvé par Jeanne Dupont").

use super::{Actor, DeskError};
use crate::app::App;
use crate::followup::CustomerId;
use crate::ledger::{RunId, RunKind};
use crate::operate::{RunOptions, RunOutcome, run_once};
use crate::select::{AwaitingApproval, approval};

/// What an approval did.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Approval {
    /// The run proposed nothing (left) to approve: nothing was run.
    NothingProposed,
    /// The approval run, with its report.
    Ran(Box<RunOutcome>),
}

/// Executes the levels `run` proposed for approval, for `customers` (empty: all of them),
/// as approved by `by`, at the run's own `as_of`.
pub async fn approve(
    app: &App,
    run: RunId,
    customers: &[CustomerId],
    by: Actor,
) -> Result<Approval, DeskError> {
    let ledger = app.ledger().await?;
    let header = ledger.run(run).await?;
    let proposed = AwaitingApproval::of_summary(header.summary.as_ref());
    let mut selection = approval(run.get(), &proposed, customers)?;
    if selection.customers.is_empty() {
        return Ok(Approval::NothingProposed);
    }
    selection.approved_by = Some((&by).into());
    let options = RunOptions {
        as_of: header.as_of,
        kind: RunKind::Approve,
        shutdown: tokio_util::sync::CancellationToken::new(),
        selection: Some(selection),
    };
    let outcome = run_once(app, app.pdf_pool(), options, &|_, _| {}).await?;
    Ok(Approval::Ran(Box::new(outcome)))
}
