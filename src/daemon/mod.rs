//! The daemon (`relanced run`): when to run (`schedule`), the loop that runs on time
//! under the ledger's run lock (`run`, one attempt in `attempt`), systemd notify and
//! watchdog (`notify`), reloading on SIGHUP (`reload`), and health and metrics over HTTP
//! (`http`, from the shared `state` and its `metrics`). It never decides who gets reminded.

pub mod attempt;
pub mod http;
pub mod metrics;
pub mod notify;
pub mod reload;
pub mod run;
pub mod schedule;
pub mod setup;
pub mod state;

pub use run::{Clock, DaemonError, DaemonOptions, SystemClock, run_daemon};
