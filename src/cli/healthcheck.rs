//! `relanced healthcheck`: asks a running daemon's `/readyz`; exit 0 when ready.

use super::{Exit, load_config};
use std::path::Path;

pub const LONG_ABOUT: &str = "Ask a running daemon whether it is ready: GET /readyz on the \
        health listener ([http] listen of the configuration, or --url). Exit 0 when \
        ready, 1 otherwise, with the reasons on stderr. For tests, container health \
        checks and monitoring.";

#[derive(clap::Args)]
pub struct Args {
    /// The readiness URL (default: http://<[http] listen>/readyz from the configuration).
    #[arg(long)]
    url: Option<String>,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 5)]
    timeout: u64,
}

pub async fn run(args: Args, path: &Path) -> anyhow::Result<Exit> {
    let url = match args.url {
        Some(u) => u,
        None => match load_config(path) {
            Ok(c) => format!("http://{}/readyz", c.http.listen),
            Err(exit) => return Ok(exit),
        },
    };
    let timeout = std::time::Duration::from_secs(args.timeout);
    match relanced::daemon::http::healthcheck(&url, timeout).await {
        Ok(body) => {
            print!("{body}");
            Ok(Exit::Success)
        }
        Err(why) => {
            eprintln!("relanced: {why}");
            Ok(Exit::Failure)
        }
    }
}
