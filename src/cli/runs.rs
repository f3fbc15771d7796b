//! `relanced runs`: the run history from the ledger; exit 4 while uncertain emails wait.

use super::Exit;
use relanced::app::App;
use relanced::ledger::{ActionFilter, ActionState};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let ledger = app.ledger().await?;
    let list = ledger.list_runs(args.limit).await?;
    let uncertain = ledger
        .list_actions(ActionFilter {
            run: None,
            state: Some(ActionState::Uncertain),
        })
        .await?
        .len();
    print!("{}", relanced::present::ledger::runs(&list, uncertain));
    Ok(if uncertain > 0 {
        Exit::Uncertain
    } else {
        Exit::Success
    })
}
