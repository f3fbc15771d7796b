//! `relanced note-paragraph --customer ID (--text TEXT | --file FILE | --clear)`: the
//! personal paragraph of the customer's next reminder (`desk::paragraph`); without an
//! option, shows the pending one.

use super::{Exit, company_of};
use relanced::app::App;
use relanced::desk::Actor;
use relanced::desk::paragraph::{clear_paragraph, pending_paragraph, set_paragraph};
use relanced::followup::CustomerId;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    customer: CustomerId,
    /// The paragraph (plain text; newlines kept).
    #[arg(long, conflicts_with_all = ["file", "clear"])]
    text: Option<String>,
    /// Read the paragraph from this file (`-`: standard input).
    #[arg(long, conflicts_with = "clear")]
    file: Option<std::path::PathBuf>,
    /// Remove the pending paragraph.
    #[arg(long)]
    clear: bool,
    /// The company (default: the only followed one).
    #[arg(long)]
    company: Option<i64>,
    /// Who writes it (default: the OS user).
    #[arg(long)]
    by: Option<String>,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let company = company_of(app, args.company).await?;
    let by = Actor::command_line(args.by.as_deref());
    let text = match (&args.text, &args.file) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(path)) if path.as_os_str() == "-" => {
            Some(std::io::read_to_string(std::io::stdin())?)
        }
        (None, Some(path)) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?,
        ),
        (None, None) => None,
    };
    if let Some(text) = text {
        let p = set_paragraph(app, company, args.customer, &text, &by).await?;
        println!(
            "paragraph {} set for the next reminder of customer {} ({} characters)",
            p.id,
            p.customer_id,
            p.text.chars().count()
        );
    } else if args.clear {
        match clear_paragraph(app, company, args.customer, &by).await? {
            Some(p) => println!("paragraph {} cleared", p.id),
            None => println!("customer {} had no pending paragraph", args.customer),
        }
    } else {
        match pending_paragraph(app, company, args.customer).await? {
            Some(p) => println!(
                "paragraph {} by {} ({}), for the next reminder:\n{}",
                p.id, p.set_by_name, p.set_at, p.text
            ),
            None => println!("customer {} has no pending paragraph", args.customer),
        }
    }
    Ok(Exit::Success)
}
