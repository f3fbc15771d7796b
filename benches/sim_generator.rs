//! Benchmarks of the Odoo double: generating a 20 000-customer world
//! (against cloning the same world, measured in the same run) and paging
//! through its open receivables over XML-RPC (against the codec alone
//! encoding and decoding the same pages). Prints figures and ratios; asserts
//! nothing. CPU times are printed too: the machine may be shared.
//!
//! Run: `cargo bench --bench sim_generator`

use odoo_double::generator::{BOT_PASSWORD, BOT_UID, DEMO_DB};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimOptions, World};
use relanced::odoo::xmlrpc::{Response, decode_response, encode_call, encode_response};
use relanced::odoo::{Struct, Value};
use std::time::{Duration, Instant};

/// CPU time of this thread (user + system), from `/proc` on Linux; wall time
/// is misleading on a shared machine. `None` elsewhere.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

fn ms(d: Option<Duration>) -> String {
    d.map_or("n/a".into(), |d| format!("{:.0} ms", d.as_secs_f64() * 1e3))
}

fn leaf(f: &str, op: &str, v: impl Into<Value>) -> Value {
    Value::Array(vec![Value::from(f), Value::from(op), v.into()])
}

async fn post(client: &reqwest::Client, url: &str, method: &str, params: Vec<Value>) -> Value {
    let body = encode_call(method, &params).expect("encodable");
    let bytes = client
        .post(url)
        .body(body)
        .send()
        .await
        .expect("answer")
        .bytes()
        .await
        .expect("body");
    match decode_response(&bytes).expect("decodable") {
        Response::Value(v) => v,
        Response::Fault { code, string } => panic!("fault {code}: {string}"),
    }
}

fn main() {
    let options = GeneratorOptions {
        seed: 2026,
        customers: 20_000,
        invoices_per_customer: (2, 6),
        version: OdooVersion::V18,
        ..GeneratorOptions::default()
    };
    let (t, c) = (Instant::now(), thread_cpu());
    let world = World::generated(&options);
    let (generate, generate_cpu) = (t.elapsed(), thread_cpu().zip(c).map(|(b, a)| b - a));
    let (t, c) = (Instant::now(), thread_cpu());
    let copy = world.clone();
    let (clone, clone_cpu) = (t.elapsed(), thread_cpu().zip(c).map(|(b, a)| b - a));
    drop(copy);
    let items = world.tables["account.move.line"]
        .rows
        .values()
        .filter(|r| r.get("account_type") == Some(&Value::from("asset_receivable")))
        .count();
    println!(
        "generate: {} customers, {} invoices/entries, {} receivable items in {:.0} ms (cpu {}); clone of the same world {:.0} ms (cpu {}); ratio {:.2}",
        options.customers,
        world.count("account.move"),
        items,
        generate.as_secs_f64() * 1e3,
        ms(generate_cpu),
        clone.as_secs_f64() * 1e3,
        ms(clone_cpu),
        generate.as_secs_f64() / clone.as_secs_f64().max(1e-9)
    );

    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    rt.block_on(async move {
        let sim = Sim::start(SimOptions { version: OdooVersion::V18, world }).await.expect("double");
        let client = reqwest::Client::new();
        let object = format!("{}/xmlrpc/2/object", sim.url());
        let (mut last, mut pages, mut read) = (0i64, 0u32, 0usize);
        let mut kept: Vec<Value> = Vec::new();
        let t = Instant::now();
        loop {
            let domain = vec![leaf("account_type", "=", "asset_receivable"), leaf("reconciled", "=", false), leaf("id", ">", last)];
            let kwargs = Struct::new().with("fields", vec!["move_id", "partner_id", "date_maturity", "amount_residual", "currency_id"]).with("limit", 2000i64).with("order", "id");
            let params = vec![DEMO_DB.into(), BOT_UID.into(), BOT_PASSWORD.into(), "account.move.line".into(), "search_read".into(), Value::Array(vec![Value::Array(domain)]), Value::Struct(kwargs)];
            let page = post(&client, &object, "execute_kw", params).await;
            let page = page.as_array().expect("records").to_vec();
            pages += 1;
            read += page.len();
            let next = page.last().and_then(|r| r.as_struct()?.get("id")?.as_i64());
            kept.push(Value::Array(page));
            match next {
                Some(id) => last = id,
                None => break,
            }
        }
        let paging = t.elapsed();
        // Baseline: the codec alone writing and reading the same pages.
        let t = Instant::now();
        for page in &kept {
            let xml = encode_response(page).expect("encodable page");
            decode_response(xml.as_bytes()).expect("decodable page");
        }
        let baseline = t.elapsed().max(Duration::from_micros(1));
        println!(
            "paging: {read} open items in {pages} search_read pages of 2000 in {:.0} ms; codec round trip of the same pages {:.0} ms; ratio {:.2}",
            paging.as_secs_f64() * 1e3,
            baseline.as_secs_f64() * 1e3,
            paging.as_secs_f64() / baseline.as_secs_f64()
        );
        sim.stop().await;
    });
}
