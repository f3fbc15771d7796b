//! `relanced plan` end to end on a generated book of several hundred customers in two
//! currencies: the binary's JSON plan is exactly the plan the engine makes from what the
//! library reads from the same Odoo double, and the book's situations come out as
//! FOLLOWUP.md says (excluded, net credit, payment registered without journal entry,
//! postponement, no email → letter, step mode on a first run). It writes nothing.

use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{GeneratorOptions, World};
use relanced::config::{LoadOptions, Protocol, Secret};
use relanced::ledger::FollowupState;
use relanced::odoo::features::ServerFeatures;
use relanced::odoo::{Connection, OdooClient};
use std::collections::BTreeMap;

const AS_OF: &str = "2026-11-22";

fn config_text(dir: &std::path::Path, url: &str) -> String {
    format!(
        "[odoo]\nurl = \"{url}\"\ndatabase = \"{DEMO_DB}\"\nlogin = \"{BOT_LOGIN}\"\napi_key = {{ file = \"{key}\" }}\n\
         [ledger]\nurl = \"sqlite://{ledger}\"\n[mail]\ntransport = \"files\"\nfrom = \"Compta <compta@example.com>\"\n\
         outbox_dir = \"{outbox}\"\n[followup]\nfallback_user = 2\n",
        key = dir.join("key").display(),
        ledger = dir.join("ledger.db").display(),
        outbox = dir.join("outbox").display(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_on_a_generated_book_is_the_engines_plan_and_writes_nothing() {
    let as_of: chrono::NaiveDate = AS_OF.parse().unwrap();
    let world = World::generated(&GeneratorOptions {
        seed: 11,
        customers: 300,
        as_of,
        us_company: true,
        ..Default::default()
    });
    let sim = crate::common::start_double(world).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("key"), BOT_API_KEY).unwrap();
    let config_path = dir.path().join("relanced.toml");
    std::fs::write(&config_path, config_text(dir.path(), &sim.url())).unwrap();

    let out = tokio::process::Command::new(crate::common::BIN)
        .args([
            "--config",
            config_path.to_str().unwrap(),
            "plan",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let from_binary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON plans");

    // A dry run: no write reached Odoo, no ledger, no outbox.
    assert_eq!(sim.write_calls(), 0, "plan wrote to Odoo");
    assert!(
        !dir.path().join("ledger.db").exists(),
        "plan created the ledger"
    );
    assert!(!dir.path().join("outbox").exists(), "plan wrote documents");

    // The same plan, made by the library from what it reads.
    let config = relanced::config::load(&config_path, &LoadOptions::default()).unwrap();
    let client = OdooClient::new(Connection {
        url: url::Url::parse(&format!("{}/", sim.url())).unwrap(),
        database: DEMO_DB.into(),
        login: BOT_LOGIN.into(),
        key: Secret::new(BOT_API_KEY),
        protocol: Protocol::Auto,
        timeout: std::time::Duration::from_secs(30),
        attempts: 1,
        max_concurrency: 4,
        backoff: std::time::Duration::from_millis(10),
    })
    .unwrap();
    let features = ServerFeatures::detect(&client).await.unwrap();
    let state = FollowupState::default();
    let mut plans = Vec::new();
    for company in relanced::odoo::company::companies(&config, &client)
        .await
        .unwrap()
    {
        plans.push(
            relanced::operate::plan_company(&config, &client, &features, &state, company, as_of)
                .await
                .unwrap()
                .1,
        );
    }
    assert_eq!(
        from_binary,
        serde_json::to_value(&plans).unwrap(),
        "the binary's plan differs from the engine's"
    );

    // The situations of the book, as FOLLOWUP.md decides them.
    let decisions: Vec<&serde_json::Value> = from_binary
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["decisions"].as_array().unwrap().iter())
        .collect();
    assert!(decisions.len() >= 250, "{} decisions", decisions.len());
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut currencies = std::collections::BTreeSet::new();
    for d in &decisions {
        let outcome = &d["decision"];
        let kind = match outcome["kind"].as_str().unwrap() {
            "communicate" => {
                // A first run in step mode: every communication is level 1.
                assert_eq!(outcome["level"], 1, "{d}");
                if d["no_email"] == true {
                    assert!(
                        outcome["actions"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|a| a["kind"] == "letter"),
                        "{d}"
                    );
                }
                "communicate".to_owned()
            }
            _ => outcome["reason"]["kind"].as_str().unwrap().to_owned(),
        };
        *kinds.entry(kind).or_default() += 1;
        for t in d["totals"].as_array().unwrap() {
            currencies.insert(t["currency"].as_str().unwrap().to_owned());
        }
        for item in d["items"].as_array().unwrap() {
            if item["status"] == "payment_registered" {
                // Paid in Odoo, line still open: never due for any level.
                assert!(item["level_due"].is_null(), "{item}");
            }
        }
        if outcome["kind"] == "communicate" {
            // Level 1 is +3 days: some listed item is at least 3 days late and due for it.
            assert!(
                d["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i["level_due"] == 1 && i["days_overdue"].as_i64().unwrap() >= 3),
                "{d}"
            );
        }
        if d["explanation"]
            .as_str()
            .unwrap()
            .contains("Relance : exclu")
        {
            assert!(
                d["marker"].is_null(),
                "an excluded customer carries no marker: {d}"
            );
        }
    }
    for expected in ["communicate", "not_followed", "net_credit"] {
        assert!(
            kinds.get(expected).copied().unwrap_or(0) > 0,
            "no {expected} decision in {kinds:?}"
        );
    }
    assert!(
        currencies.contains("EUR") && currencies.contains("USD"),
        "{currencies:?}"
    );
    let registered = decisions
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap().iter())
        .filter(|i| i["status"] == "payment_registered")
        .count();
    assert!(
        registered > 0,
        "the book has payments registered without journal entry"
    );
    let postponed = decisions
        .iter()
        .flat_map(|d| d["items"].as_array().unwrap().iter())
        .filter(|i| i["status"] == "postponed")
        .count();
    assert!(postponed > 0, "the book has postponed invoices");
}
