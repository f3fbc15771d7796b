//! Fast on a real Odoo (issue 13): the release binary `target/release/relanced` against a
//! real Odoo 18.0 over XML-RPC and 19.0 over JSON-2, each with `workers = 0` (one process)
//! and `workers = 2` (prefork, as production runs), on a book of N customers with 5 open
//! posted invoices each (built once per version with `odoo-shell`, copied before each
//! configuration with `odoo-new-db DIR runN book`). Per configuration, in the same run:
//!
//! - the floor: the reads any dunning run needs, raw HTTP, answers not decoded (`floor.rs`);
//! - `relanced plan`: wall time, × the floor, requests Odoo logged, CPU;
//! - `relanced once` (email to files, note, marker for everyone): wall time, Odoo calls
//!   and writes, calls per acted customer, relanced's CPU (`wait4`), Odoo's and its
//!   PostgreSQL's CPU (`/proc`), where the time went; then the effects read back.
//!
//! Reproduce: `cargo build --release && cargo bench --bench speed` (needs the kit in
//! `../shared/odoo-real/` or `RELANCED_SHARED`). `SPEED_BENCH_CUSTOMERS` (default 4000),
//! `SPEED_BENCH_ONLY` (comma-separated among `18-xmlrpc-w0,18-xmlrpc-w2,19-json2-w0,19-json2-w2`),
//! `SPEED_BENCH_PAGE_SIZE` (default 2000, relanced's default `odoo.page_size`),
//! `SPEED_BENCH_BASELINE` (another relanced binary, e.g. a release build of an older
//! commit: its `once` is measured too, on its own fresh copy of the book, in the same run,
//! and the speed-up reported).

#[path = "speed/book.rs"]
mod book;
#[path = "speed/floor.rs"]
mod floor;
#[path = "speed/kit.rs"]
mod kit;
#[path = "speed/run.rs"]
mod run;

use floor::Floor;
use kit::{Server, env_or};
use run::{AS_OF, Install};
use std::time::Duration;

/// One measured configuration.
struct Target {
    name: &'static str,
    version: &'static str,
    protocol: &'static str,
    workers: u32,
}

const TARGETS: [Target; 4] = [
    Target {
        name: "18-xmlrpc-w0",
        version: "18.0",
        protocol: "xmlrpc",
        workers: 0,
    },
    Target {
        name: "18-xmlrpc-w2",
        version: "18.0",
        protocol: "xmlrpc",
        workers: 2,
    },
    Target {
        name: "19-json2-w0",
        version: "19.0",
        protocol: "json2",
        workers: 0,
    },
    Target {
        name: "19-json2-w2",
        version: "19.0",
        protocol: "json2",
        workers: 2,
    },
];

