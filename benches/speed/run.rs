//! relanced on one copy of the book: its configuration (one level, email to files, note,
//! marker), the release binary run as a child (wall time and its own CPU from `wait4`),
//! and the effects read back: one note by the bot and the marker on every customer in
//! Odoo, one email per customer in the outbox.

use super::book::Book;
use super::kit::Server;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const AS_OF: &str = "2026-11-22";
const MARKER: &str = "Relance 1";
const STRATEGY: &str = "[followup]\nfallback_user = 2\n\n[[strategy]]\nname = \"S\"\ndefault = true\n\
min_amount = { EUR = 5.0 }\nmin_interval_days = 7\n\n[[strategy.level]]\nkey = \"amical\"\n\
label = \"Rappel amical\"\noffset_days = 3\nactions = [\"email\"]\nmarker = { tag = \"Relance 1\", color = 10 }\n";

/// A relanced installation (configuration, ledger, outbox) on database `db`.
pub struct Install {
    /// The relanced binary this installation runs.
    binary: PathBuf,
    dir: tempfile::TempDir,
    config: PathBuf,
    key: String,
    pub db: String,
}

/// One run of the binary.
pub struct Measured {
    pub wall: Duration,
    /// relanced's user + system CPU, seconds.
    pub cpu: f64,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr_tail: String,
}

impl Install {
    pub fn new(
        server: &Server,
        book: &Book,
        db: &str,
        protocol: &str,
        page_size: usize,
        binary: &Path,
    ) -> Install {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("relanced.toml");
        let p = |f: &str| dir.path().join(f).display().to_string();
        let text = format!(
            "[odoo]\nurl = \"{}\"\ndatabase = \"{db}\"\nlogin = \"{}\"\napi_key = {{ env = \"RELANCED_BENCH_KEY\" }}\n\
             protocol = \"{protocol}\"\ncompanies = [1]\ntimeout_secs = 300\npage_size = {page_size}\n\n\
             [ledger]\nurl = \"sqlite://{}\"\n\n[render]\ndefault_lang = \"fr\"\n\n{STRATEGY}\n\
             [mail]\ntransport = \"files\"\nfrom = \"Compta <compta@relance-test.example>\"\noutbox_dir = \"{}\"\n",
            server.url,
            book.login,
            p("ledger.db"),
            p("outbox"),
        );
        std::fs::write(&config, text).expect("config");
        Install {
            binary: binary.to_owned(),
            dir,
            config,
            key: book.key.clone(),
            db: db.to_owned(),
        }
    }

