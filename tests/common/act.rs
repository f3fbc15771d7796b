//! End-to-end helpers for the "Act" tests: a hand-built or generated book on the Odoo
//! double (running in the test process), aiosmtpd writing a Maildir, a configuration
//! file pointing at both, and `relanced once` run as a real child process. Also what
//! Odoo (the double's world) shows afterwards: marker tags, notes, attachments,
//! activities.

use super::smtp::Aiosmtpd;
use chrono::NaiveDate;
use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{SimHandle, World};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

mod book;
mod views;
pub use book::*;
pub use views::*;

pub use super::BIN;
pub const FROM: &str = "Compta <compta@relance-test.example>";
pub const FROM_DOMAIN: &str = "relance-test.example";
/// The company of hand-built books (generated: "Relance Démo SAS", FR, EUR).
pub const COMPANY: i64 = 1;
pub const COMPANY_NAME: &str = "Relance Démo SAS";
/// A salesperson of generated worlds (res.users id).
pub const SALESPERSON: i64 = 10;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// FOLLOWUP.md's strategy S: levels 1 (+3), 2 (+15), 3 (+30), min interval 7,
/// min amount 5; markers "Relance 1/2/3". Level 3 also asks the salesperson to call.
pub const STRATEGY_S: &str = r#"
[[strategy]]
name = "S"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7
catch_up = "step"

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 1", color = 10 }

[[strategy.level]]
key = "standard"
label = "Rappel standard"
offset_days = 15
actions = ["email", "letter"]
marker = { tag = "Relance 2", color = 3 }

