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
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
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
