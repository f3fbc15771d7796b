//! Configuration: the schema (serde, `deny_unknown_fields`), loading from a TOML file with
//! environment overrides (`RELANCED__ODOO__URL=…`), secrets, and validation that names the
//! exact key path of every problem (`odoo.url: not a URL: "htp:/x"`).
//!
//! This module reads files and the environment given to it; it never talks to Odoo.

pub mod console;
pub mod error;
mod load;
pub mod secret;
pub mod strategy;
mod validate;

pub use console::ConsoleConfig;
pub use error::ConfigError;
pub use load::{LoadOptions, load, load_str};
pub use secret::{Secret, SecretSource};

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The whole configuration, as validated. Secrets are resolved into [`Secrets`].
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub odoo: OdooConfig,
    #[serde(default)]
    pub ledger: LedgerConfig,
    #[serde(default)]
    pub mail: MailConfig,
    #[serde(default)]
    pub schedule: ScheduleConfig,
    #[serde(default)]
    pub render: RenderConfig,
    #[serde(default)]
    pub http: HttpConfig,
    /// The credit controller's web console.
    #[serde(default)]
    pub console: ConsoleConfig,
    #[serde(default)]
    pub followup: FollowupConfig,
    /// What letters and emails show of the company besides what Odoo knows.
    #[serde(default)]
    pub letterhead: LetterheadConfig,
    /// `[[strategy]]` sections; none = the built-in default strategy
    /// (`config/default-strategy.toml`).
    #[serde(default, rename = "strategy")]
    pub strategies: Vec<strategy::StrategyConfig>,
    /// Central bank reference rates for statutory interest.
    #[serde(default)]
    pub interest_reference_rate: Vec<strategy::ReferenceRateConfig>,
    /// Filled by [`load`]: the validated strategies, as the engine reads them.
    #[serde(skip)]
    pub strategy_set: crate::followup::StrategySet,
    /// Filled by [`load`]: the secrets, read from where the configuration says.
    #[serde(skip)]
    pub secrets: Secrets,
    /// Filled by [`load`]: things that work but deserve attention (inline secrets…).
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// Filled by [`load`]: where things were found when it is worth saying (a credential
    /// read outside systemd from the directory the unit loads it from).
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Config {
    /// The template names of every configured level, sorted, each once.
    pub fn template_names(&self) -> Vec<&str> {
        let names: std::collections::BTreeSet<&str> = self
            .strategy_set
            .strategies
            .iter()
            .flat_map(|s| s.levels.iter())
            .map(|l| l.template.as_str())
            .collect();
        names.into_iter().collect()
    }
}

/// Secrets resolved at load time. `Debug` is redacted by [`Secret`].
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    pub odoo_api_key: Option<Secret>,
    pub smtp_password: Option<Secret>,
    /// `console.session_secret`, when configured.
    pub console_session_secret: Option<Secret>,
}

/// How to reach Odoo.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OdooConfig {
    /// Base URL of the Odoo server, e.g. `https://erp.example.com`.
    pub url: String,
    /// Database name.
    pub database: String,
    /// Login of the bot user (XML-RPC authentication).
    pub login: String,
    /// API key (or password) of the bot user.
    pub api_key: SecretSource,
    #[serde(default)]
    pub protocol: Protocol,
    /// Companies to follow up; empty = every company the user may access.
    #[serde(default)]
    pub companies: Vec<i64>,
    /// Timeout of one call, in seconds.
    #[serde(default = "defaults::odoo_timeout")]
    pub timeout_secs: u64,
    /// Attempts for calls that failed transiently (reads only; writes are checked first).
    #[serde(default = "defaults::odoo_attempts")]
    pub attempts: u32,
    /// At most this many calls in flight at once; also how many customers of a batch are
    /// worked through at once (emails, letters, ledger).
    #[serde(default = "defaults::odoo_concurrency")]
    pub max_concurrency: usize,
    /// Records per page when reading (`search_read` paged by id).
    #[serde(default = "defaults::odoo_page_size")]
    pub page_size: usize,
}

/// Which API to speak to Odoo.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    /// JSON-2 when the server is Odoo ≥ 19, XML-RPC otherwise.
    #[default]
    Auto,
    Xmlrpc,
    Json2,
}

/// Where the ledger lives.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerConfig {
    /// `sqlite:///var/lib/relanced/ledger.db` or `postgres://user@host/db`.
    #[serde(default = "defaults::ledger_url")]
    pub url: String,
}

impl Default for LedgerConfig {
    fn default() -> Self {
        Self {
            url: defaults::ledger_url(),
        }
    }
}

/// How emails leave.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    #[serde(default)]
    pub transport: MailTransportKind,
    /// The sender, e.g. `Comptabilité <compta@example.com>`.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Where `.eml` files and letters are kept (0700).
    #[serde(default = "defaults::outbox_dir")]
    pub outbox_dir: PathBuf,
    #[serde(default)]
    pub smtp: Option<SmtpConfig>,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            transport: MailTransportKind::default(),
            from: None,
            reply_to: None,
            outbox_dir: defaults::outbox_dir(),
            smtp: None,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// Through an SMTP server (lettre).
    Smtp,
    /// Through Odoo's own mail server (`message_post` to the contact).
    Odoo,
    /// Written to the outbox only, nothing sent.
    #[default]
    Files,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "defaults::smtp_port")]
    pub port: u16,
    #[serde(default)]
    pub tls: SmtpTls,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<SecretSource>,
    /// Extra CA certificate (PEM) to trust, for a private mail relay.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    #[serde(default = "defaults::smtp_timeout")]
    pub timeout_secs: u64,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    None,
    #[default]
    Starttls,
    Tls,
}