    /// Runs `relanced ARGS` to its end: wall time, its CPU, exit code, stdout.
    // The child is reaped by `wait4` (for its rusage), not by `Child::wait`.
    #[allow(clippy::zombie_processes)]
    pub fn run(&self, args: &[&str], tag: &str) -> Measured {
        let file = |ext: &str| self.dir.path().join(format!("{tag}.{ext}"));
        let started = Instant::now();
        let child = Command::new(&self.binary)
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .env("RELANCED_BENCH_KEY", &self.key)
            .env("RUST_LOG", "warn")
            .env_remove("RELANCED_CONFIG")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(file("out")).expect("out"))
            .stderr(std::fs::File::create(file("err")).expect("err"))
            .spawn()
            .expect("spawn relanced");
        let (code, cpu) = wait4(child.id() as i32);
        let wall = started.elapsed();
        let err = std::fs::read_to_string(file("err")).unwrap_or_default();
        Measured {
            wall,
            cpu,
            code,
            stdout: std::fs::read_to_string(file("out")).unwrap_or_default(),
            stderr_tail: err.lines().rev().take(5).collect::<Vec<_>>().join(" | "),
        }
    }

    /// Emails per customer in the outbox, from each email's action key (`…/p<id>/…`).
    fn emails(&self) -> BTreeMap<i64, usize> {
        let mut per = BTreeMap::new();
        let mut dirs = vec![self.dir.path().join("outbox")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "eml") {
                    *per.entry(customer_of(&path)).or_default() += 1;
                }
            }
        }
        per
    }

    /// "ok", or what differs from one note by the bot, the marker and one email for each
    /// of the book's customers.
    pub async fn effects(&self, server: &Server, book: &Book) -> String {
        let db = &self.db;
        let domain = json!([[
            ["model", "=", "res.partner"],
            ["author_id", "=", book.bot_partner]
        ]]);
        let rows = server
            .call(
                db,
                "mail.message",
                "search_read",
                domain,
                json!({"fields": ["res_id"]}),
            )
            .await;
        let mut notes: BTreeMap<i64, usize> = BTreeMap::new();
        for r in rows.as_array().into_iter().flatten() {
            *notes.entry(r["res_id"].as_i64().unwrap_or(0)).or_default() += 1;
        }
        let tag = server
            .call(
                db,
                "res.partner.category",
                "search_read",
                json!([[["name", "=", MARKER]]]),
                json!({"fields": ["id"]}),
            )
            .await;
        let tag = tag[0]["id"].as_i64().unwrap_or(-1);
        let marked = server
            .call(
                db,
                "res.partner",
                "search_read",
                json!([[["category_id", "in", [tag]]]]),
                json!({"fields": ["id"]}),
            )
            .await;
        let marked: std::collections::BTreeSet<i64> = marked
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["id"].as_i64())
            .collect();
        let emails = self.emails();
        let n = book.customers.len();
        let count = |m: &BTreeMap<i64, usize>| {
            book.customers
                .iter()
                .filter(|c| m.get(c) == Some(&1))
                .count()
        };
        let mut wrong = Vec::new();
        for (what, once, total) in [
            ("notes", count(&notes), notes.values().sum::<usize>()),
            ("emails", count(&emails), emails.values().sum::<usize>()),
        ] {
            if once != n || total != n {
                wrong.push(format!(
                    "{once}/{n} customers with exactly one of the {total} {what}"
                ));
            }
        }
        let with_marker = book.customers.iter().filter(|c| marked.contains(c)).count();
        if with_marker != n || marked.len() != n {
            wrong.push(format!(
                "{with_marker}/{n} customers marked ({} partners marked)",
                marked.len()
            ));
        }
        match wrong.is_empty() {
            true => "ok".into(),
            false => wrong.join("; "),
        }
    }
}

fn customer_of(path: &Path) -> i64 {
    let text = std::fs::read(path).unwrap_or_default();
    String::from_utf8_lossy(&text)
        .lines()
        .find_map(|l| l.strip_prefix("X-Relanced-Action: "))
        .and_then(|k| k.split('/').nth(1))
        .and_then(|p| p.strip_prefix('p'))
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0)
}

/// Waits for `pid`: its exit code and the CPU (user + system, seconds) it used.
fn wait4(pid: i32) -> (Option<i32>, f64) {
    let mut status = 0;
    // SAFETY: a zeroed `rusage` is a valid value for `wait4` to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(got, pid, "wait4");
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (code, secs(usage.ru_utime) + secs(usage.ru_stime))
}

/// `once --json`'s figures: calls, writes, customers acted on, where the time went.
pub struct OnceReport {
    pub calls: u64,
    pub writes: u64,
    pub acted: u64,
    pub ledger_transactions: u64,
    pub timings: String,
}

pub fn once_report(stdout: &str) -> OnceReport {
    let json: Value = serde_json::from_str(stdout).unwrap_or(Value::Null);
    let t = &json["timings"];
    let g = |k: &str| t[k].as_f64().unwrap_or(0.0);
    let wall = g("wall").max(1e-9);
    let share = |k: &str| format!("{k} {:.0} %", 100.0 * g(k) / wall);
    OnceReport {
        calls: json["odoo_calls"].as_u64().unwrap_or(0),
        writes: json["odoo_writes"].as_u64().unwrap_or(0),
        acted: json["report"]["per_level"]
            .as_object()
            .map(|m| m.values().filter_map(Value::as_u64).sum())
            .unwrap_or(0),
        ledger_transactions: t["ledger_transactions"].as_u64().unwrap_or(0),
        timings: ["odoo", "ledger", "render", "pdf", "mail", "other"]
            .map(share)
            .join(", "),
    }
}
