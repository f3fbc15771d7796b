//! The operator's commands through the real binary against the Odoo double: `preview`
//! (what a customer would receive, in each format), `setup-odoo` (idempotent), and
//! `demo` (the README's first command: files and summary, a second run sends nothing).

use crate::common::files;

use files::walk;
use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, DEMO_DB};
use odoo_double::{GeneratorOptions, SimHandle, World};
use relanced::odoo::Value;
use std::path::Path;

const AS_OF: &str = "2026-11-22";

async fn generated(customers: usize) -> SimHandle {
    let as_of = AS_OF.parse().unwrap();
    let world = World::generated(&GeneratorOptions {
        seed: 5,
        customers,
        as_of,
        us_company: false,
        ..Default::default()
    });
    crate::common::start_double(world).await
}

fn write_config(dir: &Path, url: &str) -> std::path::PathBuf {
    std::fs::write(dir.join("key"), BOT_API_KEY).unwrap();
    let path = dir.join("relanced.toml");
    std::fs::write(
        &path,
        format!(
            "[odoo]\nurl = \"{url}\"\ndatabase = \"{DEMO_DB}\"\nlogin = \"{BOT_LOGIN}\"\napi_key = {{ file = \"{}\" }}\n\
             [ledger]\nurl = \"sqlite://{}\"\n[mail]\ntransport = \"files\"\nfrom = \"Compta <compta@example.com>\"\n\
             outbox_dir = \"{}\"\n[followup]\nfallback_user = 2\n",
            dir.join("key").display(),
            dir.join("ledger.db").display(),
            dir.join("outbox").display()
        ),
    )
    .unwrap();
    path
}

