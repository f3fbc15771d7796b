//! The health and metrics listener (`[http] listen`, loopback by default): `/healthz`
//! (the scheduling loop ticked recently), `/readyz` (the ledger answers and is writable,
//! Odoo answered recently, the SMTP server accepts connections when mail goes by SMTP)
//! and `/metrics` (Prometheus text). Also the client side of `relanced healthcheck`.
//!
//! It only reads the daemon's state and probes; it never starts a run.

use super::state::DaemonState;
use crate::ledger::Ledger;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// What `/readyz` probes; replaced when the configuration is reloaded.
#[derive(Debug, Clone)]
pub struct Targets {
    pub ledger: Ledger,
    /// The SQLite file, checked for write permission.
    pub ledger_file: Option<PathBuf>,
    /// `host:port` of the SMTP server when mail goes by SMTP.
    pub smtp: Option<String>,
}

/// Shared with the handlers.
#[derive(Debug, Clone)]
pub struct HttpState {
    pub daemon: Arc<DaemonState>,
    pub targets: Arc<Mutex<Option<Targets>>>,
    /// `/healthz` fails when the loop has not ticked for this long.
    pub liveness: Duration,
    /// `/readyz` fails when Odoo has not answered for this long.
    pub odoo_fresh: Duration,
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

/// Serves until `shutdown` is cancelled.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: HttpState,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}

async fn healthz(State(s): State<HttpState>) -> impl IntoResponse {
    let since = s.daemon.since_tick();
    if since <= s.liveness {
        (StatusCode::OK, format!("ok: {}\n", s.daemon.status()))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the scheduling loop last ticked {}s ago (limit {}s)\n",
                since.as_secs(),
                s.liveness.as_secs()
            ),
        )
    }
}

/// Every readiness problem, empty when ready.
async fn readiness_problems(s: &HttpState) -> Vec<String> {
    let mut problems = Vec::new();
    let targets = s.targets.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let Some(t) = targets else {
        return vec!["still starting".into()];
    };
    match tokio::time::timeout(Duration::from_secs(5), t.ledger.list_runs(1)).await {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => problems.push(format!("ledger {}: {e}", t.ledger.target())),
        Err(_) => problems.push(format!("ledger {}: no answer in 5 s", t.ledger.target())),
    }
    if let Some(file) = &t.ledger_file
        && let Err(e) = std::fs::OpenOptions::new().append(true).open(file)
    {
        problems.push(format!("ledger {} is not writable: {e}", file.display()));
    }
    match s.daemon.since_odoo() {
        None => problems.push("Odoo was never reached".into()),
        Some(d) if d > s.odoo_fresh => problems.push(format!(
            "Odoo last answered {}s ago (limit {}s)",
            d.as_secs(),
            s.odoo_fresh.as_secs()
        )),
        Some(_) => {}
    }
    if let Some(addr) = &t.smtp {
        let connect = tokio::net::TcpStream::connect(addr.as_str());
        match tokio::time::timeout(Duration::from_secs(5), connect).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => problems.push(format!("SMTP server {addr}: {e}")),
            Err(_) => problems.push(format!("SMTP server {addr}: no answer in 5 s")),
        }
    }
    problems
}

async fn readyz(State(s): State<HttpState>) -> impl IntoResponse {
    let problems = readiness_problems(&s).await;
    if problems.is_empty() {
        (StatusCode::OK, format!("ready: {}\n", s.daemon.status()))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready:\n  {}\n", problems.join("\n  ")),
        )
    }
}

async fn metrics(State(s): State<HttpState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        s.daemon.render_metrics(),
    )
}

/// `relanced healthcheck`: GETs `url`; `Ok(body)` on 200, `Err(why)` otherwise.
pub async fn healthcheck(url: &str, timeout: Duration) -> Result<String, String> {
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    let answer = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("{url}: {e} (is `relanced run` running with [http] enabled?)"))?;
    let status = answer.status();
    let body = answer.text().await.unwrap_or_default();
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!("{url}: HTTP {status}\n{body}"))
    }
}
