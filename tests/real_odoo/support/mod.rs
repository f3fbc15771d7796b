//! Real Odoo servers for the tests (`../shared/odoo-real/`): one Odoo 18.0 and one 19.0
//! per test binary, started on first use and torn down when the binary exits; one
//! database per test, copied in a second from a template database built once by a
//! Python script run inside Odoo (`odoo-shell`, see `prelude.py`); an administrator's
//! reader that goes through Odoo's `/jsonrpc` endpoint (neither relanced's codec nor its
//! client), and `relanced` run as a child process against a test's database.
//!
//! A server that cannot start fails the test with the kit's own words: these tests are
//! never skipped.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_relanced");
const PRELUDE: &str = include_str!("prelude.py");

/// The `shared/` folder: `RELANCED_SHARED`, else `../shared` beside the clone.
pub fn shared() -> PathBuf {
    std::env::var_os("RELANCED_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
}

fn kit(tool: &str) -> PathBuf {
    let path = shared().join("odoo-real").join(tool);
    assert!(
        path.exists(),
        "the real-Odoo kit is missing: {} (set RELANCED_SHARED to the shared/ folder)",
        path.display()
    );
    path
}

/// An Odoo version and the protocol relanced speaks to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub version: &'static str,
    /// `"xmlrpc"` or `"json2"`, as in `odoo.protocol`.
    pub protocol: &'static str,
}

pub const ODOO18_XMLRPC: Target = Target {
    version: "18.0",
    protocol: "xmlrpc",
};
pub const ODOO19_XMLRPC: Target = Target {
    version: "19.0",
    protocol: "xmlrpc",
};
pub const ODOO19_JSON2: Target = Target {
    version: "19.0",
    protocol: "json2",
};
pub const TARGETS: [Target; 3] = [ODOO18_XMLRPC, ODOO19_XMLRPC, ODOO19_JSON2];

impl Target {
    pub fn server(self) -> &'static Server {
        server(self.version)
    }

    pub fn major(self) -> u32 {
        if self.version.starts_with("18") {
            18
        } else {
            19
        }
    }
}

/// One test per target: `on_each_target!(name);` makes `mod name { odoo18_xmlrpc,
/// odoo19_xmlrpc, odoo19_json2 }`, each calling `name(target).await`.
#[macro_export]
macro_rules! on_each_target {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn odoo18_xmlrpc() {
                super::$name($crate::support::ODOO18_XMLRPC).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn odoo19_xmlrpc() {
                super::$name($crate::support::ODOO19_XMLRPC).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn odoo19_json2() {
                super::$name($crate::support::ODOO19_JSON2).await
            }
        }
    };
}

/// A running Odoo (`odoo-up`), its run directory and the templates built on it.
pub struct Server {
    pub version: &'static str,
    pub dir: PathBuf,
    pub url: String,
    templates: Mutex<HashMap<String, Arc<OnceLock<Value>>>>,
    counter: AtomicUsize,
}

static SERVERS: OnceLock<Mutex<HashMap<&'static str, &'static OnceLock<Server>>>> = OnceLock::new();

/// The Odoo `version` of this test binary, started on first use (about 6 s; the very first
/// start on a machine also builds the kit's virtualenv, about a minute).
pub fn server(version: &'static str) -> &'static Server {
    let cell: &'static OnceLock<Server> = {
        let mut all = SERVERS
            .get_or_init(Default::default)
            .lock()
            .expect("servers lock");
        all.entry(version)
            .or_insert_with(|| Box::leak(Box::new(OnceLock::new())))
    };
    cell.get_or_init(|| start(version))
}

