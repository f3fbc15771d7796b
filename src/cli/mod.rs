//! The `relanced` command line: the clap `Cli` and its `Command`s, one file per command
//! (each with its `Args` and `run`), the exit codes (`Exit`), and what commands share:
//! loading the configuration into an `App`, the date, progress on a terminal.
//!
//! It parses, calls the library and prints; it must not decide anything itself.

pub mod approve;
pub mod check;
pub mod console;
pub mod daemon;
pub mod demo;
pub mod exclusion;
pub mod exit;
pub mod healthcheck;
pub mod launch;
pub mod note_paragraph;
pub mod once;
pub mod plan;
pub mod postpone;
pub mod preview;
pub mod print;
pub mod resolve;
pub mod runs;
pub mod setup_odoo;
pub mod show;
pub mod situation;

pub use exit::Exit;

use clap::{Parser, Subcommand};
use relanced::app::App;
use relanced::config::{self, LoadOptions};
use relanced::logging::LogFormat;
use std::path::{Path, PathBuf};

/// Payment follow-up (dunning) for Odoo, from the outside.
#[derive(Parser)]
#[command(name = "relanced", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file.
    #[arg(
        long,
        short,
        global = true,
        env = "RELANCED_CONFIG",
        default_value = "/etc/relanced/relanced.toml"
    )]
    pub config: PathBuf,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub log_format: LogFormat,
    /// More detail in the logs.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    #[command(flatten)]
    WithApp(AppCommand),
    /// Try relanced in seconds: a built-in Odoo double with a generated book, the default
    /// strategy, mail written to files in ./relanced-demo/. No configuration, no network.
    Demo(demo::Args),
    /// The daemon: run on the configured schedule until stopped.
    #[command(long_about = daemon::LONG_ABOUT)]
    Run,
    /// Ask a running daemon whether it is ready (`/readyz`): exit 0 when ready, 1 otherwise.
    #[command(long_about = healthcheck::LONG_ABOUT)]
    Healthcheck(healthcheck::Args),
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

/// The commands that work on the configuration's `App`.
#[derive(Subcommand)]
pub enum AppCommand {
    /// Validate the configuration, connect to Odoo and list every problem (exit 0 only when all is well).
    Check(check::Args),
    /// Dry run: what would be sent today (or at --as-of), to whom and why. Writes nothing.
    Plan(plan::Args),
    /// One run now: read, decide, send, write back into Odoo, record in the ledger.
    Once(once::Args),
    /// The run history, newest first, with uncertain emails flagged.
    Runs(runs::Args),
    /// One run in detail: customers, levels, channels, recipients, documents, failures.
    Show(show::Args),
    /// Settle an uncertain email: it was sent (`--sent`), or send it again now (`--resend`).
    Resolve(resolve::Args),
    /// Execute the levels with manual approval proposed by a run (all, or these customers),
    /// in a person's name (`--by`).
    Approve(approve::Args),
    /// Postpone a customer's reminders, or one invoice's, until a date (an activity in Odoo).
    Postpone(postpone::Args),
    /// Exclude a customer from reminders (the exclusion tag in Odoo).
    Exclude(exclusion::Args),
    /// Include an excluded customer again (removes the exclusion tag).
    Include(exclusion::Args),
    /// The personal paragraph of a customer's next reminder: set, clear or show it.
    NoteParagraph(note_paragraph::Args),
    /// All of a run's letters in one PDF to print recto-verso.
    Print(print::Args),
    /// One customer's situation (items, reminders sent, next one, postponements) as JSON.
    Situation(situation::Args),
    /// The credit controller's web console on its own (`[console] listen`), without the scheduler.
    Console(console::Args),
    /// Manual launch: the customers due for one level of one strategy, adjusted by hand, executed.
    Launch(launch::Args),
    /// What a customer would receive today (or at --level), rendered from live data.
    Preview(preview::Args),
    /// Once, with an administrator's key: create the marker tags, the exclusion tag, the
    /// strategy tags and the postponement activity type (idempotent).
    SetupOdoo(setup_odoo::Args),
}

/// Loads the configuration; on failure prints every problem and returns `Exit::Config`.
pub fn load_config(path: &Path) -> Result<config::Config, Exit> {
    match config::load(path, &LoadOptions::from_process()) {
        Ok(c) => {
            for n in &c.notes {
                tracing::info!("{n}");
            }
            for w in &c.warnings {
                tracing::warn!("{w}");
            }
            Ok(c)
        }
        Err(errors) => {
            eprintln!(
                "relanced: the configuration {} has {} problem(s):",
                path.display(),
                errors.len()
            );
            for e in errors {
                eprintln!("  {e}");
            }
            Err(Exit::Config)
        }
    }
}

/// The application of the configuration at `path` (nothing opened yet).
pub fn open(path: &Path) -> Result<App, Exit> {
    load_config(path).map(|c| App::loaded_from(c, path))
}

/// The company a desk command acts on: `given`, else the only followed one.
pub async fn company_of(
    app: &App,
    given: Option<i64>,
) -> anyhow::Result<relanced::followup::CompanyId> {
    if let Some(id) = given {
        return Ok(id.into());
    }
    let followed = relanced::odoo::company::companies(app.config(), app.odoo()?).await?;
    match followed.as_slice() {
        [one] => Ok((*one).into()),
        [] => anyhow::bail!("the Odoo user follows no company (odoo.companies)"),
        many => anyhow::bail!(
            "several companies are followed ({}): pass --company",
            many.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Today, in local time.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A spinner on stderr when it is a terminal.
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Executes a manual selection (`launch`, `approve`) as a run and prints its summary.
pub async fn run_selection(
    app: &App,
    as_of: chrono::NaiveDate,
    kind: relanced::ledger::RunKind,
    selection: relanced::execute::Selection,
) -> anyhow::Result<Exit> {
    let outcome = relanced::manual::run_selection(app, as_of, kind, selection, &|_, _| {}).await?;
    print!("{}", relanced::present::run::summary(&outcome));
    Ok(Exit::of_run(&outcome))
}
