//! `relanced plan`: the dry run, as a table, CSV or JSON, optionally compared with a
//! previous plan. Reads Odoo and the ledger (never creating it); writes nothing.

use super::{Exit, spinner, today};
use anyhow::Context as _;
use relanced::app::App;
use relanced::followup::CustomerId;
use relanced::present::plans::{self, PreviousPlanError};
use relanced::select::PlanFilter;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The day to plan for (default: today).
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Only this company (default: all configured).
    #[arg(long)]
    company: Option<i64>,
    /// Only customers following this strategy.
    #[arg(long)]
    strategy: Option<String>,
    /// Only these customers (ids).
    #[arg(long, num_args = 1..)]
    customer: Vec<CustomerId>,
    #[arg(long, value_enum, default_value = "table")]
    format: PlanFormat,
    /// Show whole explanations.
    #[arg(long)]
    explain: bool,
    /// Compare with a previous plan saved with `--format json`.
    #[arg(long)]
    diff: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PlanFormat {
    Table,
    Csv,
    Json,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let as_of = args.as_of.unwrap_or_else(today);
    let filter = PlanFilter {
        customers: args.customer,
        strategy: args.strategy,
    };
    let bar = spinner("reading Odoo…");
    let companies = match args.company {
        Some(c) => vec![c],
        None => relanced::manual::followed_companies(app).await?,
    };
    let report = |company: i64| bar.set_message(format!("reading company {company} from Odoo…"));
    let mut plans = relanced::manual::plans(app, as_of, &companies, &report).await?;
    for plan in &mut plans {
        filter.apply(plan);
    }
    bar.finish_and_clear();
    match args.format {
        PlanFormat::Json => println!("{}", serde_json::to_string_pretty(&plans)?),
        PlanFormat::Csv => print!("{}", plans::csv(&plans)),
        PlanFormat::Table => print!("{}", plans::tables(&plans, args.explain)),
    }
    if let Some(previous) = args.diff {
        let text = std::fs::read_to_string(&previous)
            .with_context(|| format!("cannot read {}", previous.display()))?;
        let before = match plans::previous_positions(&text) {
            Ok(before) => before,
            Err(PreviousPlanError::NotJson(e)) => {
                return Err(anyhow::Error::new(e)
                    .context(format!("{} is not a plan in JSON", previous.display())));
            }
            Err(PreviousPlanError::NotAPlan) => anyhow::bail!(
                "{} is not the output of `relanced plan --format json`",
                previous.display()
            ),
        };
        eprint!(
            "\nChanges since {}:\n{}",
            previous.display(),
            plans::diff_since(&before, &plans)
        );
    }
    Ok(Exit::Success)
}
