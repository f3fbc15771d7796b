//! `relanced run` as a child process against the Odoo double (generated world, mail
//! written to files, letters through WeasyPrint): it becomes ready, runs on schedule,
//! shows the run in `/metrics`, keeps its configuration on a broken SIGHUP and applies a
//! good one, stops cleanly on SIGTERM mid-run leaving no action `started`, and two
//! daemons on one PostgreSQL ledger never run at once.

use crate::common::daemon as daemon_support;
use crate::common::pg;

use chrono::{DateTime, Utc};
use daemon_support::{Daemon, config_text, free_port, sim};
use relanced::ledger::{ActionFilter, ActionState, Ledger, RunStatus};
use std::time::{Duration, Instant};

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
    // Every Odoo request of the run is timed.
    let requests = daemon
        .metric("relanced_odoo_request_duration_seconds_count")
        .await
        .unwrap_or(0.0);
    assert!(requests >= 5.0, "requests timed: {requests}");
    let within_10s = daemon
        .metric("relanced_odoo_request_duration_seconds_bucket{le=\"10\"}")
        .await
        .unwrap_or(0.0);
    assert!(within_10s > 0.0 && within_10s <= requests);
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
    // The metric is the daemon's attempt start; the ledger records the run when it begins,
    // a moment later (opening the ledger, taking the lock): the same second on an idle
    // machine, the next one on a loaded machine.
    let recorded = runs[0].started_at.timestamp() as f64;
    assert!(
        (0.0..=2.0).contains(&(recorded - last)),
        "run recorded at {recorded}, last success {last}"
    );
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

    // Restarted within the interval: no catch-up run, the next one stays where it was.
    let config = std::fs::read_to_string(dir.path().join("relanced.toml")).unwrap();
    let daemon = Daemon::start(dir.path(), &config, port);
    daemon.wait_ready(Duration::from_secs(60)).await;
    let next = daemon
        .wait_metric(
            "relanced_next_run_timestamp_seconds",
            |v| v > 0.0,
            Duration::from_secs(10),
        )
        .await;
    // After a restart the last run is the ledger's, recorded a moment after the metric's
    // attempt start (see above).
    assert_eq!(next - recorded, 1800.0);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        daemon.metric("relanced_runs_total{result=\"done\"}").await,
        Some(0.0)
    );
    let (code, log) = daemon.stop(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{log}");
    assert_eq!(ledger.list_runs(10).await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_mid_run_finishes_the_customer_in_progress_and_exits_0_leaving_nothing_started() {
    // More customers than one batch of the executor (100): the batch's Odoo writes are
    // made at its end, so a run of one batch could be over before SIGTERM arrives.
    let sim = sim(250, Duration::from_millis(150)).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn systemd_hears_ready_then_status_and_watchdog_pings_during_the_run_then_stopping() {
    let sim = sim(25, Duration::from_millis(40)).await;
    let dir = tempfile::tempdir().unwrap();
    let socket_path = dir.path().join("notify.sock");
    let socket = tokio::net::UnixDatagram::bind(&socket_path).unwrap();
    let ledger_url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let daemon = Daemon::start_with_env(
        dir.path(),
        &config_text(&sim, dir.path(), &ledger_url, port, 60),
        port,
        &[
            ("NOTIFY_SOCKET", socket_path.to_str().unwrap()),
            ("WATCHDOG_USEC", "1000000"),
        ],
    );
    // Every notification, one line each, until the first run is over and the daemon idles.
    let mut lines: Vec<String> = Vec::new();
    let t0 = Instant::now();
    let mut buf = vec![0u8; 4096];
    while !lines.iter().any(|l| l.starts_with("STATUS=next run at")) {
        let n = tokio::time::timeout(Duration::from_secs(30), socket.recv(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("silence from the daemon: {lines:?}\n{}", daemon.log()))
            .unwrap();
        lines.extend(
            String::from_utf8_lossy(&buf[..n])
                .lines()
                .map(str::to_owned),
        );
        assert!(t0.elapsed() < Duration::from_secs(180), "{lines:?}");
    }
    let ready = lines.iter().position(|l| l == "READY=1").expect("READY=1");
    let first_status = &lines[ready + 1];
    assert_eq!(first_status, "STATUS=ready", "{lines:?}");
    let running: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("STATUS=running: "))
        .map(|(i, _)| i)
        .collect();
    assert!(
        running.len() >= 2,
        "the run's progress was never reported: {lines:?}"
    );
    let pings_during_run = lines[running[0]..=running[running.len() - 1]]
        .iter()
        .filter(|l| *l == "WATCHDOG=1")
        .count();
    assert!(
        pings_during_run >= 1,
        "no watchdog ping during the run: {lines:?}"
    );
    let last_progress = &lines[running[running.len() - 1]];
    assert!(last_progress.ends_with(" customers"), "{last_progress}");

    // Idle: pings keep coming at least every half period.
    let t1 = Instant::now();
    let mut pings = 0;
    while t1.elapsed() < Duration::from_secs(2) {
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(700), socket.recv(&mut buf)).await
        {
            pings += String::from_utf8_lossy(&buf[..n])
                .lines()
                .filter(|l| *l == "WATCHDOG=1")
                .count();
        }
    }
    assert!(pings >= 3, "{pings} idle watchdog pings in 2 s");
    daemon.signal("TERM");
    let mut stopping = false;
    while let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(10), socket.recv(&mut buf)).await
    {
        stopping |= String::from_utf8_lossy(&buf[..n]).contains("STOPPING=1");
        if stopping {
            break;
        }
    }
    assert!(stopping, "no STOPPING=1 after SIGTERM");
    let (code, log) = daemon.stop(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_daemon_that_cannot_reach_odoo_stays_alive_but_is_not_ready_and_says_why() {
    let sim = sim(3, Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let ledger_url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let config = config_text(&sim, dir.path(), &ledger_url, port, 60);
    sim.stop().await;
    let daemon = Daemon::start(dir.path(), &config, port);
    daemon
        .wait_metric(
            "relanced_runs_total{result=\"failed\"}",
            |v| v >= 1.0,
            Duration::from_secs(60),
        )
        .await;
    assert!(
        daemon
            .metric("relanced_odoo_errors_total{kind=\"connection_refused\"}")
            .await
            .is_some_and(|v| v >= 1.0),
        "{:?}",
        daemon.get("/metrics").await
    );
    let (code, _) = daemon.get("/healthz").await.unwrap();
    assert_eq!(code, 200, "the loop is alive");
    let (code, body) = daemon.get("/readyz").await.unwrap();
    assert_eq!(code, 503);
    assert!(body.contains("Odoo was never reached"), "{body}");
    let out = tokio::process::Command::new(crate::common::BIN)
        .args(["healthcheck", "--url", &daemon.url("/readyz")])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Odoo was never reached"), "{stderr}");
    assert!(
        daemon.log().contains("degraded: Odoo unreachable"),
        "{}",
        daemon.log()
    );
    let (code, log) = daemon.stop(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{log}");

    // Nothing listens: a clear message and exit 1.
    let out = tokio::process::Command::new(crate::common::BIN)
        .args(["healthcheck", "--url", "http://127.0.0.1:1/readyz"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is `relanced run` running"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_stopped_by_an_unreachable_smtp_server_is_said_in_metrics_readyz_and_log() {
    let sim = sim(30, Duration::ZERO).await;
    let dir = tempfile::tempdir().unwrap();
    let ledger_url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let smtp = free_port();
    let config = config_text(&sim, dir.path(), &ledger_url, port, 60)
        .replace("transport = \"files\"", "transport = \"smtp\"")
        + &format!(
            "\n[mail.smtp]\nhost = \"127.0.0.1\"\nport = {smtp}\ntls = \"none\"\ntimeout_secs = 5\n"
        );
    let daemon = Daemon::start(dir.path(), &config, port);
    let server = format!("relanced_server_up{{server=\"SMTP 127.0.0.1:{smtp}\"}}");
    daemon
        .wait_metric(&server, |v| v == 0.0, Duration::from_secs(90))
        .await;
    assert_eq!(
        daemon
            .metric("relanced_runs_total{result=\"failed\"}")
            .await,
        Some(1.0)
    );
    let odoo = daemon
        .get("/metrics")
        .await
        .map(|(_, m)| m)
        .unwrap_or_default();
    assert!(
        odoo.lines().any(
            |l| l.starts_with("relanced_server_up{server=\"Odoo 127.0.0.1:") && l.ends_with(" 1")
        ),
        "Odoo was reached: {odoo}"
    );
    let (code, body) = daemon.get("/readyz").await.unwrap();
    assert_eq!(code, 503);
    assert!(
        body.contains(&format!("SMTP server 127.0.0.1:{smtp}")),
        "{body}"
    );
    let log = daemon.log();
    assert!(
        log.contains(&format!("stopped: SMTP 127.0.0.1:{smtp} unreachable"))
            && log.contains("customers left for the next run"),
        "{log}"
    );
    let (code, log) = daemon.stop(Duration::from_secs(30)).await;
    assert_eq!(code, 0, "{log}");
}