[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 30
actions = ["email", "call"]
marker = { tag = "Relance 3", color = 2 }
responsible = "salesperson"
activity = { type = "mail.mail_activity_data_call", summary = "Appeler le client", deadline_days = 2 }
"#;

/// Where the SMTP configuration points.
pub enum Mail {
    Smtp(u16),
    Files,
    /// Emails leave through Odoo's own mail server (`message_post` to the contacts).
    Odoo,
}

/// A test installation: the double, a temporary directory with the configuration,
/// ledger and outbox.
pub struct Install {
    pub sim: SimHandle,
    pub dir: TempDir,
    pub config: PathBuf,
}

pub fn config_text(dir: &Path, url: &str, mail: &Mail, strategy: &str, extra: &str) -> String {
    let mail = match mail {
        Mail::Smtp(port) => format!(
            "transport = \"smtp\"\n\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\ntimeout_secs = 10\n"
        ),
        Mail::Files => "transport = \"files\"\n".to_owned(),
        Mail::Odoo => "transport = \"odoo\"\n".to_owned(),
    };
    format!(
        r#"
[odoo]
url = "{url}"
database = "{DEMO_DB}"
login = "{BOT_LOGIN}"
api_key = {{ env = "RELANCED_ACT_KEY" }}
protocol = "xmlrpc"
companies = [{COMPANY}]
attempts = 1
timeout_secs = 10

[ledger]
url = "sqlite://{ledger}"

[render]
default_lang = "fr"

[followup]
fallback_user = 2
{extra}

[mail]
from = "{FROM}"
outbox_dir = "{outbox}"
{mail}
{strategy}
"#,
        ledger = dir.join("ledger.db").display(),
        outbox = dir.join("outbox").display(),
    )
}

impl Install {
    pub async fn start(world: World, mail: Mail, strategy: &str) -> Install {
        Self::start_with(world, mail, strategy, "").await
    }

    pub async fn start_with(world: World, mail: Mail, strategy: &str, extra: &str) -> Install {
        let sim = super::start_double(world).await;
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("relanced.toml");
        std::fs::write(
            &config,
            config_text(dir.path(), &sim.url(), &mail, strategy, extra),
        )
        .expect("write config");
        Install { sim, dir, config }
    }

    pub fn command(&self, as_of: NaiveDate) -> tokio::process::Command {
        let mut cmd = self.command_text(as_of);
        cmd.arg("--json");
        cmd
    }

    /// `relanced once --as-of DATE` with the text summary.
    pub fn command_text(&self, as_of: NaiveDate) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.arg("--config")
            .arg(&self.config)
            .args(["once", "--as-of", &as_of.to_string()])
            .env("RELANCED_ACT_KEY", BOT_API_KEY)
            .env("RUST_LOG", "warn")
            .env_remove("RELANCED_CONFIG")
            .kill_on_drop(true)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    /// `relanced once --as-of DATE --json`: exit code and the report.
    pub async fn once(&self, as_of: NaiveDate) -> Once {
        let out = self
            .command(as_of)
            .output()
            .await
            .expect("run relanced once");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        // `once --json` prints {run_id, reconciled, report, odoo_calls, odoo_writes}.
        let json: serde_json::Value =
            serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
        let report = json
            .get("report")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        Once {
            code: out.status.code(),
            report,
            stdout,
            stderr,
        }
    }

    /// `relanced plan --as-of DATE --format json` (the dry run, through the binary).
    pub async fn plan_json(&self, as_of: NaiveDate) -> serde_json::Value {
        let out = tokio::process::Command::new(BIN)
            .arg("--config")
            .arg(&self.config)
            .args(["plan", "--as-of", &as_of.to_string(), "--format", "json"])
            .env("RELANCED_ACT_KEY", BOT_API_KEY)
            .env_remove("RELANCED_CONFIG")
            .output()
            .await
            .expect("run relanced plan");
        assert!(
            out.status.success(),
            "relanced plan failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("plan JSON")
    }

    /// Like [`Install::once`], failing the test unless the run succeeded with no failure.
    pub async fn once_ok(&self, as_of: NaiveDate) -> serde_json::Value {
        let run = self.once(as_of).await;
        assert_eq!(
            run.code,
            Some(0),
            "relanced once --as-of {as_of} failed:\nstdout: {}\nstderr: {}",
            run.stdout,
            run.stderr
        );
        run.report
    }

    /// The marker tag names a partner carries now.
    pub fn markers(&self, partner: i64) -> Vec<String> {
        self.sim.with_world(|w| markers_of(w, partner))
    }

    /// Chatter notes written by relanced on a partner (bodies).
    pub fn notes(&self, partner: i64) -> Vec<Note> {
        self.sim.with_world(|w| notes_of(w, partner))
    }

    /// Activities relanced created on a partner.
    pub fn activities(&self, partner: i64) -> Vec<Activity> {
        self.sim.with_world(|w| activities_of(w, partner))
    }

    /// Attachment names on a partner.
    pub fn attachments(&self, partner: i64) -> Vec<(i64, String)> {
        self.sim.with_world(|w| attachments_of(w, partner))
    }

    /// Emails posted through Odoo's mail server on a partner (`mail.transport = "odoo"`).
    pub fn emails_posted(&self, partner: i64) -> Vec<PostedEmail> {
        self.sim.with_world(|w| emails_posted_on(w, partner))
    }

    pub fn ledger_path(&self) -> PathBuf {
        self.dir.path().join("ledger.db")
    }
}

pub struct Once {
    pub code: Option<i32>,
    pub report: serde_json::Value,
    pub stdout: String,
    pub stderr: String,
}

impl Once {
    pub fn count(&self, field: &str) -> u64 {
        self.report[field].as_u64().unwrap_or(0)
    }
}

pub fn report_count(report: &serde_json::Value, field: &str) -> u64 {
    report[field].as_u64().unwrap_or(0)
}

/// The Message-ID relanced gives the email of one communication (computed here from
/// the action key, independently of the run).
pub fn expected_message_id(customer: i64, level_key: &str, as_of: NaiveDate) -> String {
    let key = relanced::ledger::ActionKey {
        company_id: COMPANY.into(),
        customer_id: customer.into(),
        level_key: level_key.to_owned(),
        occasion: relanced::ledger::Occasion::AsOf(as_of),
        kind: relanced::ledger::ActionKind::Email,
        part: None,
    };
    let from: relanced::deliver::Mailbox = FROM.parse().expect("from");
    relanced::deliver::message_id_for(&key.to_string(), &from)
}

/// Headers of the messages in the Maildir, read without a MIME library: `(message-id,
/// to)` per message (unfolded, as written).
pub fn received(smtp: &Aiosmtpd) -> Vec<BTreeMap<String, String>> {
    smtp.messages().iter().map(|m| headers(m)).collect()
}
