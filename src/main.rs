//! The `relanced` command: argument parsing and wiring only; everything else is in the library.

use anyhow::Context as _;
use clap::{CommandFactory, Parser, Subcommand};
use relanced::config::{self, Config, LoadOptions};
use relanced::logging::{self, LogFormat};
use relanced::odoo::{Connection, OdooClient};
use std::path::PathBuf;
use std::process::ExitCode;

/// Payment follow-up (dunning) for Odoo, from the outside.
#[derive(Parser)]
#[command(name = "relanced", version, about, long_about = None)]
struct Cli {
    /// Configuration file.
    #[arg(
        long,
        short,
        global = true,
        env = "RELANCED_CONFIG",
        default_value = "/etc/relanced/relanced.toml"
    )]
    config: PathBuf,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    log_format: LogFormat,
    /// More detail in the logs.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate the configuration, connect to Odoo and list every problem (exit 0 only when all is well).
    Check {
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Dry run: what would be sent today (or at --as-of), to whom and why. Writes nothing.
    Plan {
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
        customer: Vec<i64>,
        #[arg(long, value_enum, default_value = "table")]
        format: PlanFormat,
        /// Show whole explanations.
        #[arg(long)]
        explain: bool,
        /// Compare with a previous plan saved with `--format json`.
        #[arg(long)]
        diff: Option<PathBuf>,
    },
    /// One run now: read, decide, send, write back into Odoo, record in the ledger.
    Once {
        /// The day to run as (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Try relanced in seconds: a built-in Odoo double with a generated book, the default
    /// strategy, mail written to files in ./relanced-demo/. No configuration, no network.
    Demo {
        /// Where to write the emails, letters and ledger.
        #[arg(long, default_value = "relanced-demo")]
        dir: PathBuf,
        /// The day to run as (default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Customers in the generated book.
        #[arg(long, default_value_t = 60)]
        customers: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// The daemon: run on the configured schedule until stopped.
    #[command(
        long_about = "The daemon: run on the configured schedule until stopped.\n\n\
        Runs at [schedule] at (local time in [schedule] timezone, business days only, \
        holidays skipped) or every [schedule] interval_minutes. At start-up, a run happens \
        at once when the last successful run is older than the last scheduled time (one \
        catch-up run covers every missed day). Two daemons on one ledger never run at \
        once: the ledger's run lock makes the second one skip and look again later.\n\n\
        Under systemd (Type=notify): READY once configuration, ledger and templates are \
        loaded and Odoo was reached (or degraded, with STATUS saying why), watchdog \
        pings, STATUS lines (next run, progress). SIGHUP reloads configuration and \
        templates, keeping the old ones if the new ones are invalid. SIGTERM finishes the \
        customer in progress, records the run as interrupted and exits 0.\n\n\
        With [http] enabled (default 127.0.0.1:9187): /healthz, /readyz, /metrics \
        (Prometheus)."
    )]
    Run,
    /// Ask a running daemon whether it is ready (`/readyz`): exit 0 when ready, 1 otherwise.
    #[command(
        long_about = "Ask a running daemon whether it is ready: GET /readyz on the \
        health listener ([http] listen of the configuration, or --url). Exit 0 when \
        ready, 1 otherwise, with the reasons on stderr. For tests, container health \
        checks and monitoring."
    )]
    Healthcheck {
        /// The readiness URL (default: http://<[http] listen>/readyz from the configuration).
        #[arg(long)]
        url: Option<String>,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 5)]
        timeout: u64,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PlanFormat {
    Table,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.log_format, cli.verbose);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("relanced: cannot start the async runtime: {e}");
            return ExitCode::from(70);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("relanced: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check { format } => check(&cli.config, format).await,
        Command::Plan {
            as_of,
            company,
            strategy,
            customer,
            format,
            explain,
            diff,
        } => {
            let options = PlanOptions {
                as_of,
                company,
                strategy,
                customers: customer,
                format,
                explain,
                diff,
            };
            plan(&cli.config, options).await
        }
        Command::Once { as_of, json } => once(&cli.config, as_of, json).await,
        Command::Demo {
            dir,
            as_of,
            customers,
            seed,
        } => {
            let options = relanced::demo::DemoOptions {
                dir,
                as_of: as_of.unwrap_or_else(today),
                customers,
                seed,
                pdf: None,
            };
            let outcome = relanced::demo::run(options).await?;
            print!("{}", relanced::demo::describe(&outcome));
            Ok(ExitCode::SUCCESS)
        }
        Command::Run => daemon(&cli.config).await,
        Command::Healthcheck { url, timeout } => healthcheck(&cli.config, url, timeout).await,
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "relanced",
                &mut std::io::stdout(),
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads the configuration; on failure prints every problem and returns exit code 2.
fn load_config(path: &std::path::Path) -> Result<Config, ExitCode> {
    match config::load(path, &LoadOptions::from_process()) {
        Ok(c) => {
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
            Err(ExitCode::from(2))
        }
    }
}

fn client_for(config: &Config) -> anyhow::Result<OdooClient> {
    let key = config
        .secrets
        .odoo_api_key
        .clone()
        .context("odoo.api_key was not resolved")?;
    let conn = Connection::from_config(&config.odoo, key)?;
    Ok(OdooClient::new(conn)?)
}

async fn check(path: &std::path::Path, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let mut report = relanced::check::Report::default();
    let config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    report.ok("config", format!("{} is valid", path.display()));
    for w in &config.warnings {
        report.warn("config", w.clone());
    }
    let client = client_for(&config)?;
    relanced::check::check_odoo(&config, &client, &mut report).await;
    match format {
        OutputFormat::Text => print!("{}", report.to_text()),
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

struct PlanOptions {
    as_of: Option<chrono::NaiveDate>,
    company: Option<i64>,
    strategy: Option<String>,
    customers: Vec<i64>,
    format: PlanFormat,
    explain: bool,
    diff: Option<PathBuf>,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// A spinner on stderr when it is a terminal.
fn spinner(message: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message.to_owned());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The ledger's state, read without creating anything: a SQLite ledger that does not
/// exist yet means "nothing sent so far".
async fn read_state(config: &Config) -> anyhow::Result<relanced::ledger::FollowupState> {
    if let Some(path) = config.ledger.url.strip_prefix("sqlite://")
        && !std::path::Path::new(path).exists()
    {
        return Ok(Default::default());
    }
    let ledger = relanced::ledger::Ledger::open(&config.ledger.url).await?;
    Ok(ledger.followup_state(None).await?)
}

async fn plan(path: &std::path::Path, o: PlanOptions) -> anyhow::Result<ExitCode> {
    let config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let client = client_for(&config)?;
    let as_of = o.as_of.unwrap_or_else(today);
    let bar = spinner("reading Odoo…");
    let features = relanced::odoo::features::Features::detect(&client).await?;
    let state = read_state(&config).await?;
    let companies = match o.company {
        Some(c) => vec![c],
        None => relanced::operate::companies(&config, &client).await?,
    };
    let mut plans = Vec::new();
    for company in companies {
        bar.set_message(format!("reading company {company} from Odoo…"));
        let (_, mut plan) =
            relanced::operate::plan_company(&config, &client, &features, &state, company, as_of)
                .await?;
        plan.decisions.retain(|d| {
            (o.customers.is_empty() || o.customers.contains(&d.customer_id))
                && o.strategy
                    .as_ref()
                    .is_none_or(|s| d.strategy.as_deref() == Some(s.as_str()))
        });
        plans.push(plan);
    }
    bar.finish_and_clear();
    match o.format {
        PlanFormat::Json => println!("{}", serde_json::to_string_pretty(&plans)?),
        PlanFormat::Csv => {
            for (i, p) in plans.iter().enumerate() {
                let csv = relanced::present::plan::csv(p);
                // One header for all companies.
                print!(
                    "{}",
                    if i == 0 {
                        csv.as_str()
                    } else {
                        csv.split_once('\n').map_or("", |(_, rest)| rest)
                    }
                );
            }
        }
        PlanFormat::Table => {
            for p in &plans {
                print!("{}", relanced::present::plan::table(p, o.explain));
            }
        }
    }
    if let Some(previous) = o.diff {
        let text = std::fs::read_to_string(&previous)
            .with_context(|| format!("cannot read {}", previous.display()))?;
        let json: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a plan in JSON", previous.display()))?;
        let before = relanced::present::plan::positions_from_json(&json).with_context(|| {
            format!(
                "{} is not the output of `relanced plan --format json`",
                previous.display()
            )
        })?;
        let mut now = std::collections::BTreeMap::new();
        for p in &plans {
            now.extend(relanced::present::plan::positions(p));
        }
        eprint!(
            "\nChanges since {}:\n{}",
            previous.display(),
            relanced::present::plan::diff(&before, &now)
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn once(
    path: &std::path::Path,
    as_of: Option<chrono::NaiveDate>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let client = client_for(&config)?;
    let ledger = relanced::operate::open_ledger(&config).await?;
    let pdf = std::sync::Arc::new(relanced::operate::LazyPdf::new(2, "/"));
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
        as_of: as_of.unwrap_or_else(today),
        kind: relanced::ledger::RunKind::Once,
        shutdown,
    };
    let outcome =
        relanced::operate::run_once(&config, &client, &ledger, pdf, options, &progress).await?;
    bar.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&outcome.report)?);
    } else {
        print!("{}", relanced::present::run::summary(&outcome));
    }
    Ok(if outcome.report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

async fn daemon(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let options = relanced::daemon::DaemonOptions::new(path.to_owned());
    let clock = std::sync::Arc::new(relanced::daemon::SystemClock);
    match relanced::daemon::run_daemon(options, clock).await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e @ relanced::daemon::DaemonError::Config(_)) => {
            eprintln!("relanced: {}: {e}", path.display());
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e.into()),
    }
}

async fn healthcheck(
    path: &std::path::Path,
    url: Option<String>,
    timeout: u64,
) -> anyhow::Result<ExitCode> {
    let url = match url {
        Some(u) => u,
        None => match load_config(path) {
            Ok(c) => format!("http://{}/readyz", c.http.listen),
            Err(code) => return Ok(code),
        },
    };
    let timeout = std::time::Duration::from_secs(timeout);
    match relanced::daemon::http::healthcheck(&url, timeout).await {
        Ok(body) => {
            print!("{body}");
            Ok(ExitCode::SUCCESS)
        }
        Err(why) => {
            eprintln!("relanced: {why}");
            Ok(ExitCode::FAILURE)
        }
    }
}