async fn relanced(args: &[&str]) -> (i32, String, String) {
    let out = tokio::process::Command::new(crate::common::BIN)
        .args(args)
        .output()
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A customer the plan reminds today, with its name.
async fn reminded_customer(config: &Path) -> (i64, String, String) {
    let (code, out, err) = relanced(&[
        "--config",
        config.to_str().unwrap(),
        "plan",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    let plans: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = plans
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["decisions"].as_array().unwrap().iter())
        .find(|d| {
            d["decision"]["kind"] == "communicate"
                && !d["recipients"].as_array().unwrap().is_empty()
        })
        .expect("someone is reminded")
        .clone();
    let item = d["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "overdue")
        .unwrap()["move_name"]
        .as_str()
        .unwrap()
        .to_owned();
    (
        d["customer_id"].as_i64().unwrap(),
        d["customer_name"].as_str().unwrap().to_owned(),
        item,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_shows_what_the_customer_would_receive_in_every_format() {
    let sim = generated(30).await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &sim.url());
    let (customer, name, item) = reminded_customer(&config).await;
    let c = config.to_str().unwrap();
    let id = customer.to_string();

    let (code, txt, err) = relanced(&[
        "--config",
        c,
        "preview",
        "--customer",
        &id,
        "--as-of",
        AS_OF,
        "--format",
        "txt",
        "--lang",
        "en_US",
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(txt.starts_with("Subject: "), "{txt}");
    assert!(txt.contains(&item), "the statement lists {item}:\n{txt}");

    let (code, html, err) = relanced(&[
        "--config",
        c,
        "preview",
        "--customer",
        &id,
        "--as-of",
        AS_OF,
        "--level",
        "urgent",
        "--lang",
        "fr_FR",
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(html.contains("<html") && html.contains(&item), "{html}");

    let eml = dir.path().join("p.eml");
    let (code, _, err) = relanced(&[
        "--config",
        c,
        "preview",
        "--customer",
        &id,
        "--as-of",
        AS_OF,
        "--format",
        "eml",
        "--out",
        eml.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    let eml = std::fs::read_to_string(eml).unwrap();
    assert!(
        eml.contains("Message-ID:") && eml.contains("multipart/alternative"),
        "{eml}"
    );

    let pdf = dir.path().join("p.pdf");
    let (code, _, err) = relanced(&[
        "--config",
        c,
        "preview",
        "--customer",
        &id,
        "--as-of",
        AS_OF,
        "--level",
        "suspension",
        "--format",
        "pdf",
        "--out",
        pdf.to_str().unwrap(),
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&item), "the letter lists {item}:\n{text}");
    let first_word = name.split_whitespace().next().unwrap();
    assert!(
        text.contains(first_word),
        "the letter names the customer {name}:\n{text}"
    );

    // A preview writes nothing.
    assert_eq!(sim.write_calls(), 0);
    assert!(!dir.path().join("ledger.db").exists());

    let (code, _, err) = relanced(&[
        "--config",
        c,
        "preview",
        "--customer",
        &id,
        "--as-of",
        AS_OF,
        "--level",
        "no-such-level",
    ])
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("no level \"no-such-level\""), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_odoo_creates_the_tags_and_the_activity_type_once() {
    let sim = generated(5).await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &sim.url());
    let admin_key = dir.path().join("admin-key");
    std::fs::write(&admin_key, "admin").unwrap();
    let args = [
        "--config",
        config.to_str().unwrap(),
        "setup-odoo",
        "--login",
        "admin",
        "--key-file",
        admin_key.to_str().unwrap(),
    ];
    let (code, out, err) = relanced(&args).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("created  tag \"Relance 1 · Rappel amical\""),
        "{out}"
    );
    assert!(
        out.contains("existing tag \"Relance : exclu\""),
        "the generated book has it already: {out}"
    );
    assert!(out.contains("Invoicing / Invoicing"), "{out}");
    let tags_after_first = sim.with_world(|w| w.count("res.partner.category"));

    let (code, out, err) = relanced(&args).await;
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("created "),
        "second run creates nothing: {out}"
    );
    assert_eq!(
        sim.with_world(|w| w.count("res.partner.category")),
        tags_after_first
    );
    let colours = sim.with_world(|w| {
        w.table("res.partner.category")
            .unwrap()
            .rows
            .values()
            .filter(|r| {
                r.get("name")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.starts_with("Relance 3"))
            })
            .filter_map(|r| r.get("color").and_then(Value::as_i64))
            .collect::<Vec<_>>()
    });
    assert_eq!(colours, vec![2], "the urgent marker is orange");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_writes_emails_letters_and_a_ledger_and_a_second_run_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let args = [
        "demo",
        "--dir",
        demo.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--customers",
        "16",
        "--no-history",
    ];
    let (code, out, err) = relanced(&args).await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("Plan for company 1"), "{out}");
    assert!(out.contains("Markers now on customers in Odoo"), "{out}");
    let emails: Vec<_> = walk(&demo.join("mail"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert!(!emails.is_empty(), "no email written");
    let eml = std::fs::read_to_string(&emails[0]).unwrap();
    assert!(
        eml.contains("Subject:") && eml.contains("compta@relance-demo.example"),
        "{eml}"
    );
    let letters: Vec<_> = walk(&demo)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(
        !letters.is_empty(),
        "the book has customers without email: letters expected"
    );
    assert!(demo.join("ledger.db").exists());
    let summary_line = out
        .lines()
        .find(|l| l.starts_with("Emails "))
        .unwrap()
        .to_owned();
    assert!(!summary_line.starts_with("Emails 0 "), "{summary_line}");

    // The demo's configuration is kept, and the run history reads it.
    let (code, runs, err) = relanced(&[
        "--config",
        demo.join("relanced.toml").to_str().unwrap(),
        "runs",
    ])
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        runs.lines()
            .any(|l| l.trim_start().starts_with("1 ") && l.contains("done")),
        "{runs}"
    );

    // The same day again, on the same ledger: nothing new is sent.
    let (code, out, err) = relanced(&args).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let again = out.lines().find(|l| l.starts_with("Emails ")).unwrap();
    assert!(
        again.starts_with("Emails 0 · letters 0 · notes 0"),
        "{again}"
    );
}
