//! `relanced run`: the daemon, until stopped; an invalid configuration exits 2.

use super::Exit;
use std::path::Path;

pub const LONG_ABOUT: &str = "The daemon: run on the configured schedule until stopped.\n\n\
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
        (Prometheus).";

pub async fn run(path: &Path) -> anyhow::Result<Exit> {
    let options = relanced::daemon::DaemonOptions::new(path.to_owned());
    let clock = std::sync::Arc::new(relanced::daemon::SystemClock);
    match relanced::daemon::run_daemon(options, clock).await {
        Ok(()) => Ok(Exit::Success),
        Err(e @ relanced::daemon::DaemonError::Config(_)) => {
            // Each problem names the file (or the template) already.
            eprintln!("relanced: {e}");
            Ok(Exit::Config)
        }
        Err(e) => Err(e.into()),
    }
}
