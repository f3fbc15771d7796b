//! `relanced resolve ACTION`: a person settles an uncertain email: it was sent, or it is
//! sent again now from its recorded payload.

use super::Exit;
use relanced::app::App;
use relanced::ledger::{ActionId, Resolution};

#[derive(clap::Args)]
pub struct Args {
    action: i64,
    #[arg(long, conflicts_with = "resend", required_unless_present = "resend")]
    sent: bool,
    #[arg(long)]
    resend: bool,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let ledger = app.ledger().await?;
    let action = args.action;
    let id = ActionId(action);
    if args.sent {
        ledger.resolve(id, Resolution::Sent).await?;
        println!("action {action}: recorded as sent");
        return Ok(Exit::Success);
    }
    app.odoo()?;
    let outcome = relanced::operate::resend(app, app.pdf_single(), id).await?;
    println!("action {action}: {outcome:?}");
    Ok(Exit::Success)
}
