//! `relanced approve RUN`: executes the levels with manual approval a run proposed (all,
//! or the customers named).

use super::{Exit, run_selection};
use relanced::app::App;
use relanced::followup::CustomerId;
use relanced::select::{AwaitingApproval, approval};

#[derive(clap::Args)]
pub struct Args {
    run: i64,
    #[arg(long, num_args = 1..)]
    customer: Vec<CustomerId>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let ledger = app.ledger().await?;
    let header = ledger.run(relanced::ledger::RunId(args.run)).await?;
    let proposed = AwaitingApproval::of_summary(header.summary.as_ref());
    let selection = approval(args.run, &proposed, &args.customer)?;
    if selection.customers.is_empty() {
        println!("run {} proposed nothing to approve", args.run);
        return Ok(Exit::Success);
    }
    run_selection(
        app,
        header.as_of,
        relanced::ledger::RunKind::Approve,
        selection,
    )
    .await
}
