//! The real Odoo servers of the speed bench (`../shared/odoo-real/`): started with
//! `odoo-up`, switched between `workers = 0` and `workers = 2` on the same databases,
//! their CPU (Odoo's processes and their PostgreSQL's) read from `/proc`, their requests
//! counted in `odoo.log`, and an administrator's reader through `/jsonrpc` (neither
//! relanced's client nor its codec). Nothing here measures relanced.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn kit(tool: &str) -> PathBuf {
    std::env::var_os("RELANCED_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"))
        .join("odoo-real")
        .join(tool)
}

/// `CARGO_TARGET_DIR`, else `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// The release binary (`cargo build --release` first).
pub fn bin() -> PathBuf {
    let bin = target_dir().join("release/relanced");
    assert!(bin.exists(), "run `cargo build --release` first");
    bin
}

/// Runs a kit tool to its end, `stdin` fed to it; its stdout.
pub fn run_kit(tool: &str, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut child = Command::new(kit(tool))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{tool}: {e}"));
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or("").as_bytes())
        .expect("stdin");
    drop(input);
    let out = child.wait_with_output().expect("kit output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// One Odoo server of the kit and its PostgreSQL.
pub struct Server {
    pub version: &'static str,
    pub dir: String,
    pub url: String,
    pub workers: u32,
}

impl Server {
    /// `odoo-up VERSION --workers 0`, torn down when this process exits.
    pub fn up(version: &'static str) -> Server {
        let pid = std::process::id().to_string();
        let up = run_kit(
            "odoo-up",
            &[version, "--workers", "0", "--watch", &pid],
            None,
        );
        let dir = up.lines().last().expect("odoo-up's directory").to_owned();
        let url = env_value(&dir, "ODOO_URL");
        Server {
            version,
            dir,
            url,
            workers: 0,
        }
    }

    /// Restarts the server with `workers` (the `odoo.conf` `odoo-up --workers N` writes,
    /// same port, same databases).
    pub fn set_workers(&mut self, workers: u32) {
        if workers == self.workers {
            return;
        }
        let conf = Path::new(&self.dir).join("odoo.conf");
        let text = std::fs::read_to_string(&conf).expect("odoo.conf");
        let text: String = text
            .lines()
            .map(|l| match l.starts_with("workers =") {
                true => format!("workers = {workers}\n"),
                false => format!("{l}\n"),
            })
            .collect();
        std::fs::write(&conf, text).expect("odoo.conf");
        run_kit("odoo-ctl", &[&self.dir, "stop"], None);
        run_kit("odoo-ctl", &[&self.dir, "start"], None);
        self.workers = workers;
    }

    pub fn down(&self) {
        run_kit("odoo-down", &[&self.dir], None);
    }

    /// CPU seconds so far of Odoo's processes (its session: the server, its workers and
    /// the workers it reaped) and of its PostgreSQL (the postmaster, its backends and
    /// those it reaped).
    pub fn cpu(&self) -> (f64, f64) {
        let odoo: i64 = env_value(&self.dir, "ODOO_PID").parse().expect("ODOO_PID");
        let pg_pid = std::fs::read_to_string(Path::new(&self.dir).join("pg/data/postmaster.pid"))
            .ok()
            .and_then(|t| t.lines().next().and_then(|l| l.trim().parse().ok()))
            .unwrap_or(-1);
        let (mut o, mut p) = (0u64, 0u64);
        for stat in all_stats() {
            if stat.session == odoo {
                o += stat.own + if stat.pid == odoo { stat.children } else { 0 };
            }
            if stat.pid == pg_pid {
                p += stat.own + stat.children;
            } else if stat.parent == pg_pid {
                p += stat.own;
            }
        }
        let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        (o as f64 / tick, p as f64 / tick)
    }

    /// Requests logged so far (relanced's: XML-RPC and JSON-2, not `/jsonrpc`).
    pub fn requests(&self) -> usize {
        let log =
            std::fs::read_to_string(Path::new(&self.dir).join("odoo.log")).unwrap_or_default();
        log.lines()
            .filter(|l| l.contains("\"POST /xmlrpc/") || l.contains("\"POST /json/2/"))
            .count()
    }

    /// A fresh copy of database `book`, its registry loaded in every worker (not measured).
    pub async fn copy_book(&self, db: &str) {
        run_kit("odoo-new-db", &[&self.dir, db, "book"], None);
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (url, db) = (self.url.clone(), db.to_owned());
                tokio::spawn(async move {
                    admin_call(
                        &url,
                        &db,
                        "res.partner",
                        "search_count",
                        json!([[]]),
                        json!({}),
                    )
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("warm-up");
        }
    }

    /// `execute_kw` as admin through `/jsonrpc`.
    pub async fn call(&self, db: &str, model: &str, method: &str, args: Value, kw: Value) -> Value {
        admin_call(&self.url, db, model, method, args, kw).await
    }
}

async fn admin_call(
    url: &str,
    db: &str,
    model: &str,
    method: &str,
    args: Value,
    kw: Value,
) -> Value {
    let body = json!({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [db, 2, "admin", model, method, args, kw]}});
    let answer: Value = reqwest::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .expect("client")
        .post(format!("{url}/jsonrpc"))
        .json(&body)
        .send()
        .await
        .expect("jsonrpc")
        .json()
        .await
        .expect("jsonrpc answer");
    assert!(answer.get("error").is_none(), "{model}.{method}: {answer}");
    answer["result"].clone()
}

pub fn env_value(dir: &str, key: &str) -> String {
    let env = std::fs::read_to_string(Path::new(dir).join("env")).expect("env");
    env.lines()
        .filter_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .next_back()
        .unwrap_or_else(|| panic!("{key} missing in {dir}/env"))
        .to_owned()
}

struct Stat {
    pid: i64,
    parent: i64,
    session: i64,
    /// utime + stime, in ticks.
    own: u64,
    /// cutime + cstime (reaped children), in ticks.
    children: u64,
}

fn all_stats() -> Vec<Stat> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i64>().ok())
        .filter_map(|pid| {
            let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // After the command's closing parenthesis: state ppid pgrp session … (man 5 proc).
            let rest: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
            let n = |i: usize| rest.get(i).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
            Some(Stat {
                pid,
                parent: n(1),
                session: n(3),
                own: (n(11) + n(12)) as u64,
                children: (n(13) + n(14)) as u64,
            })
        })
        .collect()
}
