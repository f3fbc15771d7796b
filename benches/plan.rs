//! Planning cost: 100 000 open items for 20 000 customers (seeded), planned once as of a
//! date with the shipped default strategy. Reports the CPU time of `plan` (median of 5
//! runs, thread CPU clock) against a baseline measured in the same run (cloning the
//! snapshot and sorting its items by customer and due date), and the peak resident
//! memory (`VmHWM`) against the peak after building the snapshot.
//!
//! Run: `cargo bench --bench plan` (release). Targets: < 1 s on one core, < 200 MB.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Days, NaiveDate};
use relanced::config::strategy::StrategyFile;
use relanced::followup::{
    Company, Contact, Customer, CustomerLast, Invoice, ItemLevel, LedgerState, OpenItem,
    Postponement, PostponementTarget, Snapshot, Tag, UserRef, plan,
};
use rust_decimal::Decimal;

const CUSTOMERS: i64 = 20_000;
const ITEMS: i64 = 100_000;
const RUNS: usize = 5;

/// xorshift64*: a small seeded generator, enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn generate(seed: u64, as_of: NaiveDate) -> (Snapshot, LedgerState) {
    let mut rng = Rng(seed);
    let states = [
        "not_paid",
        "not_paid",
        "not_paid",
        "partial",
        "paid",
        "in_payment",
    ];
    let mut s = Snapshot {
        company: Company {
            id: 1,
            name: "Bench".into(),
            currency: "EUR".into(),
            country_code: None,
        },
        ..Snapshot::default()
    };
    let mut ledger = LedgerState::default();
    for id in 1..=CUSTOMERS {
        let mut tags = Vec::new();
        if rng.below(50) == 0 {
            tags.push(Tag {
                id: 1,
                name: "Relance : exclu".into(),
            });
        }
        if rng.below(5) == 0 {
            tags.push(Tag {
                id: 12,
                name: "Relance 2 · Rappel standard".into(),
            });
        }
        s.customers.push(Customer {
            id: id.into(),
            name: format!("Client {id}"),
            lang: Some("fr_FR".into()),
            email: (rng.below(10) != 0).then(|| format!("c{id}@example.com")),
            is_company: rng.below(2) == 0,
            tags,
            salesperson: (rng.below(3) != 0).then(|| UserRef {
                id: 2,
                name: "Vendeur".into(),
            }),
            invoice_contacts: vec![Contact {
                id: id + 1_000_000,
                name: "Compta".into(),
                email: None,
                lang: None,
            }],
            ..Customer::default()
        });
        if rng.below(4) == 0 {
            let level = 1 + rng.below(3) as u32;
            let date = as_of - Days::new(rng.below(40));
            ledger.customer_last.insert(
                id.into(),
                CustomerLast {
                    level,
                    key: "amical".into(),
                    date,
                },
            );
        }
    }
    for id in 1..=ITEMS {
        let customer_id = 1 + rng.below(CUSTOMERS as u64) as i64;
        let due = as_of - Days::new(rng.below(120)) + Days::new(30);
        let credit = rng.below(20) == 0;
        let cents = 100 + rng.below(500_000) as i64;
        let amount = Decimal::new(if credit { -cents } else { cents }, 2);
        let name = format!("INV/2026/{id:06}");
        s.invoices.push(Invoice {
            id,
            name: name.clone(),
            payment_state: states[rng.below(states.len() as u64) as usize].into(),
            move_type: Some(if credit { "out_refund" } else { "out_invoice" }.into()),
            currency: "EUR".into(),
            ..Invoice::default()
        });
        s.items.push(OpenItem {
            id,
            move_id: id,
            move_name: name,
            customer_id: customer_id.into(),
            date: due,
            date_maturity: Some(due),
            residual_company: amount,
            residual_currency: amount,
            currency: "EUR".into(),
            company_currency: "EUR".into(),
            ..OpenItem::default()
        });
        if rng.below(3) == 0 {
            ledger.item_levels.insert(
                id,
                ItemLevel {
                    level: 1 + rng.below(3) as u32,
                    date: as_of,
                },
            );
        }
        if rng.below(100) == 0 {
            let deadline = Some(as_of + Days::new(rng.below(20)));
            s.postponements.push(Postponement {
                res_model: PostponementTarget::Invoice,
                res_id: id,
                deadline,
            });
        }
    }
    (s, ledger)
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Peak resident set size in MiB (`VmHWM`).
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(mut f: impl FnMut()) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = thread_cpu();
                f();
                thread_cpu() - start
            })
            .collect(),
    )
}

fn main() {
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 1).expect("valid date");
    let file: StrategyFile = toml::from_str(include_str!("../config/default-strategy.toml"))
        .expect("default strategy parses");
    let set = file
        .strategy_set(&|_| true)
        .expect("default strategy is valid");
    let (snapshot, ledger) = generate(0x5EED_2026, as_of);
    let peak_snapshot = peak_mib();

    let baseline = measure(|| {
        let mut copy = black_box(&snapshot).clone();
        copy.items.sort_by(|a, b| {
            (a.customer_id, a.due_date(), a.id).cmp(&(b.customer_id, b.due_date(), b.id))
        });
        black_box(copy);
    });
    let planning = measure(|| {
        black_box(plan(black_box(&snapshot), &ledger, &set, as_of));
    });
    let result = plan(&snapshot, &ledger, &set, as_of);
    let peak = peak_mib();
    let communications = result.communications().count();

    println!(
        "planning {ITEMS} open items for {CUSTOMERS} customers (median of {RUNS} runs, thread CPU time)"
    );
    println!(
        "  decisions: {}, communications: {communications}",
        result.decisions.len()
    );
    println!(
        "  baseline (clone snapshot + sort items): {:>8.1} ms",
        baseline.as_secs_f64() * 1e3
    );
    println!(
        "  plan:                                   {:>8.1} ms",
        planning.as_secs_f64() * 1e3
    );
    println!(
        "  ratio plan / baseline:                  {:>8.2}",
        planning.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "  peak memory after snapshot: {peak_snapshot:.1} MiB, after planning: {peak:.1} MiB (ratio {:.2})",
        peak / peak_snapshot
    );
    println!(
        "  targets: plan < 1000 ms: {}; peak < 200 MiB: {}",
        if planning < Duration::from_secs(1) {
            "met"
        } else {
            "MISSED"
        },
        if peak < 200.0 { "met" } else { "MISSED" }
    );
}
