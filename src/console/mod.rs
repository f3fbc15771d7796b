//! The credit controller's console: server-rendered pages (tera, no script) on their own
//! listener (`[console] listen`, off unless `[console] enabled = true`), working on the
//! same library functions as the CLI (`manual`, `preview`, `operate::resend`, the
//! ledger). Who gets in is Odoo's decision (`auth`); sessions are signed cookies
//! (`session`), every form carries a CSRF token (`csrf`), failed logins are slowed down
//! (`throttle`), every action is audited in the ledger; words in fr/nl/en (`i18n`).
//!
//! Handlers (`pages/*`) only parse, call the library and render: no follow-up logic here.

pub mod auth;
pub mod csrf;
pub mod i18n;
mod pages;
pub mod progress;
pub mod session;
pub mod templates;
pub mod throttle;
mod web;
pub mod words;

use crate::app::App;
use crate::daemon::state::DaemonState;
use crate::daemon::{Clock, SystemClock};
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;

/// Everything the pages share.
pub struct Console {
    app: RwLock<Arc<App>>,
    /// The daemon's state, when served by the daemon (next run, its run in progress).
    daemon: Option<Arc<DaemonState>>,
    clock: Arc<dyn Clock>,
    keys: session::Keys,
    throttle: throttle::Throttle,
    views: templates::Views,
    /// For the users' `authenticate` calls.
    http: reqwest::Client,
    /// The run the console started, while it runs.
    progress: Arc<progress::Progress>,
}

/// Why the console cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("cannot make a random session key: {0}")]
    Random(std::io::Error),
    #[error("the console's templates do not load: {0}")]
    Templates(String),
    #[error("cannot build an HTTP client for Odoo logins: {0}")]
    Http(reqwest::Error),
    #[error("cannot listen on {listen} (console.listen): {source}")]
    Listen {
        listen: String,
        source: std::io::Error,
    },
}

impl Console {
    /// A console on `app` (its `[console]` settings), with the daemon's state when the
    /// daemon serves it, reading "today" from `clock`.
    pub fn new(
        app: Arc<App>,
        daemon: Option<Arc<DaemonState>>,
        clock: Arc<dyn Clock>,
    ) -> Result<Console, ConsoleError> {
        let keys = match &app.config().secrets.console_session_secret {
            Some(secret) => session::Keys::new(secret.expose().as_bytes()),
            None => {
                tracing::info!(
                    "console.session_secret is not set: sessions are signed with a random key and end when relanced restarts"
                );
                session::Keys::random().map_err(ConsoleError::Random)?
            }
        };
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(
                app.config().odoo.timeout_secs,
            ))
            .build()
            .map_err(ConsoleError::Http)?;
        Ok(Console {
            app: RwLock::new(app),
            daemon,
            clock,
            keys,
            throttle: throttle::Throttle::default(),
            views: templates::Views::new().map_err(ConsoleError::Templates)?,
            http,
            progress: Arc::default(),
        })
    }

    /// A console for a command (no daemon), on the system clock.
    pub fn standalone(app: Arc<App>) -> Result<Console, ConsoleError> {
        Console::new(app, None, Arc::new(SystemClock))
    }

    /// The application in use (replaced when the daemon reloads its configuration).
    pub fn app(&self) -> Arc<App> {
        self.app.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// After a reload: the pages use `app` from now on.
    pub fn replace_app(&self, app: Arc<App>) {
        *self.app.write().unwrap_or_else(|e| e.into_inner()) = app;
    }
}

/// Binds `console.listen`.
pub async fn bind(listen: &str) -> Result<tokio::net::TcpListener, ConsoleError> {
    tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|source| ConsoleError::Listen {
            listen: listen.to_owned(),
            source,
        })
}

/// Serves the console on `listener` until `shutdown` is cancelled.
pub async fn serve(
    listener: tokio::net::TcpListener,
    console: Arc<Console>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let app = pages::router(console).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}
