//! `relanced preview`: what a customer would receive, rendered from live data, to
//! standard output or a file. Never opens the ledger.

use super::{Exit, today};
use anyhow::Context as _;
use relanced::app::App;
use relanced::followup::CustomerId;
use relanced::preview::{PreviewFormat, PreviewRequest};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    customer: CustomerId,
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
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PreviewFormatArg {
    Html,
    Txt,
    Eml,
    Pdf,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    use std::io::Write as _;
    let format = match args.format {
        PreviewFormatArg::Html => PreviewFormat::Html,
        PreviewFormatArg::Txt => PreviewFormat::Txt,
        PreviewFormatArg::Eml => PreviewFormat::Eml,
        PreviewFormatArg::Pdf => PreviewFormat::Pdf,
    };
    let request = PreviewRequest {
        customer: args.customer,
        level: args.level,
        lang: args.lang,
        format,
        as_of: args.as_of.unwrap_or_else(today),
    };
    app.odoo()?;
    let pdf = app.pdf_single();
    let bytes = relanced::preview::preview(app, pdf.as_ref(), &request).await?;
    match args.out {
        Some(path) => std::fs::write(&path, &bytes)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(Exit::Success)
}
