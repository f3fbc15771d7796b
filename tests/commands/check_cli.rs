//! `relanced check` through the real binary against the Odoo double: it lists every
//! problem with what grants the missing right, and exits non-zero unless all is well.

use odoo_double::world::{ids, m2o, row};
use odoo_double::{GROUP_PARTNER_MANAGER, GROUP_USER, OdooVersion, SimHandle, UserAccess, World};
use relanced::odoo::Value;
use std::path::Path;

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

async fn check(
    sim: &SimHandle,
    dir: &Path,
    login: &str,
    password: &str,
    companies: &[i64],
    format: &str,
) -> Outcome {
    check_with(sim, dir, login, password, companies, format, "").await
}

/// `check` with more configuration (`extra`, appended).
async fn check_with(
    sim: &SimHandle,
    dir: &Path,
    login: &str,
    password: &str,
    companies: &[i64],
    format: &str,
    extra: &str,
) -> Outcome {
    let config = dir.join("relanced.toml");
    std::fs::write(
        &config,
        format!(
            r#"
[odoo]
url = "{url}"
database = "fu18"
login = "{login}"
api_key = {{ file = "{key}" }}
companies = {companies:?}
attempts = 1

[mail]
transport = "files"
from = "Comptabilité <compta@example.com>"
{extra}
"#,
            url = sim.url(),
            key = dir.join("key").display(),
        ),
    )
    .unwrap();
    std::fs::write(dir.join("key"), password).unwrap();
    let out = tokio::process::Command::new(crate::common::BIN)
        .args([
            "--config",
            config.to_str().unwrap(),
            "--log-format",
            "human",
            "check",
            "--format",
            format,
        ])
        .env_remove("RUST_LOG")
        .output()
        .await
        .unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A user like the recorded bot but with the given groups and email.
fn add_user(
    w: &mut World,
    uid: i64,
    partner: i64,
    login: &str,
    groups: &[&str],
    email: Option<&str>,
) {
    let mut p = row([
        ("name", Value::from("Second Bot")),
        ("type", Value::from("contact")),
        ("active", true.into()),
    ]);
    p.insert(
        "email",
        email.map(Value::from).unwrap_or(Value::Bool(false)),
    );
    w.put("res.partner", partner, p);
    w.put(
        "res.users",
        uid,
        row([
            ("name", Value::from("Second Bot")),
            ("login", Value::from(login)),
            ("partner_id", Value::Int(partner)),
            ("company_id", m2o(Some(1))),
            ("company_ids", ids(&[1])),
            ("active", true.into()),
        ]),
    );
    w.add_user(UserAccess {
        uid,
        login: login.into(),
        password: Some("pw-second-bot".into()),
        api_keys: vec![],
        groups: groups.iter().map(|g| g.to_string()).collect(),
        company_ids: vec![1],
        company_id: 1,
        lang: "fr_FR".into(),
        tz: "Europe/Paris".into(),
    });
}

async fn sim18() -> SimHandle {
    crate::common::start_double(World::recorded(OdooVersion::V18)).await
}

#[tokio::test]
async fn the_recorded_bot_user_passes_every_check() {
    let sim = sim18().await;
    let dir = tempfile::tempdir().unwrap();
    let out = check(
        &sim,
        dir.path(),
        "relance-bot@example.com",
        "bot-password-123",
        &[1],
        "text",
    )
    .await;
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(out.stdout.contains("Odoo 18.0"), "{}", out.stdout);
    assert!(out.stdout.contains("protocol Xmlrpc"), "{}", out.stdout);
    assert!(
        out.stdout.contains("email address relance-bot@example.com"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("company 1: "), "{}", out.stdout);
    assert!(out.stdout.contains("all checks passed"), "{}", out.stdout);
    assert!(!out.stdout.contains("bot-password-123") && !out.stderr.contains("bot-password-123"));
}

#[tokio::test]
async fn a_user_without_the_billing_group_is_told_which_group_grants_each_right() {
    let sim = sim18().await;
    sim.with_world(|w| {
        add_user(
            w,
            30,
            60,
            "nobilling@example.com",
            &[GROUP_USER, GROUP_PARTNER_MANAGER],
            Some("nb@example.com"),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let out = check(
        &sim,
        dir.path(),
        "nobilling@example.com",
        "pw-second-bot",
        &[1],
        "text",
    )
    .await;
    assert_eq!(
        out.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("read account.move.line"))
        .unwrap_or_else(|| panic!("no line about account.move.line:\n{}", out.stdout));
    assert!(line.starts_with("FAIL"), "{line}");
    assert!(
        // The group as Odoo 18 names it (there is no "Billing" group on a real server).
        line.contains("not allowed; the group") && line.contains("\"Invoicing/Invoicing\""),
        "{line}"
    );
    // Every problem is listed, not just the first.
    assert!(
        out.stdout.lines().filter(|l| l.starts_with("FAIL")).count() >= 2,
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("relanced cannot run until the problems are fixed")
    );
}

#[tokio::test]
async fn a_user_without_email_and_a_forbidden_company_are_both_reported() {
    let sim = sim18().await;
    sim.with_world(|w| w.set_user_email(8, None));
    let dir = tempfile::tempdir().unwrap();
    let out = check(
        &sim,
        dir.path(),
        "relance-bot@example.com",
        "bot-password-123",
        &[1, 3],
        "json",
    )
    .await;
    assert_eq!(
        out.code, 1,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    let report: serde_json::Value =
        serde_json::from_str(&out.stdout).expect("--format json prints JSON");
    let fails: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["what"].as_str().unwrap())
        .collect();
    assert!(
        fails.iter().any(|f| f.contains("no email address")),
        "{fails:?}"
    );
    assert!(
        fails
            .iter()
            .any(|f| f.starts_with("company 3: the user may not access it")),
        "{fails:?}"
    );
    assert!(
        !fails.iter().any(|f| f.starts_with("company 1")),
        "{fails:?}"
    );
}

#[tokio::test]
async fn bad_credentials_and_a_broken_configuration_exit_non_zero_with_a_clear_message() {
    let sim = sim18().await;
    let dir = tempfile::tempdir().unwrap();
    let out = check(
        &sim,
        dir.path(),
        "relance-bot@example.com",
        "wrong",
        &[1],
        "text",
    )
    .await;
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("bad credentials (check odoo.login and odoo.api_key)"),
        "{}",
        out.stdout
    );

    std::fs::write(dir.path().join("bad.toml"), "[odoo]\nurl = \"htp:/x\"\n").unwrap();
    let o = std::process::Command::new(crate::common::BIN)
        .args([
            "--config",
            dir.path().join("bad.toml").to_str().unwrap(),
            "check",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("missing field `database`") || stderr.contains("odoo"),
        "{stderr}"
    );
}

/// Issue 10: open items in a currency a strategy has no `min_amount` for are a warning
/// naming the strategy, the currency, how many items and the line to add; the check
/// still passes.
#[tokio::test]
async fn open_items_in_a_currency_without_minimum_are_a_warning_with_the_fix() {
    let sim = sim18().await;
    sim.with_world(|w| add_open_items(w, "USD", 2));
    sim.with_world(|w| add_open_items(w, "EUR", 1));
    let dir = tempfile::tempdir().unwrap();
    let strategy = r#"
[[strategy]]
name = "export"
default = true
min_amount = { GBP = 5.0 }

[[strategy.level]]
key = "amical"
offset_days = 3
actions = ["email"]
"#;
    let out = check_with(
        &sim,
        dir.path(),
        "relance-bot@example.com",
        "bot-password-123",
        &[1],
        "json",
        strategy,
    )
    .await;
    assert_eq!(
        out.code, 0,
        "a warning only:\n{}\n{}",
        out.stdout, out.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let warnings: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "warn" && f["area"] == "strategy")
        .filter_map(|f| f["what"].as_str())
        .collect();
    assert!(!warnings.is_empty(), "{}", out.stdout);
    for w in &warnings {
        assert!(
            w.starts_with("company 1: strategy \"export\" sets no minimum amount for "),
            "{w}"
        );
        assert!(w.contains("is reminded, however small"), "{w}");
        assert!(w.contains("; set strategy[0].min_amount = { "), "{w}");
        assert!(
            w.contains("GBP = 5.0"),
            "the minimum already set is kept: {w}"
        );
    }
    assert_eq!(warnings.len(), 2, "EUR and USD: {warnings:?}");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("for USD, the currency of 2 open item(s)")
                && w.ends_with("strategy[0].min_amount = { GBP = 5.0, USD = … }")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("for EUR, the currency of 1 open item(s)")),
        "{warnings:?}"
    );

    // With the default strategy (EUR, USD, GBP, CHF), the same book gives no such warning.
    let out = check(
        &sim,
        dir.path(),
        "relance-bot@example.com",
        "bot-password-123",
        &[1],
        "text",
    )
    .await;
    assert!(!out.stdout.contains("no minimum amount"), "{}", out.stdout);
}

/// `count` open receivable items of company 1 in `currency`, on a new customer.
fn add_open_items(w: &mut World, currency: &str, count: usize) {
    let existing = w.table("res.currency").and_then(|t| {
        t.rows
            .iter()
            .find(|(_, r)| r.get("name").and_then(Value::as_str) == Some(currency))
            .map(|(id, _)| *id)
    });
    let currency_id = existing.unwrap_or_else(|| {
        w.insert(
            "res.currency",
            row([
                ("name", Value::from(currency)),
                ("symbol", Value::from(currency)),
                ("decimal_places", Value::Int(2)),
                ("active", true.into()),
            ]),
        )
    });
    let partner = w.insert(
        "res.partner",
        row([
            ("name", Value::from(format!("Customer in {currency}"))),
            ("is_company", true.into()),
            ("type", Value::from("contact")),
            ("customer_rank", Value::Int(1)),
            ("active", true.into()),
        ]),
    );
    let move_id = w.insert(
        "account.move",
        row([
            ("name", Value::from(format!("INV/{currency}/1"))),
            ("move_type", Value::from("out_invoice")),
            ("state", Value::from("posted")),
            ("partner_id", Value::Int(partner)),
            ("company_id", Value::Int(1)),
            ("currency_id", Value::Int(currency_id)),
        ]),
    );
    for _ in 0..count {
        w.insert(
            "account.move.line",
            row([
                ("move_id", Value::Int(move_id)),
                ("partner_id", Value::Int(partner)),
                ("company_id", Value::Int(1)),
                ("currency_id", Value::Int(currency_id)),
                ("account_type", Value::from("asset_receivable")),
                ("parent_state", Value::from("posted")),
                ("reconciled", false.into()),
                ("date", Value::from("2026-10-01")),
                ("date_maturity", Value::from("2026-10-31")),
                ("amount_residual", 10.0.into()),
                ("amount_residual_currency", 11.0.into()),
            ]),
        );
    }
}
