//! Start-up pieces of the daemon: opening the current configuration's application (Odoo
//! client, ledger) and schedule (`prepare`, also used on reload), what `/readyz` probes, the Odoo
//! reachability probe, and the last successful run from the ledger.
//!
//! It holds no loop and sends nothing to systemd: that is `run`.

use super::http::Targets;
use super::reload::Loaded;
use super::schedule::Schedule;
use super::state::DaemonState;
use crate::app::{App, AppError};
use crate::config::{Config, ConfigError, MailTransportKind};
use crate::ledger::{Ledger, RunStatus};
use crate::odoo::{OdooApi, OdooClient};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The loop's current application and schedule (replaced on reload).
pub struct Current {
    pub app: Arc<App>,
    /// The app's Odoo client and ledger, opened by `prepare`.
    pub client: Arc<OdooClient>,
    pub ledger: Ledger,
    pub schedule: Schedule,
}

impl Current {
    pub fn config(&self) -> &Config {
        self.app.config()
    }
}

/// Why a valid configuration cannot be put to work.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Schedule(#[from] ConfigError),
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
}

/// Opens the Odoo client and the ledger of `loaded` and reads its schedule.
pub async fn prepare(loaded: Loaded) -> Result<Current, PrepareError> {
    let config = loaded.config;
    let schedule = Schedule::from_config(&config.schedule)?;
    let app = App::shared(Arc::new(config));
    let client = app.odoo_shared()?.clone();
    let ledger = app.ledger().await?.clone();
    Ok(Current {
        app: Arc::new(app),
        client,
        ledger,
        schedule,
    })
}

pub fn targets(c: &Current) -> Targets {
    let ledger_file = c
        .config()
        .ledger
        .url
        .strip_prefix("sqlite://")
        .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)));
    let smtp = match (&c.config().mail.transport, &c.config().mail.smtp) {
        (MailTransportKind::Smtp, Some(s)) => Some(format!("{}:{}", s.host, s.port)),
        _ => None,
    };
    Targets {
        ledger: c.ledger.clone(),
        ledger_file,
        smtp,
    }
}

/// Why Odoo is deemed unreachable.
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Odoo(#[from] crate::odoo::OdooError),
    #[error("Odoo did not answer within {} s", PROBE_TIMEOUT.as_secs())]
    Timeout,
}

/// How long a probe waits for Odoo's version.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// Asks Odoo for its version; records the duration, the success or the error kind.
pub async fn probe(client: &OdooClient, state: &DaemonState) -> Result<(), ProbeError> {
    let t0 = Instant::now();
    let answer = tokio::time::timeout(PROBE_TIMEOUT, client.version()).await;
    state.with_metrics(|m| m.observe_odoo_call(t0.elapsed()));
    match answer {
        Ok(Ok(_)) => {
            state.odoo_reached();
            Ok(())
        }
        Ok(Err(e)) => {
            state.with_metrics(|m| *m.odoo_errors.entry(e.kind.label().into()).or_default() += 1);
            Err(e.into())
        }
        Err(_) => {
            state.with_metrics(|m| *m.odoo_errors.entry("timeout".into()).or_default() += 1);
            Err(ProbeError::Timeout)
        }
    }
}

/// The start of the last successful run recorded in the ledger.
pub async fn last_success(
    ledger: &Ledger,
) -> Result<Option<DateTime<Utc>>, crate::ledger::LedgerError> {
    Ok(ledger
        .list_runs(500)
        .await?
        .into_iter()
        .find(|r| r.status == RunStatus::Done)
        .map(|r| r.started_at))
}
