//! `relanced postpone --customer ID [--invoice ID] --until DATE --reason TEXT`: writes the
//! postponement activity in Odoo (on the invoice, or on the customer), so that the next
//! runs leave it alone until then (`desk::postpone`).

use super::{Exit, company_of};
use relanced::app::App;
use relanced::desk::Actor;
use relanced::desk::postpone::{PostponeRequest, postpone};
use relanced::followup::CustomerId;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    customer: CustomerId,
    /// One invoice (`account.move` id) of the customer; without it, the whole customer.
    #[arg(long)]
    invoice: Option<i64>,
    /// Last day of the postponement (YYYY-MM-DD): reminded again from the day after.
    #[arg(long)]
    until: chrono::NaiveDate,
    /// Why (dispute, payment promise…): the activity's note.
    #[arg(long)]
    reason: String,
    /// The company (default: the only followed one).
    #[arg(long)]
    company: Option<i64>,
    /// Who postpones, as written in the activity (default: the OS user).
    #[arg(long)]
    by: Option<String>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let company = company_of(app, args.company).await?;
    let done = postpone(
        app,
        PostponeRequest {
            company,
            customer: args.customer,
            invoice: args.invoice,
            until: args.until,
            reason: args.reason,
            by: Actor::command_line(args.by.as_deref()),
        },
    )
    .await?;
    println!(
        "postponed until {}: activity {} on {} {}",
        done.until, done.activity_id, done.res_model, done.res_id
    );
    Ok(Exit::Success)
}
