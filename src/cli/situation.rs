//! `relanced situation --customer ID [--as-of D]`: one customer's situation as JSON (open
//! items, reminders sent, the next one and when, postponements, exclusion, paragraph).

use super::{Exit, company_of, today};
use relanced::app::App;
use relanced::followup::CustomerId;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    customer: CustomerId,
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// The company (default: the only followed one).
    #[arg(long)]
    company: Option<i64>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let company = company_of(app, args.company).await?;
    let as_of = args.as_of.unwrap_or_else(today);
    let situation =
        relanced::desk::situation::customer_situation(app, company, args.customer, as_of).await?;
    println!("{}", serde_json::to_string_pretty(&situation)?);
    Ok(Exit::Success)
}
