//! `relanced approve RUN [--by NAME]`: executes the levels with manual approval a run
//! proposed (all, or the customers named), in a person's name (`--by`, else the OS user):
//! recorded in the ledger and said in the chatter notes (`desk::approve`).

use super::Exit;
use relanced::app::App;
use relanced::desk::Actor;
use relanced::desk::approve::{Approval, approve};
use relanced::followup::CustomerId;
use relanced::ledger::RunId;

#[derive(clap::Args)]
pub struct Args {
    run: i64,
    #[arg(long, num_args = 1..)]
    customer: Vec<CustomerId>,
    /// Who approves, as written in the ledger and the chatter note (default: the OS user).
    #[arg(long)]
    by: Option<String>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let by = Actor::command_line(args.by.as_deref());
    match approve(app, RunId(args.run), &args.customer, by).await? {
        Approval::NothingProposed => {
            println!("run {} proposed nothing to approve", args.run);
            Ok(Exit::Success)
        }
        Approval::Ran(outcome) => {
            print!("{}", relanced::present::run::summary(&outcome));
            Ok(Exit::of_run(&outcome))
        }
    }
}
