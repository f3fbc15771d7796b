//! The double's switches do what the tests and benchmarks rely on: latency is
//! observed, 502 is answered, a dropped connection is an error for reqwest,
//! injected faults hit only the calls they match, slow pages are slow, and the
//! call log counts calls and writes.

use crate::support::{execute_kw, fault, leaf, value};
use odoo_double::generator::{BOT_PASSWORD, BOT_UID, DEMO_DB};
use odoo_double::{
    Fault, GeneratorOptions, Matcher, OdooVersion, Sim, SimHandle, SimOptions, World,
};
use odoo_wire::Struct;
use odoo_wire::Value;
use std::time::{Duration, Instant};

async fn start() -> SimHandle {
    let options = GeneratorOptions {
        customers: 30,
        ..GeneratorOptions::default()
    };
    Sim::start(SimOptions {
        version: OdooVersion::V18,
        world: World::generated(&options),
    })
    .await
    .unwrap()
}

async fn count_partners(sim: &SimHandle) -> Result<odoo_wire::xmlrpc::Response, reqwest::Error> {
    execute_kw(
        sim,
        DEMO_DB,
        BOT_UID,
        BOT_PASSWORD,
        "res.partner",
        "search_count",
        vec![Value::Array(vec![])],
        Struct::new(),
    )
    .await
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sim = start().await;
    let t = Instant::now();
    value(count_partners(&sim).await.unwrap());
    let fast = t.elapsed();
    sim.switches().set_latency(Duration::from_millis(300));
    let t = Instant::now();
    value(count_partners(&sim).await.unwrap());
    let slow = t.elapsed();
    assert!(
        slow >= Duration::from_millis(300),
        "answered in {slow:?} despite 300 ms latency"
    );
    assert!(slow > fast);
}

#[tokio::test]
async fn bad_gateway_answers_502_for_n_calls_then_recovers() {
    let sim = start().await;
    sim.switches().bad_gateway_next(2);
    for _ in 0..2 {
        let err = count_partners(&sim).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    }
    value(count_partners(&sim).await.unwrap());
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_for_the_client() {
    let sim = start().await;
    sim.switches().drop_next(1);
    let err = count_partners(&sim).await.unwrap_err();
    assert!(
        err.status().is_none(),
        "a dropped connection has no HTTP status: {err}"
    );
    value(count_partners(&sim).await.unwrap());
}

#[tokio::test]
async fn injected_faults_hit_only_matching_calls_and_only_n_times() {
    let sim = start().await;
    let partners = value(
        execute_kw(
            &sim,
            DEMO_DB,
            BOT_UID,
            BOT_PASSWORD,
            "res.partner",
            "search",
            vec![Value::Array(vec![leaf("customer_rank", ">", 0)])],
            Struct::new().with("limit", 2i64),
        )
        .await
        .unwrap(),
    )
    .as_ids()
    .unwrap();
    let (target, other) = (partners[0], partners[1]);
    let injected = Fault::Injected { code: 1, string: "Traceback (most recent call last):\npsycopg2.errors.SerializationFailure: could not serialize access".into() };
    sim.switches().fail_matching(
        Matcher::call("res.partner", "write").on_record(target),
        Some(1),
        injected,
    );
    let write = |id: i64| {
        let sim = &sim;
        async move {
            let vals = Struct::new().with("comment", "x");
            execute_kw(
                sim,
                DEMO_DB,
                BOT_UID,
                BOT_PASSWORD,
                "res.partner",
                "write",
                vec![Value::Array(vec![Value::Int(id)]), Value::Struct(vals)],
                Struct::new(),
            )
            .await
            .unwrap()
        }
    };
    assert_eq!(value(write(other).await), Value::Bool(true));
    let (code, text) = fault(write(target).await);
    assert_eq!(code, 1);
    assert!(text.ends_with("could not serialize access"));
    assert_eq!(
        value(write(target).await),
        Value::Bool(true),
        "the fault was for one call only"
    );
    sim.switches().fail_next(1, Fault::AccessDenied);
    assert_eq!(fault(count_partners(&sim).await.unwrap()).0, 3);
    value(count_partners(&sim).await.unwrap());
}

#[tokio::test]
async fn slow_pages_delay_large_answers_only() {
    let sim = start().await;
    sim.switches()
        .set_slow_pages(20, Duration::from_millis(1500));
    let search = |limit: i64| {
        let sim = &sim;
        async move {
            let t = Instant::now();
            value(
                execute_kw(
                    sim,
                    DEMO_DB,
                    BOT_UID,
                    BOT_PASSWORD,
                    "res.partner",
                    "search",
                    vec![Value::Array(vec![])],
                    Struct::new().with("limit", limit),
                )
                .await
                .unwrap(),
            );
            t.elapsed()
        }
    };
    assert!(search(5).await < Duration::from_millis(1500));
    assert!(search(25).await >= Duration::from_millis(1500));
}

#[tokio::test]
async fn the_call_log_counts_calls_and_writes() {
    let sim = start().await;
    value(count_partners(&sim).await.unwrap());
    value(count_partners(&sim).await.unwrap());
    let vals = Struct::new().with("name", "Relance 1");
    value(
        execute_kw(
            &sim,
            DEMO_DB,
            BOT_UID,
            BOT_PASSWORD,
            "res.partner.category",
            "create",
            vec![Value::Struct(vals)],
            Struct::new(),
        )
        .await
        .unwrap(),
    );
    let counts = sim.switches().call_counts();
    assert_eq!(
        counts.get(&("res.partner".into(), "search_count".into())),
        Some(&2)
    );
    assert_eq!(
        counts.get(&("res.partner.category".into(), "create".into())),
        Some(&1)
    );
    assert_eq!(sim.write_calls(), 1);
    assert_eq!(sim.calls().len(), 3);
    sim.stop().await;
}
