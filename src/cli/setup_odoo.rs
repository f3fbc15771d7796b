//! `relanced setup-odoo`: with an administrator's key, creates what the daily runs rely on
//! in Odoo (idempotent) and says what was found and done.

use super::Exit;
use anyhow::Context as _;
use relanced::app::App;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Administrator login (default: odoo.login of the configuration).
    #[arg(long)]
    login: Option<String>,
    /// File holding the administrator's API key or password.
    #[arg(long, env = "RELANCED_SETUP_KEY_FILE")]
    key_file: PathBuf,
}

pub async fn run(args: Args, app: &App) -> anyhow::Result<Exit> {
    let key = std::fs::read_to_string(&args.key_file)
        .with_context(|| format!("cannot read {}", args.key_file.display()))?;
    let mut config = app.config().clone();
    if let Some(login) = args.login {
        config.odoo.login = login;
    }
    let key = relanced::config::Secret::new(key.trim_end());
    let client = relanced::app::connect(&config.odoo, key)?;
    let report = relanced::setup::setup_odoo(&config, &client).await?;
    print!("{}", relanced::setup::describe(&report));
    Ok(Exit::Success)
}
