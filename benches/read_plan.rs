//! Reading a book from Odoo and planning it, as `relanced plan` does: the Odoo double
//! holds a generated book of 20 000 customers (about 100 000 open items) and answers every
//! call after 2 ms of injected latency. Reports the number of Odoo calls (target: fewer
//! than 30 per 10 000 items), the wall time of reading against its latency floor
//! (calls × 2 ms, the baseline of the same run), the CPU time of planning, and the peak
//! memory (`VmHWM`) against the peak after the double's world was generated.
//!
//! Run: `cargo bench --bench read_plan` (release). `READ_PLAN_CUSTOMERS=N` for another size.

use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimOptions, World};
use relanced::config::{Protocol, Secret};
use relanced::followup::plan;
use relanced::ledger::FollowupState;
use relanced::odoo::features::ServerFeatures;
use relanced::odoo::snapshot::{SnapshotRequest, read_snapshot};
use relanced::odoo::{Connection, OdooClient};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .map(|v| v.trim().trim_end_matches(" kB").trim().to_owned())
        })
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn thread_cpu() -> Duration {
    let text = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = text
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let customers: usize = std::env::var("READ_PLAN_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid date");
    let world = World::generated(&GeneratorOptions {
        seed: 7,
        customers,
        as_of,
        version: OdooVersion::V18,
        us_company: false,
        ..Default::default()
    });
    let peak_world = peak_mib();
    let sim = Sim::start(SimOptions {
        version: OdooVersion::V18,
        world,
    })
    .await
    .expect("the double starts");
    let conn = Connection {
        url: url::Url::parse(&format!("{}/", sim.url())).expect("url"),
        database: DEMO_DB.into(),
        login: BOT_LOGIN.into(),
        key: Secret::new(BOT_API_KEY),
        protocol: Protocol::Auto,
        timeout: Duration::from_secs(120),
        attempts: 1,
        max_concurrency: 4,
        backoff: Duration::from_millis(100),
    };
    let client = OdooClient::new(conn).expect("client");
    let features = ServerFeatures::detect(&client).await.expect("features");
    client.session().await.expect("session");
    let config = relanced::config::load_str(
        &format!("[odoo]\nurl = \"{}\"\ndatabase = \"d\"\nlogin = \"l\"\napi_key = \"k\"\n[mail]\nfrom = \"a <a@b.c>\"\n", sim.url()),
        "bench",
        &Default::default(),
    )
    .expect("config");
    let set = &config.strategy_set;
    let markers: BTreeSet<&str> = set.marker_tags();
    let owned = BTreeSet::new();

    sim.switches().set_latency(Duration::from_millis(2));
    let calls_before = client.counters.calls.load(Ordering::Relaxed);
    let started = Instant::now();
    let mut snapshots = Vec::new();
    for company in [1, 2] {
        let request = SnapshotRequest {
            company_id: company,
            marker_tags: &markers,
            marker_owned: &owned,
            postponement_type: "Relance : report",
            page_size: 2000,
        };
        snapshots.push(
            read_snapshot(&client, &features, &request)
                .await
                .expect("snapshot"),
        );
    }
    let read_wall = started.elapsed();
    let calls = client.counters.calls.load(Ordering::Relaxed) - calls_before;
    let items: usize = snapshots.iter().map(|s| s.items.len()).sum();
    let peak_read = peak_mib();

    let ledger = FollowupState::default().engine_state(1);
    let cpu0 = thread_cpu();
    let t0 = Instant::now();
    let mut decisions = 0;
    for s in &snapshots {
        decisions += plan(s, &ledger, set, as_of).decisions.len();
    }
    let plan_wall = t0.elapsed();
    let plan_cpu = thread_cpu().saturating_sub(cpu0);
    let floor = Duration::from_millis(2) * calls as u32;

    println!(
        "book: {customers} customers, {items} open items read in 2 companies, {decisions} decisions"
    );
    println!(
        "Odoo calls: {calls} ({:.1} per 10 000 items; target < 30)",
        calls as f64 * 10_000.0 / items.max(1) as f64
    );
    println!(
        "reading: {:.2} s wall; latency floor (calls × 2 ms, baseline): {:.3} s; ratio {:.1}",
        read_wall.as_secs_f64(),
        floor.as_secs_f64(),
        read_wall.as_secs_f64() / floor.as_secs_f64().max(1e-9)
    );
    println!(
        "planning: {:.3} s wall, {:.3} s CPU (target < 1 s)",
        plan_wall.as_secs_f64(),
        plan_cpu.as_secs_f64()
    );
    println!(
        "peak memory: {peak_world:.1} MiB after generating the world (baseline), {peak_read:.1} MiB after reading, {:.1} MiB after planning",
        peak_mib()
    );
}
