//! `relanced check`: the configuration, the templates, the ledger and Odoo, every problem
//! listed; exit 0 only when all is well.

use super::Exit;
use relanced::app::App;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let config = app.config();
    let mut report = relanced::check::Report::default();
    let path = app.config_path().unwrap_or(std::path::Path::new(""));
    report.ok("config", format!("{} is valid", path.display()));
    for n in &config.notes {
        report.ok("config", n.clone());
    }
    for w in &config.warnings {
        report.warn("config", w.clone());
    }
    relanced::check::check_templates(config, &mut report);
    relanced::check::check_ledger(config, &mut report).await;
    let client = app.odoo()?;
    relanced::check::check_odoo(config, client, &mut report).await;
    match args.format {
        OutputFormat::Text => print!("{}", report.to_text()),
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(Exit::success_if(report.passed()))
}