/// When the daemon runs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    /// Local time of the daily run, `HH:MM`.
    #[serde(default = "defaults::schedule_at")]
    pub at: String,
    /// IANA time zone of `at`, e.g. `Europe/Paris`.
    #[serde(default = "defaults::timezone")]
    pub timezone: String,
    /// Skip Saturdays, Sundays and `holidays`.
    #[serde(default = "defaults::yes")]
    pub business_days_only: bool,
    /// Days without runs, `YYYY-MM-DD`.
    #[serde(default)]
    pub holidays: Vec<String>,
    /// Instead of a daily time: run every so many minutes.
    #[serde(default)]
    pub interval_minutes: Option<u64>,
}

impl Default for ScheduleConfig {
    fn default() -> Self {
        Self {
            at: defaults::schedule_at(),
            timezone: defaults::timezone(),
            business_days_only: true,
            holidays: Vec::new(),
            interval_minutes: None,
        }
    }
}

/// Templates and documents.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderConfig {
    /// A folder whose files override the built-in templates, file by file.
    #[serde(default)]
    pub templates_dir: Option<PathBuf>,
    /// Language used when a customer's has no template (before falling back to `en`);
    /// also the company's language, in which chatter notes and activities are written.
    #[serde(default)]
    pub default_lang: Option<String>,
}

/// Letterhead: logo and bank accounts for payment instructions.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LetterheadConfig {
    /// A PNG or SVG file shown at the top of letters.
    #[serde(default)]
    pub logo: Option<PathBuf>,
    /// Accounts customers pay into, shown in every reminder.
    #[serde(default)]
    pub bank_accounts: Vec<BankAccountConfig>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccountConfig {
    #[serde(default)]
    pub bank: Option<String>,
    pub iban: String,
    #[serde(default)]
    pub bic: Option<String>,
}

impl RenderConfig {
    /// The language used when a customer's has no template (`render.default_lang`,
    /// French when unset), before the renderer's own fallback to English.
    pub fn language(&self) -> &str {
        self.default_lang.as_deref().unwrap_or("fr")
    }

    /// The templates: built-ins, overridden file by file by `render.templates_dir`.
    pub fn templates(&self) -> Result<crate::render::Templates, crate::render::RenderError> {
        crate::render::Templates::new(self.templates_dir.clone(), self.language())
    }
}

impl LedgerConfig {
    /// The path of a SQLite ledger that does not exist yet (nothing was ever sent): read-only
    /// commands must not create it.
    pub fn sqlite_not_created(&self) -> Option<&str> {
        self.url
            .strip_prefix("sqlite://")
            .filter(|path| !std::path::Path::new(path).exists())
    }
}

/// The health and metrics listener.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    #[serde(default = "defaults::yes")]
    pub enabled: bool,
    #[serde(default = "defaults::http_listen")]
    pub listen: String,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: defaults::http_listen(),
        }
    }
}

/// `[followup]`: follow-up conventions in Odoo, shared by every strategy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowupConfig {
    /// Partner tag that excludes a customer from any follow-up.
    #[serde(default = "defaults::exclusion_tag")]
    pub exclusion_tag: String,
    /// Name of the activity type that postpones an invoice or a customer.
    #[serde(default = "defaults::postponement_type")]
    pub postponement_activity_type: String,
    /// Items of invoices whose `payment_state` is `blocked` are not chased.
    #[serde(default = "defaults::yes")]
    pub skip_blocked_invoices: bool,
    /// User (id) who gets call activities when a customer has no salesperson.
    #[serde(default)]
    pub fallback_user: Option<i64>,
}

/// The default strategy shipped with relanced, used when no `[[strategy]]` is configured.
pub const DEFAULT_STRATEGY: &str = include_str!("../../config/default-strategy.toml");

impl Default for FollowupConfig {
    fn default() -> Self {
        Self {
            exclusion_tag: defaults::exclusion_tag(),
            postponement_activity_type: defaults::postponement_type(),
            skip_blocked_invoices: true,
            fallback_user: None,
        }
    }
}

mod defaults {
    use std::path::PathBuf;
    pub fn odoo_timeout() -> u64 {
        60
    }
    pub fn odoo_attempts() -> u32 {
        3
    }
    pub fn odoo_concurrency() -> usize {
        4
    }
    pub fn odoo_page_size() -> usize {
        2000
    }
    pub fn ledger_url() -> String {
        "sqlite:///var/lib/relanced/ledger.db".into()
    }
    pub fn outbox_dir() -> PathBuf {
        PathBuf::from("/var/lib/relanced/outbox")
    }
    pub fn smtp_port() -> u16 {
        587
    }
    pub fn smtp_timeout() -> u64 {
        30
    }
    pub fn schedule_at() -> String {
        "07:30".into()
    }
    pub fn timezone() -> String {
        "Europe/Paris".into()
    }
    pub fn yes() -> bool {
        true
    }
    pub fn http_listen() -> String {
        "127.0.0.1:9187".into()
    }
    pub fn exclusion_tag() -> String {
        "Relance : exclu".into()
    }
    pub fn postponement_type() -> String {
        "Relance : report".into()
    }
}

#[cfg(test)]
mod tests;
