//! Benchmarks of the Odoo double: generating a 20 000-customer world
//! (against cloning the same world, measured in the same run) and paging
//! through its open receivables over XML-RPC (against the same number of
//! trivial `version` calls). Prints figures and ratios; asserts nothing.
//!
//! Run: `cargo bench --bench sim_generator`

use relanced::odoo::sim::generator::{BOT_PASSWORD, BOT_UID, DEMO_DB};
use relanced::odoo::sim::{GeneratorOptions, OdooVersion, Sim, SimOptions, World};
use relanced::odoo::xmlrpc::{Response, decode_response, encode_call};
use relanced::odoo::{Struct, Value};
use std::time::{Duration, Instant};

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
    let t = Instant::now();
    let world = World::generated(&options);
    let generate = t.elapsed();
    let t = Instant::now();
    let copy = world.clone();
    let clone = t.elapsed();
    drop(copy);
    let items = world.tables["account.move.line"]
        .rows
        .values()
        .filter(|r| r.get("account_type") == Some(&Value::from("asset_receivable")))
        .count();
    println!(
        "generate: {} customers, {} invoices/entries, {} receivable items in {:.0} ms; clone of the same world {:.0} ms; ratio {:.2}",
        options.customers,
        world.count("account.move"),
        items,
        generate.as_secs_f64() * 1e3,
        clone.as_secs_f64() * 1e3,
        generate.as_secs_f64() / clone.as_secs_f64().max(1e-9)
    );

    let rt = tokio::runtime::Runtime::new().expect("tokio runtime");
    rt.block_on(async move {
        let sim = Sim::start(SimOptions { version: OdooVersion::V18, world }).await.expect("double");
        let client = reqwest::Client::new();
        let object = format!("{}/xmlrpc/2/object", sim.url());
        let common = format!("{}/xmlrpc/2/common", sim.url());
        let (mut last, mut pages, mut read) = (0i64, 0u32, 0usize);
        let t = Instant::now();
        loop {
            let domain = vec![leaf("account_type", "=", "asset_receivable"), leaf("reconciled", "=", false), leaf("id", ">", last)];
            let kwargs = Struct::new().with("fields", vec!["move_id", "partner_id", "date_maturity", "amount_residual", "currency_id"]).with("limit", 2000i64).with("order", "id");
            let params = vec![DEMO_DB.into(), BOT_UID.into(), BOT_PASSWORD.into(), "account.move.line".into(), "search_read".into(), Value::Array(vec![Value::Array(domain)]), Value::Struct(kwargs)];
            let page = post(&client, &object, "execute_kw", params).await;
            let page = page.as_array().expect("records").to_vec();
            pages += 1;
            read += page.len();
            match page.last().and_then(|r| r.as_struct()?.get("id")?.as_i64()) {
                Some(id) => last = id,
                None => break,
            }
        }
        let paging = t.elapsed();
        let t = Instant::now();
        for _ in 0..pages {
            post(&client, &common, "version", vec![]).await;
        }
        let baseline = t.elapsed().max(Duration::from_micros(1));
        println!(
            "paging: {read} open items in {pages} search_read pages of 2000 in {:.0} ms; {pages} version calls {:.0} ms; ratio {:.1}",
            paging.as_secs_f64() * 1e3,
            baseline.as_secs_f64() * 1e3,
            paging.as_secs_f64() / baseline.as_secs_f64()
        );
        sim.stop().await;
    });
}
