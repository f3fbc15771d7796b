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
    /// The run history, newest first, with uncertain emails flagged.
    Runs {
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// One run in detail: customers, levels, channels, recipients, documents, failures.
    Show { run: i64 },
    /// Settle an uncertain email: it was sent (`--sent`), or send it again now (`--resend`).
    Resolve {
        action: i64,
        #[arg(long, conflicts_with = "resend", required_unless_present = "resend")]
        sent: bool,
        #[arg(long)]
        resend: bool,
    },
    /// Execute the levels with manual approval proposed by a run (all, or these customers).
    Approve {
        run: i64,
        #[arg(long, num_args = 1..)]
        customer: Vec<i64>,
    },
    /// Manual launch: the customers due for one level of one strategy, adjusted by hand, executed.
    Launch {
        #[arg(long)]
        strategy: String,
        /// Level key, e.g. `urgent`.
        #[arg(long)]
        level: String,
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Customers to add (they must be due for a communication).
        #[arg(long, num_args = 1..)]
        add: Vec<i64>,
        /// Customers to leave out.
        #[arg(long, num_args = 1..)]
        remove: Vec<i64>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// What a customer would receive today (or at --level), rendered from live data.
    Preview {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        level: Option<String>,
        /// Odoo language code, e.g. nl_BE (default: the customer's).
        #[arg(long)]
        lang: Option<String>,
        #[arg(long, value_enum, default_value = "html")]
        format: PreviewFormatArg,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
    /// Once, with an administrator's key: create the marker tags, the exclusion tag, the
    /// strategy tags and the postponement activity type (idempotent).
    SetupOdoo {
        /// Administrator login (default: odoo.login of the configuration).
        #[arg(long)]
        login: Option<String>,
        /// File holding the administrator's API key or password.
        #[arg(long, env = "RELANCED_SETUP_KEY_FILE")]
        key_file: PathBuf,
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
        #[arg(long, default_value_t = 40)]
        customers: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Only today's run (by default three earlier runs, 45, 30 and 15 days ago, come
        /// first, so that customers escalate).
        #[arg(long)]
        no_history: bool,
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
enum PreviewFormatArg {
    Html,
    Txt,
    Eml,
    Pdf,
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
        Command::SetupOdoo { login, key_file } => setup_odoo(&cli.config, login, key_file).await,
        Command::Runs { limit } => runs(&cli.config, limit).await,
        Command::Show { run } => show(&cli.config, run).await,
        Command::Resolve {
            action,
            sent,
            resend: _,
        } => resolve(&cli.config, action, sent).await,
        Command::Approve { run, customer } => approve(&cli.config, run, customer).await,
        Command::Launch {
            strategy,
            level,
            as_of,
            add,
            remove,
            yes,
        } => {
            launch(
                &cli.config,
                LaunchOptions {
                    strategy,
                    level,
                    as_of,
                    add,
                    remove,
                    yes,
                },
            )
            .await
        }
        Command::Preview {
            customer,
            level,
            lang,
            format,
            out,
            as_of,
        } => {
            let format = match format {
                PreviewFormatArg::Html => relanced::preview::PreviewFormat::Html,
                PreviewFormatArg::Txt => relanced::preview::PreviewFormat::Txt,
                PreviewFormatArg::Eml => relanced::preview::PreviewFormat::Eml,
                PreviewFormatArg::Pdf => relanced::preview::PreviewFormat::Pdf,
            };
            let request = relanced::preview::PreviewRequest {
                customer,
                level,
                lang,
                format,
                as_of: as_of.unwrap_or_else(today),
            };
            preview(&cli.config, request, out).await
        }
        Command::Demo {
            dir,
            as_of,
            customers,
            seed,
            no_history,
        } => {
            #[cfg(feature = "demo")]
            {
                let options = relanced::demo::DemoOptions {
                    dir,
                    as_of: as_of.unwrap_or_else(today),
                    customers,
                    seed,
                    history_days: if no_history { vec![] } else { vec![45, 30, 15] },
                    pdf: None,
                };
                let outcome = relanced::demo::run(options).await?;
                print!("{}", relanced::demo::describe(&outcome));
                Ok(ExitCode::SUCCESS)
            }
            #[cfg(not(feature = "demo"))]
            {
                let _ = (dir, as_of, customers, seed, no_history);
                eprintln!(
                    "error: this relanced was built without the Odoo double, so `relanced demo` is not available; build it with `cargo build --release` (the `demo` feature is on by default)"
                );
                Ok(ExitCode::from(64))
            }
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
    for n in &config.notes {
        report.ok("config", n.clone());
    }
    for w in &config.warnings {
        report.warn("config", w.clone());
    }
    relanced::check::check_templates(&config, &mut report);
    relanced::check::check_ledger(&config, &mut report).await;
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
    if config.ledger.sqlite_not_created().is_some() {
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
        selection: None,
    };
    let outcome =
        relanced::operate::run_once(&config, &client, &ledger, pdf, options, &progress).await?;
    bar.finish_and_clear();
    if json {
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
    Ok(run_exit_code(&outcome))
}

async fn open_configured_ledger(
    path: &std::path::Path,
) -> anyhow::Result<Result<(Config, relanced::ledger::Ledger), ExitCode>> {
    let config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(Err(code)),
    };
    let ledger = relanced::operate::open_ledger(&config).await?;
    Ok(Ok((config, ledger)))
}

async fn runs(path: &std::path::Path, limit: u32) -> anyhow::Result<ExitCode> {
    let (_, ledger) = match open_configured_ledger(path).await? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let list = ledger.list_runs(limit).await?;
    let uncertain = ledger
        .list_actions(relanced::ledger::ActionFilter {
            run: None,
            state: Some(relanced::ledger::ActionState::Uncertain),
        })
        .await?
        .len();
    print!("{}", relanced::present::ledger::runs(&list, uncertain));
    Ok(if uncertain > 0 {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    })
}

async fn show(path: &std::path::Path, run: i64) -> anyhow::Result<ExitCode> {
    let (_, ledger) = match open_configured_ledger(path).await? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let (header, actions) = ledger.show_run(relanced::ledger::RunId(run)).await?;
    print!("{}", relanced::present::ledger::show(&header, &actions));
    Ok(ExitCode::SUCCESS)
}

async fn resolve(path: &std::path::Path, action: i64, sent: bool) -> anyhow::Result<ExitCode> {
    let (config, ledger) = match open_configured_ledger(path).await? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let id = relanced::ledger::ActionId(action);
    if sent {
        ledger
            .resolve(id, relanced::ledger::Resolution::Sent)
            .await?;
        println!("action {action}: recorded as sent");
        return Ok(ExitCode::SUCCESS);
    }
    let client = client_for(&config)?;
    let pdf = std::sync::Arc::new(relanced::operate::LazyPdf::new(1, "/"));
    let outcome = relanced::operate::resend(&config, &client, &ledger, pdf, id).await?;
    println!("action {action}: {outcome:?}");
    Ok(ExitCode::SUCCESS)
}

async fn approve(
    path: &std::path::Path,
    run: i64,
    customers: Vec<i64>,
) -> anyhow::Result<ExitCode> {
    let (config, ledger) = match open_configured_ledger(path).await? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let header = ledger.run(relanced::ledger::RunId(run)).await?;
    let proposed: std::collections::BTreeSet<i64> = header
        .summary
        .as_ref()
        .and_then(|s| s.get("awaiting_approval"))
        .and_then(|a| serde_json::from_value::<Vec<i64>>(a.clone()).ok())
        .unwrap_or_default()
        .into_iter()
        .collect();
    let chosen: std::collections::BTreeSet<i64> = if customers.is_empty() {
        proposed.clone()
    } else {
        for c in &customers {
            if !proposed.contains(c) {
                anyhow::bail!("customer {c} has no level waiting for approval in run {run}");
            }
        }
        customers.into_iter().collect()
    };
    if chosen.is_empty() {
        println!("run {run} proposed nothing to approve");
        return Ok(ExitCode::SUCCESS);
    }
    let selection = relanced::execute::Selection {
        customers: chosen,
        approve_manual: true,
    };
    execute_selection(
        &config,
        &ledger,
        header.as_of,
        relanced::ledger::RunKind::Approve,
        selection,
    )
    .await
}

struct LaunchOptions {
    strategy: String,
    level: String,
    as_of: Option<chrono::NaiveDate>,
    add: Vec<i64>,
    remove: Vec<i64>,
    yes: bool,
}

async fn launch(path: &std::path::Path, o: LaunchOptions) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    let (config, ledger) = match open_configured_ledger(path).await? {
        Ok(x) => x,
        Err(code) => return Ok(code),
    };
    let client = client_for(&config)?;
    let as_of = o.as_of.unwrap_or_else(today);
    let features = relanced::odoo::features::Features::detect(&client).await?;
    let state = ledger.followup_state(None).await?;
    let mut due = std::collections::BTreeMap::new();
    for company in relanced::operate::companies(&config, &client).await? {
        let (_, plan) =
            relanced::operate::plan_company(&config, &client, &features, &state, company, as_of)
                .await?;
        for d in plan.decisions {
            if let Some(c) = d.communication() {
                due.insert(
                    d.customer_id,
                    (
                        d.customer_name.clone(),
                        d.strategy.clone(),
                        c.key.clone(),
                        d.explanation.clone(),
                    ),
                );
            }
        }
    }
    let mut chosen: std::collections::BTreeSet<i64> = due
        .iter()
        .filter(|(_, (_, s, k, _))| s.as_deref() == Some(o.strategy.as_str()) && *k == o.level)
        .map(|(id, _)| *id)
        .collect();
    for id in &o.add {
        match due.get(id) {
            Some(_) => {
                chosen.insert(*id);
            }
            None => anyhow::bail!(
                "customer {id} is not due for any communication as of {as_of} (see `relanced plan --customer {id}`)"
            ),
        }
    }
    for id in &o.remove {
        chosen.remove(id);
    }
    println!(
        "Level {:?} of strategy {:?} as of {as_of}: {} customer(s)",
        o.level,
        o.strategy,
        chosen.len()
    );
    for id in &chosen {
        let (name, _, key, why) = &due[id];
        println!("  {id:>7}  {name:<32} {key:<10} {why}");
    }
    if chosen.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    if !o.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("add --yes to execute without a terminal to confirm on");
        }
        print!("Execute for these {} customer(s)? [y/N] ", chosen.len());
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "oui" | "o") {
            println!("nothing done");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let selection = relanced::execute::Selection {
        customers: chosen,
        approve_manual: true,
    };
    execute_selection(
        &config,
        &ledger,
        as_of,
        relanced::ledger::RunKind::Launch,
        selection,
    )
    .await
}

async fn execute_selection(
    config: &Config,
    ledger: &relanced::ledger::Ledger,
    as_of: chrono::NaiveDate,
    kind: relanced::ledger::RunKind,
    selection: relanced::execute::Selection,
) -> anyhow::Result<ExitCode> {
    let client = client_for(config)?;
    let pdf = std::sync::Arc::new(relanced::operate::LazyPdf::new(2, "/"));
    let options = relanced::operate::RunOptions {
        as_of,
        kind,
        shutdown: tokio_util::sync::CancellationToken::new(),
        selection: Some(selection),
    };
    let outcome =
        relanced::operate::run_once(config, &client, ledger, pdf, options, &|_, _| {}).await?;
    print!("{}", relanced::present::run::summary(&outcome));
    Ok(run_exit_code(&outcome))
}

async fn preview(
    path: &std::path::Path,
    request: relanced::preview::PreviewRequest,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    use std::io::Write as _;
    let config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let client = client_for(&config)?;
    let pdf = relanced::operate::LazyPdf::new(1, "/");
    let bytes = relanced::preview::preview(&config, &client, &pdf, &request).await?;
    match out {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn setup_odoo(
    path: &std::path::Path,
    login: Option<String>,
    key_file: PathBuf,
) -> anyhow::Result<ExitCode> {
    let mut config = match load_config(path) {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let key = std::fs::read_to_string(&key_file)
        .with_context(|| format!("cannot read {}", key_file.display()))?;
    if let Some(login) = login {
        config.odoo.login = login;
    }
    let conn =
        Connection::from_config(&config.odoo, relanced::config::Secret::new(key.trim_end()))?;
    let client = OdooClient::new(conn)?;
    let report = relanced::setup::setup_odoo(&config, &client).await?;
    print!("{}", relanced::setup::describe(&report));
    Ok(ExitCode::SUCCESS)
}

async fn daemon(path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let options = relanced::daemon::DaemonOptions::new(path.to_owned());
    let clock = std::sync::Arc::new(relanced::daemon::SystemClock);
    match relanced::daemon::run_daemon(options, clock).await {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e @ relanced::daemon::DaemonError::Config(_)) => {
            // Each problem names the file (or the template) already.
            eprintln!("relanced: {e}");
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

/// 0 when every action of the run succeeded, 3 when some failed (they are retried by the
/// next run and listed in the summary).
fn run_exit_code(outcome: &relanced::operate::RunOutcome) -> ExitCode {
    if outcome.report.failures.is_empty() && outcome.report.halted.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}
