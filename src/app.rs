//! The application: what the CLI commands, the daemon and the demo share, opened once from
//! a loaded configuration. The Odoo client and the ledger are opened on first use (a
//! `preview` never opens the ledger, `runs` never reaches Odoo); the mail channel, the
//! templates, the outbox and the PDF pool are built per run from it, so that each run
//! starts with closed breakers, fresh templates and no idle WeasyPrint process.
//!
//! It owns connections and constructors; it must not decide who gets reminded nor carry
//! out a run (that is `operate`).

use crate::config::{Config, OdooConfig, Secret};
use crate::deliver::{ChannelError, Mailbox, Outbox};
use crate::execute::MailChannel;
use crate::ledger::{FollowupState, Ledger, LedgerError};
use crate::odoo::{Connection, OdooClient, OdooError};
use crate::render::{LazyPdf, PdfRenderer, RenderError, Templates};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// WeasyPrint workers for a run's letters.
const RUN_PDF_WORKERS: usize = 2;

/// Why the application could not open what a command needs.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("odoo.api_key was not resolved")]
    OdooKeyMissing,
    /// `[odoo]` cannot make a connection (e.g. `odoo.url` is not a URL).
    #[error(transparent)]
    Connection(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

/// The configuration and the connections made from it.
pub struct App {
    config: Arc<Config>,
    /// The file the configuration was read from, when there is one.
    path: Option<PathBuf>,
    odoo: OnceLock<Arc<OdooClient>>,
    ledger: tokio::sync::OnceCell<Ledger>,
}

impl App {
    /// Nothing is opened yet.
    pub fn new(config: Config) -> App {
        App::shared(Arc::new(config))
    }

    /// An application on a configuration shared with others (the daemon's reload).
    pub fn shared(config: Arc<Config>) -> App {
        App {
            config,
            path: None,
            odoo: OnceLock::new(),
            ledger: tokio::sync::OnceCell::new(),
        }
    }

    /// An application on the configuration read from `path`.
    pub fn loaded_from(config: Config, path: &Path) -> App {
        App {
            path: Some(path.to_owned()),
            ..App::new(config)
        }
    }

    /// The file the configuration was read from.
    pub fn config_path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Opens the Odoo client and the ledger now, in that order (the daemon's start-up).
    pub async fn open(config: Arc<Config>) -> Result<App, AppError> {
        let app = App::shared(config);
        app.odoo()?;
        app.ledger().await?;
        Ok(app)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn shared_config(&self) -> Arc<Config> {
        self.config.clone()
    }

    /// The Odoo client of `[odoo]`, made on first use (no request is sent yet).
    pub fn odoo(&self) -> Result<&OdooClient, AppError> {
        Ok(self.odoo_shared()?.as_ref())
    }

    /// The same client, to hand to a task.
    pub fn odoo_shared(&self) -> Result<&Arc<OdooClient>, AppError> {
        if let Some(client) = self.odoo.get() {
            return Ok(client);
        }
        let key = self
            .config
            .secrets
            .odoo_api_key
            .clone()
            .ok_or(AppError::OdooKeyMissing)?;
        let client = Arc::new(connect(&self.config.odoo, key)?);
        Ok(self.odoo.get_or_init(|| client))
    }

    /// The ledger of `[ledger]`, opened (and created) on first use.
    pub async fn ledger(&self) -> Result<&Ledger, LedgerError> {
        self.ledger
            .get_or_try_init(|| Ledger::open(&self.config.ledger.url))
            .await
    }

    /// The follow-up state, read without creating anything: a SQLite ledger that does not
    /// exist yet means "nothing sent so far" (`relanced plan` writes nothing).
    pub async fn followup_state_read_only(&self) -> Result<FollowupState, LedgerError> {
        if self.config.ledger.sqlite_not_created().is_some() {
            return Ok(FollowupState::default());
        }
        self.ledger().await?.followup_state(None).await
    }

    /// The personal paragraphs waiting in `company`, read without creating anything (a
    /// SQLite ledger that does not exist yet has none).
    pub async fn pending_paragraphs_read_only(
        &self,
        company: i64,
    ) -> Result<
        std::collections::BTreeMap<crate::followup::CustomerId, crate::ledger::Paragraph>,
        LedgerError,
    > {
        if self.config.ledger.sqlite_not_created().is_some() {
            return Ok(Default::default());
        }
        self.ledger()
            .await?
            .pending_paragraphs(company.into())
            .await
    }

    /// How this run's emails leave (a fresh SMTP transport, breaker closed).
    pub fn mail_channel(&self) -> Result<MailChannel, ChannelError> {
        crate::deliver::mail_channel(&self.config)
    }

    /// The sender of every email.
    pub fn from_mailbox(&self) -> Result<Mailbox, ChannelError> {
        crate::deliver::from_mailbox(&self.config)
    }

    /// The reply-to of every email, when configured.
    pub fn reply_to(&self) -> Option<Mailbox> {
        crate::deliver::reply_to_mailbox(&self.config)
    }

    /// The templates, read now (built-ins and the override directory).
    pub fn templates(&self) -> Result<Templates, RenderError> {
        self.config.render.templates()
    }

    /// Where documents and payloads are kept.
    pub fn outbox(&self) -> Outbox {
        Outbox::new(self.config.mail.outbox_dir.clone())
    }

    /// A WeasyPrint pool for a run's letters, started at the first letter.
    pub fn pdf_pool(&self) -> Arc<dyn PdfRenderer> {
        Arc::new(LazyPdf::new(RUN_PDF_WORKERS, "/"))
    }

    /// One WeasyPrint worker, for a single document (a preview, a resent email).
    pub fn pdf_single(&self) -> Arc<dyn PdfRenderer> {
        Arc::new(LazyPdf::new(1, "/"))
    }
}

/// An Odoo client for `odoo` with `key` (the daily bot's, or an administrator's for
/// `setup-odoo`).
pub fn connect(odoo: &OdooConfig, key: Secret) -> Result<OdooClient, AppError> {
    let conn = Connection::from_config(odoo, key)?;
    Ok(OdooClient::new(conn)?)
}
