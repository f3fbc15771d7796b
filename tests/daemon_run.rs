//! `relanced run` as a child process against the Odoo double (generated world, mail
//! written to files, letters through WeasyPrint): it becomes ready, runs on schedule,
//! shows the run in `/metrics`, keeps its configuration on a broken SIGHUP and applies a
//! good one, stops cleanly on SIGTERM mid-run leaving no action `started`, and two
//! daemons on one PostgreSQL ledger never run at once.

#[path = "support/pg.rs"]
mod pg;

use chrono::{DateTime, Utc};
use relanced::ledger::{ActionFilter, ActionState, Ledger, RunStatus};
use relanced::odoo::sim::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use relanced::odoo::sim::{GeneratorOptions, OdooVersion, Sim, SimHandle, SimOptions, World};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

async fn sim(customers: usize, latency: Duration) -> SimHandle {
    let world = World::generated(&GeneratorOptions {
        customers,
        as_of: Utc::now().date_naive(),
        ..Default::default()
    });
    let sim = Sim::start(SimOptions {
        version: OdooVersion::V18,
        world,
    })
    .await
    .unwrap();
    sim.switches().set_latency(latency);
    sim
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn config_text(sim: &SimHandle, dir: &Path, ledger: &str, port: u16, interval: u32) -> String {
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
struct Daemon {
    child: tokio::process::Child,
    port: u16,
    log: PathBuf,
    config: PathBuf,
}

impl Daemon {
    fn start(dir: &Path, config: &str, port: u16) -> Daemon {
        std::fs::write(dir.join("key"), BOT_API_KEY).unwrap();
        let path = dir.join("relanced.toml");
        std::fs::write(&path, config).unwrap();
        let log = dir.join("daemon.log");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_relanced"))
            .args(["--config", path.to_str().unwrap(), "--log-format", "human"])
            .arg("run")
            .env("RUST_LOG", "info")
            .env_remove("NOTIFY_SOCKET")
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

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, name: &str) {
        let pid = self.child.id().expect("the daemon is running");
        let ok = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{name} {pid}");
    }

    async fn get(&self, path: &str) -> Option<(u16, String)> {
        let answer = reqwest::get(self.url(path)).await.ok()?;
        let status = answer.status().as_u16();
        Some((status, answer.text().await.ok()?))
    }

    /// The value of one sample of `/metrics` (`name` includes its labels).
    async fn metric(&self, name: &str) -> Option<f64> {
        let (_, text) = self.get("/metrics").await?;
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
    }

    /// Waits until `metric(name)` satisfies `ok`; panics with the log after `limit`.
    async fn wait_metric(&self, name: &str, ok: impl Fn(f64) -> bool, limit: Duration) -> f64 {
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
    async fn wait_ready(&self, limit: Duration) {
        let t0 = Instant::now();
        loop {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_relanced"))
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

    async fn stop(mut self, limit: Duration) -> (i32, String) {
        self.signal("TERM");
        let status = tokio::time::timeout(limit, self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("no exit {limit:?} after SIGTERM:\n{}", self.log()))
            .unwrap();
        (status.code().unwrap_or(-1), self.log())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daemon_runs_on_schedule_shows_it_in_metrics_and_reloads_only_a_valid_config() {
    let sim = sim(12, Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let ledger_url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let good = config_text(&sim, dir.path(), &ledger_url, port, 60);
    let daemon = Daemon::start(dir.path(), &good, port);

    daemon.wait_ready(Duration::from_secs(60)).await;
    let (code, body) = daemon.get("/healthz").await.unwrap();
    assert_eq!(code, 200, "{body}");
    // No run in the ledger yet: the first one happens at start-up.
    daemon
        .wait_metric(
            "relanced_runs_total{result=\"done\"}",
            |v| v == 1.0,
            Duration::from_secs(180),
        )
        .await;
    let emails = daemon
        .metric("relanced_actions_total{kind=\"email\",result=\"done\"}")
        .await
        .unwrap_or(0.0);
    assert!(
        emails > 0.0,
        "no email in the metrics:\n{:?}",
        daemon.get("/metrics").await
    );
    let last = daemon
        .metric("relanced_last_success_timestamp_seconds")
        .await
        .unwrap();
    let next = daemon
        .wait_metric(
            "relanced_next_run_timestamp_seconds",
            |v| v > last,
            Duration::from_secs(10),
        )
        .await;
    assert_eq!(next - last, 3600.0, "next run one interval after the last");
    let ledger = Ledger::open(&ledger_url).await.unwrap();
    let runs = ledger.list_runs(10).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].status, RunStatus::Done);
    assert_eq!(runs[0].started_at.timestamp() as f64, last);
    let emails_in_ledger = ledger
        .list_actions(ActionFilter {
            run: Some(runs[0].id),
            state: Some(ActionState::Done),
        })
        .await
        .unwrap()
        .iter()
        .filter(|a| a.kind.to_string() == "email")
        .count();
    assert_eq!(emails_in_ledger as f64, emails);

    // A broken configuration: rejected, reported, the old one kept.
    std::fs::write(
        &daemon.config,
        good.replace("interval_minutes", "interval_minuts"),
    )
    .unwrap();
    daemon.signal("HUP");
    daemon
        .wait_metric(
            "relanced_config_reloads_total{result=\"rejected\"}",
            |v| v == 1.0,
            Duration::from_secs(20),
        )
        .await;
    assert!(
        daemon.log().contains("configuration reload rejected"),
        "{}",
        daemon.log()
    );
    assert!(daemon.log().contains("interval_minuts"), "{}", daemon.log());
    let (code, body) = daemon.get("/healthz").await.unwrap();
    assert_eq!(code, 200);
    assert!(
        body.contains("reload rejected, previous configuration kept"),
        "{body}"
    );
    assert_eq!(
        daemon.metric("relanced_next_run_timestamp_seconds").await,
        Some(next)
    );

    // A good one: applied (the next run moves to 30 minutes after the last).
    std::fs::write(&daemon.config, good.replace("= 60", "= 30")).unwrap();
    daemon.signal("HUP");
    daemon
        .wait_metric(
            "relanced_config_reloads_total{result=\"applied\"}",
            |v| v == 1.0,
            Duration::from_secs(20),
        )
        .await;
    let next = daemon
        .wait_metric(
            "relanced_next_run_timestamp_seconds",
            |v| v < next,
            Duration::from_secs(20),
        )
        .await;
    assert_eq!(next - last, 1800.0);
    let (_, body) = daemon.get("/healthz").await.unwrap();
    assert!(!body.contains("reload rejected"), "{body}");

    let (code, log) = daemon.stop(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{log}");
    assert_eq!(ledger.list_runs(10).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_run_finishes_the_customer_in_progress_and_exits_0_leaving_nothing_started() {
    let sim = sim(40, Duration::from_millis(150)).await;
    let dir = tempfile::tempdir().unwrap();
    let ledger_url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let daemon = Daemon::start(
        dir.path(),
        &config_text(&sim, dir.path(), &ledger_url, port, 60),
        port,
    );
    daemon
        .wait_metric(
            "relanced_run_progress_customers",
            |v| v >= 1.0,
            Duration::from_secs(180),
        )
        .await;
    let total = daemon.metric("relanced_run_total_customers").await.unwrap();
    let (code, log) = daemon.stop(Duration::from_secs(60)).await;
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("finishing the customer in progress"), "{log}");

    let ledger = Ledger::open(&ledger_url).await.unwrap();
    let runs = ledger.list_runs(10).await.unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].status, RunStatus::Interrupted, "{runs:?}");
    let started = ledger
        .list_actions(ActionFilter {
            run: None,
            state: Some(ActionState::Started),
        })
        .await
        .unwrap();
    assert!(started.is_empty(), "actions left started: {started:?}");
    let summary = runs[0].summary.clone().unwrap_or_default();
    assert_eq!(summary["interrupted"], true, "{summary}");
    assert!(total > 1.0, "the run had {total} customers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_daemons_on_one_postgresql_ledger_never_run_at_once() {
    let Some(ledger_url) = pg::fresh_database_url() else {
        return;
    };
    let sim = sim(20, Duration::from_millis(60)).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (port_a, port_b) = (free_port(), free_port());
    let a = Daemon::start(
        dir_a.path(),
        &config_text(&sim, dir_a.path(), &ledger_url, port_a, 60),
        port_a,
    );
    let b = Daemon::start(
        dir_b.path(),
        &config_text(&sim, dir_b.path(), &ledger_url, port_b, 60),
        port_b,
    );
    // One runs, the other finds the lock taken and skips.
    let t0 = Instant::now();
    loop {
        let done = a
            .metric("relanced_runs_total{result=\"done\"}")
            .await
            .unwrap_or(0.0)
            + b.metric("relanced_runs_total{result=\"done\"}")
                .await
                .unwrap_or(0.0);
        let skipped = a
            .metric("relanced_runs_total{result=\"skipped_locked\"}")
            .await
            .unwrap_or(0.0)
            + b.metric("relanced_runs_total{result=\"skipped_locked\"}")
                .await
                .unwrap_or(0.0);
        if done >= 1.0 && skipped >= 1.0 {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(240),
            "done {done}, skipped {skipped}\nA:\n{}\nB:\n{}",
            a.log(),
            b.log()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let (code_a, log_a) = a.stop(Duration::from_secs(60)).await;
    let (code_b, log_b) = b.stop(Duration::from_secs(60)).await;
    assert_eq!((code_a, code_b), (0, 0), "A:\n{log_a}\nB:\n{log_b}");
    assert!(
        log_a.contains("another relanced holds the run lock")
            || log_b.contains("another relanced holds the run lock")
    );
    let ledger = Ledger::open(&ledger_url).await.unwrap();
    let mut runs = ledger.list_runs(50).await.unwrap();
    runs.sort_by_key(|r| r.started_at);
    assert!(!runs.is_empty());
    let far: DateTime<Utc> = DateTime::<Utc>::MAX_UTC;
    for pair in runs.windows(2) {
        let end = pair[0].finished_at.unwrap_or(far);
        assert!(
            end <= pair[1].started_at,
            "runs overlap: {:?} and {:?}",
            pair[0],
            pair[1]
        );
    }
}
