//! `relanced exclude --customer ID` / `relanced include --customer ID`: adds or removes the
//! exclusion tag on the customer in Odoo, no other tag touched (`desk::exclude`).

use super::{Exit, company_of};
use relanced::app::App;
use relanced::desk::Actor;
use relanced::followup::CustomerId;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    customer: CustomerId,
    /// The company (default: the only followed one).
    #[arg(long)]
    company: Option<i64>,
    /// Who does it (default: the OS user).
    #[arg(long)]
    by: Option<String>,
}

/// `exclude` when `exclude`, else `include`.
pub async fn run(args: Args, app: &App, exclude: bool) -> anyhow::Result<Exit> {
    let company = company_of(app, args.company).await?;
    let by = Actor::command_line(args.by.as_deref());
    let change = if exclude {
        relanced::desk::exclude::exclude(app, company, args.customer, &by).await?
    } else {
        relanced::desk::exclude::include(app, company, args.customer, &by).await?
    };
    let state = if change.excluded {
        "excluded from reminders"
    } else {
        "followed again"
    };
    let how = if change.changed {
        "tag written"
    } else {
        "already so, nothing written"
    };
    println!("customer {}: {state} ({how})", change.customer);
    Ok(Exit::Success)
}
