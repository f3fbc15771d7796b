//! Shared by the daemon tests: the Odoo double with a generated book, a configuration
//! with mail written to files, and a `relanced run` child process with helpers to read
//! its metrics, signal it and wait for it.

use chrono::Utc;
use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{GeneratorOptions, SimHandle, World};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub async fn sim(customers: usize, latency: Duration) -> SimHandle {
    let world = World::generated(&GeneratorOptions {
        customers,
        as_of: Utc::now().date_naive(),
        ..Default::default()
    });
    let sim = super::start_double(world).await;
    sim.switches().set_latency(latency);
    sim
}

pub use super::free_port;

pub fn config_text(sim: &SimHandle, dir: &Path, ledger: &str, port: u16, interval: u32) -> String {
    format!(
        r#"
[odoo]
url = "{url}"
database = "{DEMO_DB}"
login = "{BOT_LOGIN}"
api_key = {{ file = "{key}" }}

[ledger]
url = "{ledger}"

[mail]
transport = "files"
from = "Comptabilité <compta@example.com>"
outbox_dir = "{outbox}"

[schedule]
timezone = "UTC"
interval_minutes = {interval}

[http]
listen = "127.0.0.1:{port}"

[followup]
fallback_user = 2
"#,
        url = sim.url(),
        key = dir.join("key").display(),
        outbox = dir.join("outbox").display(),
    )
}

/// A `relanced run` child process.
pub struct Daemon {
    pub child: tokio::process::Child,
    pub port: u16,
    pub log: PathBuf,
    pub config: PathBuf,
}

impl Daemon {
    pub fn start(dir: &Path, config: &str, port: u16) -> Daemon {
        Daemon::start_with_env(dir, config, port, &[])
    }

    /// Starts with extra environment variables (`NOTIFY_SOCKET`, `WATCHDOG_USEC`…).
    pub fn start_with_env(dir: &Path, config: &str, port: u16, env: &[(&str, &str)]) -> Daemon {
        std::fs::write(dir.join("key"), BOT_API_KEY).unwrap();
        let path = dir.join("relanced.toml");
        std::fs::write(&path, config).unwrap();
        let log = dir.join("daemon.log");
        let child = tokio::process::Command::new(super::BIN)
            .args(["--config", path.to_str().unwrap(), "--log-format", "human"])
            .arg("run")
            .env("RUST_LOG", "info")
            .env_remove("NOTIFY_SOCKET")
            .env_remove("WATCHDOG_USEC")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        Daemon {
            child,
            port,
            log,
            config: path,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn signal(&self, name: &str) {
        let pid = self.child.id().expect("the daemon is running");
        let ok = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{name} {pid}");
    }

    pub async fn get(&self, path: &str) -> Option<(u16, String)> {
        let answer = reqwest::get(self.url(path)).await.ok()?;
        let status = answer.status().as_u16();
        Some((status, answer.text().await.ok()?))
    }

    /// The value of one sample of `/metrics` (`name` includes its labels).
    pub async fn metric(&self, name: &str) -> Option<f64> {
        let (_, text) = self.get("/metrics").await?;
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
    }

    /// Waits until `metric(name)` satisfies `ok`; panics with the log after `limit`.
    pub async fn wait_metric(&self, name: &str, ok: impl Fn(f64) -> bool, limit: Duration) -> f64 {
        let t0 = Instant::now();
        loop {
            if let Some(v) = self.metric(name).await
                && ok(v)
            {
                return v;
            }
            assert!(
                t0.elapsed() < limit,
                "{name} never reached the expected value; daemon log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// `relanced healthcheck --url …/readyz` until it exits 0.
    pub async fn wait_ready(&self, limit: Duration) {
        let t0 = Instant::now();
        loop {
            let out = tokio::process::Command::new(super::BIN)
                .args(["healthcheck", "--url", &self.url("/readyz")])
                .output()
                .await
                .unwrap();
            if out.status.success() {
                return;
            }
            assert!(
                t0.elapsed() < limit,
                "never ready: {}\ndaemon log:\n{}",
                String::from_utf8_lossy(&out.stderr),
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    pub async fn stop(mut self, limit: Duration) -> (i32, String) {
        self.signal("TERM");
        let status = tokio::time::timeout(limit, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("no exit {limit:?} after SIGTERM:\n{}", self.log()))
            .unwrap();
        (status.code().unwrap_or(-1), self.log())
    }
}
