//! Start-up pieces of the daemon: building the current configuration's Odoo client,
//! ledger and schedule (`prepare`, also used on reload), what `/readyz` probes, the Odoo
//! reachability probe, and the last successful run from the ledger.
//!
//! It holds no loop and sends nothing to systemd: that is `run`.

use super::http::Targets;
use super::reload::Loaded;
use super::schedule::Schedule;
use super::state::DaemonState;
use crate::config::{Config, MailTransportKind};
use crate::ledger::{Ledger, RunStatus};
use crate::odoo::{Connection, OdooApi, OdooClient};
use chrono::{DateTime, Utc};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The loop's current configuration and connections (replaced on reload).
pub struct Current {
    pub config: Arc<Config>,
    pub client: Arc<OdooClient>,
    pub ledger: Ledger,
    pub schedule: Schedule,
}

fn client_for(config: &Config) -> Result<OdooClient, String> {
    let key = config
        .secrets
        .odoo_api_key
        .clone()
        .ok_or("odoo.api_key was not resolved")?;
    let conn = Connection::from_config(&config.odoo, key).map_err(|e| e.to_string())?;
    OdooClient::new(conn).map_err(|e| e.to_string())
}

pub async fn prepare(loaded: Loaded) -> Result<Current, String> {
    let config = loaded.config;
    let schedule = Schedule::from_config(&config.schedule).map_err(|e| e.to_string())?;
    let client = client_for(&config)?;
    let ledger = crate::operate::open_ledger(&config)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Current {
        config: Arc::new(config),
        client: Arc::new(client),
        ledger,
        schedule,
    })
}

pub fn targets(c: &Current) -> Targets {
    let ledger_file = c
        .config
        .ledger
        .url
        .strip_prefix("sqlite://")
        .map(|p| PathBuf::from(p.split('?').next().unwrap_or(p)));
    let smtp = match (&c.config.mail.transport, &c.config.mail.smtp) {
        (MailTransportKind::Smtp, Some(s)) => Some(format!("{}:{}", s.host, s.port)),
        _ => None,
    };
    Targets {
        ledger: c.ledger.clone(),
        ledger_file,
        smtp,
    }
}

/// Asks Odoo for its version; records the duration, the success or the error kind.
pub async fn probe(client: &OdooClient, state: &DaemonState) -> Result<(), String> {
    let t0 = Instant::now();
    let answer = tokio::time::timeout(Duration::from_secs(20), client.version()).await;
    state.with_metrics(|m| m.observe_odoo_call(t0.elapsed()));
    match answer {
        Ok(Ok(_)) => {
            state.odoo_reached();
            Ok(())
        }
        Ok(Err(e)) => {
            state.with_metrics(|m| *m.odoo_errors.entry(e.kind.label().into()).or_default() += 1);
            Err(e.to_string())
        }
        Err(_) => {
            state.with_metrics(|m| *m.odoo_errors.entry("timeout".into()).or_default() += 1);
            Err("Odoo did not answer within 20 s".into())
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
