//! Protocol details of the double beyond the recordings: `/web/version`,
//! JSON-2 on a generated 19 world (named arguments, lists of ids for
//! creations, the database header), and unknown paths.

use odoo_double::generator::{BOT_API_KEY, DEMO_DB};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimHandle, SimOptions};
use serde_json::{Value as Json, json};

async fn start(version: OdooVersion) -> SimHandle {
    let options = GeneratorOptions {
        customers: 15,
        version,
        ..GeneratorOptions::default()
    };
    Sim::start(SimOptions::generated(&options)).await.unwrap()
}

async fn json2(sim: &SimHandle, db: &str, path: &str, body: Json) -> (u16, Json) {
    let reply = reqwest::Client::new()
        .post(format!("{}/json/2/{path}", sim.url()))
        .header("Authorization", format!("bearer {BOT_API_KEY}"))
        .header("X-Odoo-Database", db)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    (status, reply.json().await.unwrap_or(Json::Null))
}

#[tokio::test]
async fn web_version_names_the_version_played() {
    for (version, major) in [(OdooVersion::V18, 18), (OdooVersion::V19, 19)] {
        let sim = start(version).await;
        let v: Json = reqwest::get(format!("{}/web/version", sim.url()))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["version_info"][0], json!(major));
    }
}

#[tokio::test]
async fn json2_creates_lists_reads_back_and_checks_the_database() {
    let sim = start(OdooVersion::V19).await;
    let (status, ids) = json2(
        &sim,
        DEMO_DB,
        "res.partner.category/create",
        json!({"vals_list": [{"name": "Relance 1"}, {"name": "Relance 2"}]}),
    )
    .await;
    assert_eq!(status, 200);
    let ids: Vec<i64> = serde_json::from_value(ids).unwrap();
    assert_eq!(ids.len(), 2);
    let (status, rows) = json2(
        &sim,
        DEMO_DB,
        "res.partner.category/read",
        json!({"ids": ids, "fields": ["name"]}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(rows[1]["name"], json!("Relance 2"));
    let (status, lines) = json2(
        &sim,
        DEMO_DB,
        "account.move.line/search_read",
        json!({"domain": [["account_type", "=", "asset_receivable"], ["move_id.payment_state", "=", "partial"]], "fields": ["move_id", "no_followup"], "limit": 3}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(!lines.as_array().unwrap().is_empty());
    assert_eq!(lines[0]["no_followup"], json!(false));
    // An unknown database: real 19 finds no route and answers its HTML 404 page.
    let reply = reqwest::Client::new()
        .post(format!("{}/json/2/res.partner/search", sim.url()))
        .header("Authorization", format!("bearer {BOT_API_KEY}"))
        .header("X-Odoo-Database", "other_db")
        .json(&json!({"domain": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 404);
    let page = reply.text().await.unwrap();
    assert!(page.contains("No database is selected"), "{page}");
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let sim = start(OdooVersion::V19).await;
    let reply = reqwest::Client::new()
        .post(format!("{}/xmlrpc/object", sim.url()))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 404);
}
