//! Ledger write throughput on SQLite (WAL, `synchronous=FULL`, a real file): what the
//! executor pays per action. Baseline: recording actions one per call (one transaction,
//! one fsync each). Compared in the same run: one batched `record_planned` call, a batched
//! rerun on known keys, the per-action `mark_started` + `mark_done` pair, and reading an
//! action back. The machine is shared, so the phases are interleaved in rounds and the
//! median per-round ratio to the baseline is printed along with median figures.
//!
//! Run: `cargo bench --bench ledger_throughput` (or `--profile dev` to reuse debug builds;
//! the cost is dominated by fsync either way). `LEDGER_BENCH_N` sets actions per round,
//! `LEDGER_BENCH_ROUNDS` the number of rounds.

use std::time::Instant;

use chrono::NaiveDate;
use relanced::ledger::{
    ActionKey, ActionKind, Completion, Ledger, NewAction, Occasion, RunId, RunKind,
};

fn planned(customer: i64, day: NaiveDate) -> NewAction {
    NewAction {
        key: ActionKey {
            company_id: 1.into(),
            customer_id: customer.into(),
            level_key: "amical".into(),
            occasion: Occasion::AsOf(day),
            kind: ActionKind::Email,
            part: None,
        },
        level_index: 1,
        recipients: vec![format!("billing{customer}@example.com")],
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

const PHASES: [&str; 5] = [
    "record_planned, 1 action per call (baseline)",
    "record_planned, 1 batched call",
    "record_planned, batched rerun (all existing)",
    "mark_started + mark_done per action",
    "action(id) read",
];

/// One round: µs per action of each phase, in `PHASES` order.
async fn round(
    ledger: &Ledger,
    run: RunId,
    day: NaiveDate,
    first: i64,
    n: usize,
) -> Result<[f64; 5], Box<dyn std::error::Error>> {
    let per_action = |start: Instant| start.elapsed().as_secs_f64() * 1e6 / n as f64;
    let customers = first..first + n as i64;

    let start = Instant::now();
    let mut ids = Vec::with_capacity(n);
    for customer in customers.clone() {
        let recorded = ledger
            .record_planned(run, &[planned(customer, day)])
            .await?;
        ids.push(recorded[0].action.id);
    }
    let single = per_action(start);

    let batch: Vec<_> = customers.map(|c| planned(c + 1_000_000, day)).collect();
    let start = Instant::now();
    ledger.record_planned(run, &batch).await?;
    let batched = per_action(start);

    let start = Instant::now();
    let again = ledger.record_planned(run, &batch).await?;
    let rerun = per_action(start);
    assert!(
        again.iter().all(|r| r.existing),
        "rerun recorded new actions"
    );

    let start = Instant::now();
    for id in &ids {
        ledger.mark_started(*id).await?;
        ledger.mark_done(*id, Completion::default()).await?;
    }
    let lifecycle = per_action(start);

    let start = Instant::now();
    for id in &ids {
        ledger.action(*id).await?;
    }
    let read = per_action(start);
    Ok([single, batched, rerun, lifecycle, read])
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n = env("LEDGER_BENCH_N", 100);
    let rounds = env("LEDGER_BENCH_ROUNDS", 5).max(1);
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let ledger = Ledger::open(&url).await?;
    let day = NaiveDate::from_ymd_opt(2026, 1, 4).ok_or("date")?;
    let run = ledger.begin_run(RunKind::Once, day).await?;

    let mut figures: Vec<[f64; 5]> = Vec::with_capacity(rounds);
    for r in 0..rounds {
        figures.push(round(&ledger, run, day, (r * n) as i64, n).await?);
    }
    println!(
        "ledger_throughput (SQLite WAL, synchronous=FULL, {rounds} rounds of {n} actions; medians)"
    );
    for (phase, name) in PHASES.iter().enumerate() {
        let us = median(figures.iter().map(|f| f[phase]).collect());
        let ratio = median(figures.iter().map(|f| f[phase] / f[0]).collect());
        println!("  {name:<46} {us:>9.1} µs/action  ratio {ratio:>6.3}");
    }
    ledger.close().await;
    Ok(())
}
