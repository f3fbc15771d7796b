//! A whole `relanced once` (the real binary) over a generated book against the Odoo
//! double with injected latency, emails to aiosmtpd and letters through the warm
//! WeasyPrint pool (customers without an email get one). Baseline, measured in the same
//! run on the same book: `[mail] transport = "files"` with every customer given an email
//! (no letter); then files with letters. Prints wall time, Odoo calls and write calls per
//! acted customer (from the double's call log), ledger actions per customer, and where
//! the time went: the run's own `timings` (waiting for Odoo, ledger transactions,
//! templates, PDF, mail, the rest), the double's side of the waiting (its work and the
//! latency it injected), and CPU (relanced's own, from its report; WeasyPrint's, the rest
//! of the children's CPU the bench waited for). `relanced plan` on the same book is
//! timed too: reading and deciding without executing.
//!
//! `RUN_BENCH_CUSTOMERS` (default 5000), `RUN_BENCH_LATENCY_MS` (default 20: a nearby
//! Odoo server; 0 shows relanced alone).

#[path = "../tests/common/mod.rs"]
mod common;

use common::act;
use common::smtp as smtp_support;

use act::*;
use odoo_double::{GeneratorOptions, World};
use relanced::ledger::{ActionFilter, Ledger};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

struct Figures {
    wall: Duration,
    /// The run's own `timings` (relanced's report).
    timings: serde_json::Value,
    /// The double's side: requests served, its own work, the latency it injected.
    served: odoo_double::Served,
    /// CPU of relanced and the processes it waited for (WeasyPrint), seconds.
    children_cpu: f64,
    /// `relanced plan` on the same book: reading Odoo and deciding, nothing executed.
    plan: Duration,
    acted: u64,
    customers_touched: u64,
    calls: usize,
    writes: u64,
    by_method: BTreeMap<(String, String), usize>,
    actions: usize,
    emails: u64,
    letters: u64,
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn measure(customers: usize, latency: Duration, mail: Mail, letters: bool) -> Figures {
    let as_of = d("2026-11-22");
    let mut world = World::generated(&GeneratorOptions {
        seed: 11,
        customers,
        as_of,
        us_company: false,
        ..Default::default()
    });
    if !letters {
        // Everyone reachable by email: no letter replaces an email.
        if let Some(t) = world.tables.get_mut("res.partner") {
            for (id, row) in t.rows.iter_mut() {
                if row.get("email").and_then(|v| v.as_str()).is_none() {
                    row.insert("email", format!("p{id}@bench.example").as_str().into());
                }
            }
        }
    }
    let install = Install::start(world, mail, STRATEGY_S).await;
    install.sim.switches().set_latency(latency);
    let started = Instant::now();
    install.plan_json(as_of).await;
    let plan = started.elapsed();
    install.sim.switches().reset_log();
    let cpu_before = relanced::timing::Cpu::now().children_seconds;
    let started = Instant::now();
    let run = install.once(as_of).await;
    let wall = started.elapsed();
    let children_cpu = relanced::timing::Cpu::now().children_seconds - cpu_before;
    let served = install.sim.switches().served();
    let timings = serde_json::from_str::<serde_json::Value>(&run.stdout)
        .ok()
        .map(|j| j["timings"].clone())
        .expect("the run's timings");
    assert!(
        matches!(run.code, Some(0) | Some(3)),
        "the run failed: {}",
        run.stderr
    );
    let per_level: u64 = run.report["per_level"]
        .as_object()
        .map(|m| m.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or(0);
    let ledger = Ledger::open(&format!("sqlite://{}", install.ledger_path().display()))
        .await
        .expect("ledger");
    let actions = ledger
        .list_actions(ActionFilter {
            run: None,
            state: None,
        })
        .await
        .expect("actions");
    let touched = actions
        .iter()
        .map(|a| a.customer_id)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as u64;
    Figures {
        wall,
        timings,
        served,
        children_cpu,
        plan,
        acted: per_level,
        customers_touched: touched,
        calls: install.sim.calls().len(),
        writes: install.sim.write_calls(),
        by_method: install.sim.switches().call_counts(),
        actions: actions.len(),
        emails: report_count(&run.report, "emails"),
        letters: report_count(&run.report, "letters"),
    }
}

fn main() {
    let customers = env("RUN_BENCH_CUSTOMERS", 5000) as usize;
    let latency = Duration::from_millis(env("RUN_BENCH_LATENCY_MS", 20));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let baseline = measure(customers, latency, Mail::Files, false).await;
        let files_letters = measure(customers, latency, Mail::Files, true).await;
        let smtp = smtp_support::Aiosmtpd::start();
        let real = measure(customers, latency, Mail::Smtp(smtp.port), true).await;
        assert_eq!(smtp.messages().len() as u64, real.emails, "every email arrived");
        println!(
            "run bench: {customers} generated customers (company 1 followed), Odoo latency {} ms/call",
            latency.as_millis()
        );
        let floor = |f: &Figures| latency * f.calls as u32;
        for (name, f) in [
            ("files, no letter (baseline)", &baseline),
            ("files + letters", &files_letters),
            ("SMTP + letters", &real),
        ] {
            let acted = f.acted.max(1) as f64;
            println!(
                "{name:<28} wall {:>7.2} s ({:.3} × baseline; plan alone {:.2} s) | acted {} (touched {}) | emails {} letters {} | \
                 Odoo calls {} ({:.2}/acted), writes {} ({:.2}/acted) | latency floor {:.2} s ({:.0}% of wall) | \
                 ledger actions {:.2}/touched customer",
                f.wall.as_secs_f64(),
                f.wall.as_secs_f64() / baseline.wall.as_secs_f64(),
                f.plan.as_secs_f64(),
                f.acted,
                f.customers_touched,
                f.emails,
                f.letters,
                f.calls,
                f.calls as f64 / acted,
                f.writes,
                f.writes as f64 / acted,
                floor(f).as_secs_f64(),
                100.0 * floor(f).as_secs_f64() / f.wall.as_secs_f64(),
                f.actions as f64 / f.customers_touched.max(1) as f64,
            );
        }
        println!(
            "Where the time went (seconds; % of the run's own wall time). Odoo = waiting for answers: \
             the double's work + injected latency + HTTP/codec on both sides. relanced = ledger + \
             templates + mail + other."
        );
        for (name, f) in [
            ("files, no letter (baseline)", &baseline),
            ("files + letters", &files_letters),
            ("SMTP + letters", &real),
        ] {
            let t = &f.timings;
            let g = |k: &str| t[k].as_f64().unwrap_or(0.0);
            let wall = g("wall").max(1e-9);
            let pct = |x: f64| 100.0 * x / wall;
            let working = f.served.working.as_secs_f64();
            let delayed = f.served.delayed.as_secs_f64();
            let http = (g("odoo") - working - delayed).max(0.0);
            let ours = g("ledger") + g("render") + g("mail") + g("other");
            let own_cpu = t["cpu"]["own_seconds"].as_f64().unwrap_or(0.0);
            println!(
                "{name:<28} run {wall:>7.2} s | Odoo {:>6.2} ({:>4.1}%) = double {:.2} + latency {:.2} + http {:.2} | \
                 PDF {:>6.2} ({:>4.1}%, {} letters) | ledger {:>6.2} ({:>4.1}%, {} tx) | templates {:>5.2} ({:>4.1}%) | \
                 mail {:>5.2} ({:>4.1}%) | other {:>5.2} ({:>4.1}%) | relanced total {:>4.1}% | \
                 CPU relanced {:.2} s ({:.1}% of run), WeasyPrint {:.2} s",
                g("odoo"),
                pct(g("odoo")),
                working,
                delayed,
                http,
                g("pdf"),
                pct(g("pdf")),
                t["pdfs"],
                g("ledger"),
                pct(g("ledger")),
                t["ledger_transactions"],
                g("render"),
                pct(g("render")),
                g("mail"),
                pct(g("mail")),
                g("other"),
                pct(g("other")),
                pct(ours),
                own_cpu,
                pct(own_cpu),
                (f.children_cpu - own_cpu).max(0.0),
            );
        }
        println!("Odoo calls by model.method (SMTP run), per acted customer:");
        for ((model, method), n) in &real.by_method {
            println!(
                "  {model}.{method:<24} {n:>6}  {:.3}",
                *n as f64 / real.acted.max(1) as f64
            );
        }
    });
}
