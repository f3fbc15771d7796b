//! `relanced once`: one run now, with progress on a terminal and Ctrl-C finishing the
//! customer in progress; the summary as text or JSON.

use super::{Exit, today};
use relanced::app::App;

#[derive(clap::Args)]
pub struct Args {
    /// The day to run as (default: today).
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    app.odoo()?;
    app.ledger().await?;
    let pdf = app.pdf_pool();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let stop = shutdown.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("relanced: stopping after the customer in progress…");
            stop.cancel();
        }
    });
    let bar = {
        use std::io::IsTerminal as _;
        if std::io::stderr().is_terminal() {
            indicatif::ProgressBar::new(0)
        } else {
            indicatif::ProgressBar::hidden()
        }
    };
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let options = relanced::operate::RunOptions {
        as_of: args.as_of.unwrap_or_else(today),
        kind: relanced::ledger::RunKind::Once,
        shutdown,
        selection: None,
    };
    let outcome = relanced::operate::run_once(app, pdf, options, &progress).await?;
    bar.finish_and_clear();
    if args.json {
        let json = serde_json::json!({
            "run_id": outcome.run_id,
            "reconciled": outcome.reconciled,
            "report": outcome.report,
            "odoo_calls": outcome.odoo_calls,
            "odoo_writes": outcome.odoo_writes,
            "timings": outcome.timings,
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print!("{}", relanced::present::run::summary(&outcome));
    }
    Ok(Exit::of_run(&outcome))
}
