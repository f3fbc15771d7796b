//! `relanced demo`: the whole job against the built-in Odoo double, nothing to configure.

use super::{Exit, today};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the emails, letters and ledger.
    #[arg(long, default_value = "relanced-demo")]
    dir: PathBuf,
    /// The day to run as (default: today).
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Customers in the generated book.
    #[arg(long, default_value_t = 40)]
    customers: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Only today's run (by default three earlier runs, 45, 30 and 15 days ago, come
    /// first, so that customers escalate).
    #[arg(long)]
    no_history: bool,
}

#[cfg(feature = "demo")]
pub async fn run(args: Args) -> anyhow::Result<Exit> {
    let options = relanced::demo::DemoOptions {
        dir: args.dir,
        as_of: args.as_of.unwrap_or_else(today),
        customers: args.customers,
        seed: args.seed,
        history_days: if args.no_history {
            vec![]
        } else {
            vec![45, 30, 15]
        },
        pdf: None,
    };
    let outcome = relanced::demo::run(options).await?;
    print!("{}", relanced::demo::describe(&outcome));
    Ok(Exit::Success)
}

#[cfg(not(feature = "demo"))]
pub async fn run(args: Args) -> anyhow::Result<Exit> {
    let _ = (args, today);
    eprintln!(
        "error: this relanced was built without the Odoo double, so `relanced demo` is not available; build it with `cargo build --release` (the `demo` feature is on by default)"
    );
    Ok(Exit::NotBuiltIn)
}
