//! `relanced show RUN`: one run in detail, from the ledger.

use super::Exit;
use relanced::app::App;

#[derive(clap::Args)]
pub struct Args {
    run: i64,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let ledger = app.ledger().await?;
    let (header, actions) = ledger.show_run(relanced::ledger::RunId(args.run)).await?;
    print!("{}", relanced::present::ledger::show(&header, &actions));
    if let Some(approver) = ledger.run_approver(header.id).await? {
        println!("Approved by {} ({})", approver.name, approver.login);
    }
    Ok(Exit::Success)
}
