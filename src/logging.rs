//! Logging set-up: human lines on a terminal, JSON with `--log-format json`, and the
//! systemd journal when `JOURNAL_STREAM` says stderr is connected to it. Logs go to
//! stderr; stdout is for command output.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Journald when run by systemd, human text otherwise.
    Auto,
    Human,
    Json,
    Journald,
}

/// Installs the global subscriber. `RUST_LOG` overrides the default level (`info`).
pub fn init(format: LogFormat, verbose: bool) {
    let default = if verbose {
        "relanced=debug,info"
    } else {
        "info"
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let format = match format {
        LogFormat::Auto if std::env::var_os("JOURNAL_STREAM").is_some() => LogFormat::Journald,
        LogFormat::Auto => LogFormat::Human,
        f => f,
    };
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Json => {
            let _ = registry
                .with(
                    tracing_subscriber::fmt::layer()
                        .json()
                        .with_writer(std::io::stderr),
                )
                .try_init();
        }
        LogFormat::Journald => match tracing_journald::layer() {
            Ok(layer) => {
                let _ = registry.with(layer).try_init();
            }
            Err(_) => {
                let _ = registry
                    .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
                    .try_init();
            }
        },
        _ => {
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_target(false);
            let _ = registry.with(layer).try_init();
        }
    }
}
