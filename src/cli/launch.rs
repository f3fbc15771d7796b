//! `relanced launch`: the customers due for one level of one strategy, adjusted by hand,
//! shown, confirmed on a terminal (or `--yes`), then executed as a run.

use super::{Exit, run_selection, today};
use relanced::app::App;
use relanced::followup::CustomerId;
use relanced::select::LaunchRequest;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    strategy: String,
    /// Level key, e.g. `urgent`.
    #[arg(long)]
    level: String,
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Customers to add (they must be due for a communication).
    #[arg(long, num_args = 1..)]
    add: Vec<CustomerId>,
    /// Customers to leave out.
    #[arg(long, num_args = 1..)]
    remove: Vec<CustomerId>,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let as_of = args.as_of.unwrap_or_else(today);
    let companies = relanced::manual::followed_companies(app).await?;
    let plans = relanced::manual::plans(app, as_of, &companies, &|_| {}).await?;
    let request = LaunchRequest {
        strategy: args.strategy,
        level: args.level,
        add: args.add,
        remove: args.remove,
    };
    let chosen = relanced::manual::launch_selection(&plans, &request, as_of)?;
    println!(
        "Level {:?} of strategy {:?} as of {as_of}: {} customer(s)",
        request.level,
        request.strategy,
        chosen.len()
    );
    for due in &chosen.customers {
        let (id, name, key, why) = (
            due.customer_id,
            &due.customer_name,
            &due.level,
            &due.explanation,
        );
        println!("  {id:>7}  {name:<32} {key:<10} {why}");
    }
    if chosen.is_empty() {
        return Ok(Exit::Success);
    }
    if !args.yes && !confirm(chosen.len())? {
        println!("nothing done");
        return Ok(Exit::Success);
    }
    run_selection(
        app,
        as_of,
        relanced::ledger::RunKind::Launch,
        chosen.selection(),
    )
    .await
}

/// Asks on the terminal; without one, refuses (the caller must pass `--yes`).
fn confirm(customers: usize) -> anyhow::Result<bool> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("add --yes to execute without a terminal to confirm on");
    }
    print!("Execute for these {customers} customer(s)? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "oui" | "o"))
}