/// An Odoo `version` of its own, for a test that stops, freezes or restarts it
/// (`odoo-ctl`) and must not disturb the others. It lives until the test binary exits.
pub fn dedicated(version: &'static str) -> &'static Server {
    Box::leak(Box::new(start(version)))
}

fn start(version: &'static str) -> Server {
    let out = Command::new(kit("odoo-up"))
        .args([version, "--watch", &std::process::id().to_string()])
        .stdin(Stdio::null())
        .output()
        .expect("run odoo-up");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the real Odoo {version} did not start (odoo-up exited {:?}); it said:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = PathBuf::from(stdout.lines().last().expect("odoo-up prints its directory"));
    let env = std::fs::read_to_string(dir.join("env")).expect("odoo-up's env file");
    let url = env
        .lines()
        .find_map(|l| l.strip_prefix("ODOO_URL="))
        .expect("ODOO_URL in env")
        .to_owned();
    Server {
        version,
        dir,
        url,
        templates: Mutex::default(),
        counter: AtomicUsize::new(0),
    }
}

impl Server {
    /// `odoo-ctl DIR stop|start|freeze|thaw`: kill, restart, hang, resume this server.
    pub fn ctl(&self, what: &str) {
        let out = Command::new(kit("odoo-ctl"))
            .arg(&self.dir)
            .arg(what)
            .output()
            .expect("run odoo-ctl");
        assert!(
            out.status.success(),
            "odoo-ctl {what} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn unique(&self, hint: &str) -> String {
        let n = self.counter.fetch_add(1, Ordering::SeqCst);
        let hint: String = hint
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(30)
            .collect();
        format!("t{n}_{hint}").to_ascii_lowercase()
    }

    /// A fresh copy of the kit's base database.
    pub fn fresh(&'static self, hint: &str) -> Db {
        let name = self.unique(hint);
        self.new_db(&name, None);
        Db { server: self, name }
    }

    fn new_db(&self, name: &str, from: Option<&str>) {
        let mut cmd = Command::new(kit("odoo-new-db"));
        cmd.arg(&self.dir).arg(name);
        if let Some(from) = from {
            cmd.arg(from);
        }
        let out = cmd.output().expect("run odoo-new-db");
        assert!(
            out.status.success(),
            "odoo-new-db {name} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// A copy of the template database `template`, built once per server by `script`
    /// (run with `prelude.py` inside Odoo; it ends with `done(result)`), and `result`.
    pub fn copy_of(&'static self, template: &str, script: &str) -> (Db, Value) {
        let cell = self
            .templates
            .lock()
            .expect("templates lock")
            .entry(template.to_owned())
            .or_default()
            .clone();
        let result = cell
            .get_or_init(|| {
                let name = format!("tpl_{template}");
                self.new_db(&name, None);
                Db { server: self, name }.shell(script)
            })
            .clone();
        let name = self.unique(template);
        self.new_db(&name, Some(&format!("tpl_{template}")));
        (Db { server: self, name }, result)
    }
}

/// One database of a real server.
pub struct Db {
    pub server: &'static Server,
    pub name: String,
}

impl Db {
    /// Runs `script` (after `prelude.py`) inside Odoo; returns what it passed to `done`.
    pub fn shell(&self, script: &str) -> Value {
        use std::io::Write;
        let mut child = Command::new(kit("odoo-shell"))
            .arg(&self.server.dir)
            .arg(&self.name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run odoo-shell");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{PRELUDE}\n{script}\n").as_bytes())
            .expect("write the script");
        let out = child.wait_with_output().expect("odoo-shell output");
        let stdout = String::from_utf8_lossy(&out.stdout);
        match stdout.lines().find_map(|l| l.strip_prefix("JSON=")) {
            Some(json) => serde_json::from_str(json).expect("the script's JSON"),
            None => panic!(
                "the Odoo shell script on {} did not finish; it printed:\n{}\n{}",
                self.name,
                tail(&stdout, 30),
                tail(&String::from_utf8_lossy(&out.stderr), 30)
            ),
        }
    }

    /// `execute_kw` as the administrator through Odoo's `/jsonrpc` endpoint.
    pub async fn call(&self, model: &str, method: &str, args: Value, kwargs: Value) -> Value {
        match self.try_call(model, method, args, kwargs).await {
            Ok(v) => v,
            Err(e) => panic!("{model}.{method} as admin on {}: {e}", self.name),
        }
    }

    pub async fn try_call(
        &self,
        model: &str,
        method: &str,
        args: Value,
        kwargs: Value,
    ) -> Result<Value, String> {
        let body = json!({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"service": "object", "method": "execute_kw",
                "args": [self.name, 2, "admin", model, method, args, kwargs]},
        });
        let answer: Value = reqwest::Client::new()
            .post(format!("{}/jsonrpc", self.server.url))
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())?;
        match answer.get("error") {
            Some(e) => Err(e
                .pointer("/data/message")
                .and_then(Value::as_str)
                .unwrap_or("error")
                .to_owned()),
            None => Ok(answer["result"].clone()),
        }
    }

    /// Every record of `model` matching `domain`, with `fields`, by id.
    pub async fn search_read(&self, model: &str, domain: Value, fields: &[&str]) -> Vec<Value> {
        let v = self
            .call(
                model,
                "search_read",
                json!([domain]),
                json!({"fields": fields, "order": "id asc", "context": {"active_test": false}}),
            )
            .await;
        v.as_array().cloned().unwrap_or_default()
    }

    /// Names of the partner tags on `partner`.
    pub async fn tags_of(&self, partner: i64) -> Vec<String> {
        let p = self
            .search_read(
                "res.partner",
                json!([["id", "=", partner]]),
                &["category_id"],
            )
            .await;
        let ids = p[0]["category_id"].clone();
        let tags = self
            .search_read(
                "res.partner.category",
                json!([["id", "in", ids]]),
                &["name"],
            )
            .await;
        let mut names: Vec<String> = tags
            .iter()
            .map(|t| t["name"].as_str().unwrap_or("").to_owned())
            .collect();
        names.sort();
        names
    }

    /// Notes and messages posted on `partner` by `author_partner`, oldest first.
    pub async fn messages_on(&self, partner: i64, author_partner: i64) -> Vec<Value> {
        self.search_read(
            "mail.message",
            json!([
                ["model", "=", "res.partner"],
                ["res_id", "=", partner],
                ["author_id", "=", author_partner],
                ["message_type", "in", ["comment", "email"]]
            ]),
            &[
                "body",
                "subtype_id",
                "attachment_ids",
                "partner_ids",
                "message_type",
                "subject",
            ],
        )
        .await
    }

    /// Activities on a record of `model`.
    pub async fn activities_on(&self, model: &str, id: i64) -> Vec<Value> {
        self.search_read(
            "mail.activity",
            json!([["res_model", "=", model], ["res_id", "=", id]]),
            &[
                "summary",
                "note",
                "user_id",
                "activity_type_id",
                "date_deadline",
            ],
        )
        .await
    }

    /// Attachments on `partner`.
    pub async fn attachments_on(&self, partner: i64) -> Vec<Value> {
        self.search_read(
            "ir.attachment",
            json!([["res_model", "=", "res.partner"], ["res_id", "=", partner]]),
            &["name", "mimetype", "file_size"],
        )
        .await
    }
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Where relanced sends its emails.
pub enum Mail {
    Smtp(u16),
    Files,
    Odoo,
}

/// A relanced installation pointed at one test database: configuration, ledger, outbox.
pub struct Relanced {
    pub dir: TempDir,
    pub config: PathBuf,
    key: String,
}

/// The bot user a template made (`make_user` in `prelude.py`).
pub fn bot_of(result: &Value, name: &str) -> (String, String) {
    let bot = &result[name];
    (
        bot["login"].as_str().expect("bot login").to_owned(),
        bot["key"].as_str().expect("bot key").to_owned(),
    )
}

impl Relanced {
    /// `login`/`key` of the bot user; `body` is the rest of the configuration (strategies,
    /// `[followup]` keys…), appended as is.
    pub fn new(db: &Db, target: Target, login: &str, key: &str, mail: Mail, body: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("relanced.toml");
        let mail = match mail {
            Mail::Smtp(port) => format!(
                "transport = \"smtp\"\n\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\ntimeout_secs = 10\n"
            ),
            Mail::Files => "transport = \"files\"\n".to_owned(),
            Mail::Odoo => "transport = \"odoo\"\n".to_owned(),
        };
        let text = format!(
            r#"
[odoo]
url = "{url}"
database = "{database}"
login = "{login}"
api_key = {{ env = "RELANCED_TEST_KEY" }}
protocol = "{protocol}"
companies = [1]
timeout_secs = 60

[ledger]
url = "sqlite://{ledger}"

[render]
default_lang = "fr"

{body}

[mail]
from = "Compta <compta@relance-test.example>"
outbox_dir = "{outbox}"
{mail}
"#,
            url = db.server.url,
            database = db.name,
            protocol = target.protocol,
            ledger = dir.path().join("ledger.db").display(),
            outbox = dir.path().join("outbox").display(),
        );
        std::fs::write(&config, text).expect("write the configuration");
        Relanced {
            dir,
            config,
            key: key.to_owned(),
        }
    }

    /// Replaces `from` by `to` in the configuration file (`timeout_secs = 60` → `… 5`).
    pub fn edit(&self, from: &str, to: &str) {
        let text = std::fs::read_to_string(&self.config).expect("read the configuration");
        assert!(text.contains(from), "{from:?} is not in the configuration");
        std::fs::write(&self.config, text.replace(from, to)).expect("write the configuration");
    }

    /// `relanced --config … ARGS`, key in the environment, output captured.
    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(BIN);
        cmd.arg("--config")
            .arg(&self.config)
            .args(args)
            .env("RELANCED_TEST_KEY", &self.key)
            .env("RUST_LOG", "warn")
            .env_remove("RELANCED_CONFIG")
            .kill_on_drop(true)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs `relanced ARGS` to the end: exit code, stdout, stderr.
    pub async fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let out = self.command(args).output().await.expect("run relanced");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `relanced once --as-of DATE --json`: exit code and the JSON it printed.
    pub async fn once(&self, as_of: &str) -> (Option<i32>, Value, String) {
        let (code, stdout, stderr) = self.run(&["once", "--as-of", as_of, "--json"]).await;
        let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
        (code, json, stderr)
    }

    pub fn outbox(&self) -> PathBuf {
        self.dir.path().join("outbox")
    }
}
