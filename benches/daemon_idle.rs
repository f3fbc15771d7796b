//! What an idle `relanced run` costs: resident memory (VmRSS, VmHWM from /proc) and CPU
//! time over an idle window, after one real run against the Odoo double (so the figures
//! include whatever a run leaves behind). Baseline, measured in the same run: a `sleep`
//! process over the same window.
//!
//! `DAEMON_BENCH_IDLE_SECS` (default 30) sets the window; `DAEMON_BENCH_CUSTOMERS` (default
//! 30) the size of the generated book.

#[path = "../tests/common/mod.rs"]
mod common;

use common::daemon::{Daemon, config_text, free_port, sim};
use std::time::{Duration, Instant};

fn status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim_start_matches(':')
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// utime + stime of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may contain spaces) start after ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let get = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    get(11) + get(12)
}

/// Processes whose parent is `pid` (a leftover WeasyPrint pool would show here).
fn children(pid: u32) -> usize {
    std::fs::read_dir("/proc")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter(|p| {
                    let stat =
                        std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
                    stat.rsplit_once(')')
                        .and_then(|(_, r)| r.split_whitespace().nth(1)?.parse::<u32>().ok())
                        == Some(pid)
                })
                .count()
        })
        .unwrap_or(0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let idle: u64 = std::env::var("DAEMON_BENCH_IDLE_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let customers: usize = std::env::var("DAEMON_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let sim = sim(customers, Duration::ZERO).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let ledger = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let port = free_port();
    let daemon = Daemon::start(
        dir.path(),
        &config_text(&sim, dir.path(), &ledger, port, 60),
        port,
    );
    let t0 = Instant::now();
    daemon
        .wait_metric(
            "relanced_runs_total{result=\"done\"}",
            |v| v >= 1.0,
            Duration::from_secs(300),
        )
        .await;
    let run_secs = t0.elapsed().as_secs_f64();
    let pid = daemon.child.id().expect("daemon running");
    let hwm_after_run = status_kb(pid, "VmHWM");
    // Let the run's leftovers settle, then measure the idle window.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut baseline = std::process::Command::new("sleep")
        .arg((idle + 5).to_string())
        .spawn()
        .expect("sleep");
    let (d0, b0) = (cpu_ticks(pid), cpu_ticks(baseline.id()));
    let w0 = Instant::now();
    let mut rss_max = 0;
    while w0.elapsed() < Duration::from_secs(idle) {
        rss_max = rss_max.max(status_kb(pid, "VmRSS"));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let wall = w0.elapsed().as_secs_f64();
    let (d1, b1) = (cpu_ticks(pid), cpu_ticks(baseline.id()));
    let rss = status_kb(pid, "VmRSS");
    let base_rss = status_kb(baseline.id(), "VmRSS");
    let (anon, file) = (status_kb(pid, "RssAnon"), status_kb(pid, "RssFile"));
    let kids = children(pid);
    let _ = baseline.kill();
    let _ = baseline.wait();
    let (code, _) = daemon.stop(Duration::from_secs(30)).await;
    let ticks_per_sec = 100.0; // USER_HZ on Linux
    let cpu = |t: u64| t as f64 / ticks_per_sec / wall * 100.0;
    println!(
        "daemon idle over {wall:.1} s after one run of {customers} customers ({run_secs:.1} s to ready + run):"
    );
    println!(
        "  {:<38} {:>10} {:>10} {:>12}",
        "", "daemon", "baseline", "ratio"
    );
    println!(
        "  {:<38} {:>7} kB {:>7} kB {:>12.1}",
        "VmRSS at the end of the window",
        rss,
        base_rss,
        rss as f64 / base_rss.max(1) as f64
    );
    println!(
        "  {:<38} {:>7} kB {:>10} {:>12}",
        "  of which anonymous (heap, stacks)", anon, "", ""
    );
    println!(
        "  {:<38} {:>7} kB {:>10} {:>12}",
        "  of which file-backed (code, libs)", file, "", ""
    );
    println!(
        "  {:<38} {:>7} kB {:>10} {:>12}",
        "VmRSS max during the window", rss_max, "", ""
    );
    println!(
        "  {:<38} {:>7} kB {:>10} {:>12}",
        "VmHWM (peak, includes the run)", hwm_after_run, "", ""
    );
    println!(
        "  {:<38} {:>9.3}% {:>9.3}% {:>12}",
        "CPU over the window",
        cpu(d1 - d0),
        cpu(b1 - b0),
        format!("+{} ticks", (d1 - d0).saturating_sub(b1 - b0))
    );
    println!("  child processes left while idle: {kids}; exit code after SIGTERM: {code}");
}