/// The figures of one configuration, one table row each for reading and acting.
struct Row {
    name: &'static str,
    floor: Floor,
    plan: String,
    once: String,
    effects: String,
    /// The baseline binary's `once`, when `SPEED_BENCH_BASELINE` names one.
    baseline: Option<String>,
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

async fn measure(server: &mut Server, book: &book::Book, t: &Target, n: u32) -> Row {
    let page_size = env_or("SPEED_BENCH_PAGE_SIZE", 2000) as usize;
    server.set_workers(t.workers);
    let db = format!("run{n}");
    server.copy_book(&db).await;
    let reader = floor::Reader {
        server,
        db: &db,
        protocol: t.protocol,
        uid: book.uid,
        key: &book.key,
        page_size,
    };
    let requests = reader.requests().await;
    // The floor is the better of two passes (the first also warms Odoo's caches).
    let (a, b) = (
        reader.measure(&requests).await,
        reader.measure(&requests).await,
    );
    let floor = if a.time <= b.time { a } else { b };
    let f = secs(floor.time);
    eprintln!(
        "speed bench: {}: floor {f:.2} s, {} calls, {} bytes",
        t.name, floor.calls, floor.bytes
    );

    let install = Install::new(server, book, &db, t.protocol, page_size, &kit::bin());
    let (requests0, cpu0) = (server.requests(), server.cpu());
    let plan = install.run(&["plan", "--as-of", AS_OF, "--format", "json"], "plan");
    let (requests1, cpu1) = (server.requests(), server.cpu());
    assert_eq!(
        plan.code,
        Some(0),
        "{}: plan failed: {}",
        t.name,
        plan.stderr_tail
    );
    let plan_text = format!(
        "{:.2} s | **{:.2}×** | {} | {:.2} s | {:.2} s + PG {:.2} s",
        secs(plan.wall),
        secs(plan.wall) / f,
        requests1 - requests0,
        plan.cpu,
        cpu1.0 - cpu0.0,
        cpu1.1 - cpu0.1,
    );
    eprintln!("speed bench: {}: plan {plan_text}", t.name);

    let once = install.run(&["once", "--as-of", AS_OF, "--json"], "once");
    let (requests2, cpu2) = (server.requests(), server.cpu());
    let r = run::once_report(&once.stdout);
    if once.code != Some(0) {
        eprintln!(
            "speed bench: {}: once exited {:?}: {}",
            t.name, once.code, once.stderr_tail
        );
    }
    let once_text = format!(
        "{:.1} s | {:.1}× | {} ({} logged) / {} | {} | {:.2} | {:.1} s | {:.1} s + PG {:.1} s | {} ledger tx; {}",
        secs(once.wall),
        secs(once.wall) / f,
        r.calls,
        requests2 - requests1,
        r.writes,
        r.acted,
        r.calls as f64 / r.acted.max(1) as f64,
        once.cpu,
        cpu2.0 - cpu1.0,
        cpu2.1 - cpu1.1,
        r.ledger_transactions,
        r.timings,
    );
    eprintln!("speed bench: {}: once {once_text}", t.name);
    let effects = install.effects(server, book).await;
    eprintln!("speed bench: {}: effects: {effects}", t.name);
    let baseline = match std::env::var_os("SPEED_BENCH_BASELINE") {
        Some(binary) => Some(baseline(server, book, t, n, page_size, &binary, &once).await),
        None => None,
    };
    Row {
        name: t.name,
        floor,
        plan: plan_text,
        once: once_text,
        effects,
        baseline,
    }
}

/// The baseline binary's `once` on its own fresh copy of the book, against `once` (the
/// binary under test, measured just before on the same server and configuration).
async fn baseline(
    server: &mut Server,
    book: &book::Book,
    t: &Target,
    n: u32,
    page_size: usize,
    binary: &std::ffi::OsStr,
    new: &run::Measured,
) -> String {
    let db = format!("run{n}base");
    server.copy_book(&db).await;
    let install = Install::new(
        server,
        book,
        &db,
        t.protocol,
        page_size,
        std::path::Path::new(binary),
    );
    let (requests0, cpu0) = (server.requests(), server.cpu());
    let once = install.run(&["once", "--as-of", AS_OF, "--json"], "once");
    let (requests1, cpu1) = (server.requests(), server.cpu());
    let r = run::once_report(&once.stdout);
    let effects = install.effects(server, book).await;
    let text = format!(
        "{:.1} s | {:.1} s | **{:.2}×** | {} logged / {} writes | {:.2} | {:.1} s | {:.1} s + PG {:.1} s | {}",
        secs(once.wall),
        secs(new.wall),
        secs(once.wall) / secs(new.wall),
        requests1 - requests0,
        r.writes,
        r.calls as f64 / r.acted.max(1) as f64,
        once.cpu,
        cpu1.0 - cpu0.0,
        cpu1.1 - cpu0.1,
        effects,
    );
    eprintln!("speed bench: {}: baseline once {text}", t.name);
    text
}

fn main() {
    let customers = env_or("SPEED_BENCH_CUSTOMERS", 4000) as usize;
    let only = std::env::var("SPEED_BENCH_ONLY").unwrap_or_default();
    let chosen: Vec<&Target> = TARGETS
        .iter()
        .filter(|t| only.is_empty() || only.split(',').any(|o| o.trim() == t.name))
        .collect();
    assert!(
        !chosen.is_empty(),
        "SPEED_BENCH_ONLY names no configuration"
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut rows = Vec::new();
    let mut books = Vec::new();
    for version in ["18.0", "19.0"] {
        let targets: Vec<&&Target> = chosen.iter().filter(|t| t.version == version).collect();
        if targets.is_empty() {
            continue;
        }
        let mut server = Server::up(version);
        let book = book::build(&server, customers);
        let how = match book.invoices_s {
            Some(s) => format!("built in {:.0} s (invoices {s:.0} s)", secs(book.took)),
            None => format!("restored from the cache in {:.0} s", secs(book.took)),
        };
        let line = format!(
            "Odoo {version}: book of {customers} customers, {} invoices, {how}",
            customers * 5
        );
        eprintln!("speed bench: {line}");
        books.push(line);
        for (n, t) in targets.iter().enumerate() {
            rows.push(rt.block_on(measure(&mut server, &book, t, n as u32 + 1)));
        }
        assert_eq!(server.version, version);
        server.down();
    }
    println!("\n{}\n", books.join("; "));
    println!(
        "| configuration | floor | floor calls | floor MB | `plan` | × floor | requests | relanced CPU | Odoo CPU |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {:.2} s | {} | {:.1} | {} |",
            r.name,
            secs(r.floor.time),
            r.floor.calls,
            r.floor.bytes as f64 / 1e6,
            r.plan
        );
    }
    println!(
        "\n| configuration | `once` | × floor | Odoo calls (logged) / writes | acted | calls per acted | relanced CPU | Odoo CPU | where the time went | effects |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for r in &rows {
        println!("| {} | {} | effects: {} |", r.name, r.once, r.effects);
    }
    if rows.iter().any(|r| r.baseline.is_some()) {
        println!(
            "\n| configuration | baseline `once` | `once` | speed-up | baseline requests / writes | baseline calls per acted | baseline CPU | Odoo CPU | baseline effects |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for r in &rows {
            if let Some(b) = &r.baseline {
                println!("| {} | {b} |", r.name);
            }
        }
    }
}
