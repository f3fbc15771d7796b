//! `relanced approve RUN`: executes the levels with manual approval a run proposed (all,
//! or the customers named).

use super::{Exit, run_selection};
use relanced::app::App;
use relanced::followup::CustomerId;

#[derive(clap::Args)]
pub struct Args {
    run: i64,
    #[arg(long, num_args = 1..)]
    customer: Vec<CustomerId>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let (as_of, selection) =
        relanced::manual::approval_selection(app, relanced::ledger::RunId(args.run), &args.customer)
            .await?;
    if selection.customers.is_empty() {
        println!("run {} proposed nothing to approve", args.run);
        return Ok(Exit::Success);
    }
    run_selection(
        app,
        as_of,
        relanced::ledger::RunKind::Approve,
        selection,
    )
    .await
}
