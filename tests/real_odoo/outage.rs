//! When a server goes away: the run stops at once with one reason (the server and how
//! many customers are left), leaves those customers as they were, and the next run, with
//! the server back, completes them: every customer ends with exactly one email and one
//! note. SMTP refused for a whole run; Odoo killed in the middle of a run and restarted;
//! Odoo frozen (every request times out) and thawed. Odoo's faults are made with
//! `odoo-ctl` on a server of the test's own.

use crate::common::{emails_per_customer, level_one};
use crate::smtp_support::{Aiosmtpd, free_port};
use crate::support::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const CUSTOMERS: usize = 60;

const BOOK: &str = r#"
bot = make_user('relance-bot@relance-test.example')
ids = []
for i in range(60):
    c = customer('Client %02d SARL' % i, email='compta%d@client%d.example' % (i, i))
    invoice(c, '2026-10-01', '2026-11-01', 100 + i)
    ids.append(c.id)
done({'bot': bot, 'customers': ids})
"#;

const AS_OF: &str = "2026-11-22";

/// After the servers are back and one more run: one email and one note per customer.
async fn exactly_once_each(db: &Db, book: &Value, smtp: &Aiosmtpd, relanced: &Relanced) {
    let (code, report, stderr) = relanced.once(AS_OF).await;
    assert_eq!(code, Some(0), "the run after recovery: {stderr}\n{report}");
    assert!(report["report"].get("halted").is_none(), "{report}");
    let customers: Vec<i64> = book["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    let emails = emails_per_customer(smtp);
    let uncertain: Vec<String> = report["report"]["uncertain"]
        .as_array()
        .map(|u| {
            u.iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let bot = book["bot"]["partner_id"].as_i64().expect("bot");
    let notes = db
        .search_read(
            "mail.message",
            json!([["model", "=", "res.partner"], ["author_id", "=", bot]]),
            &["res_id", "body"],
        )
        .await;
    for c in &customers {
        let n = emails.get(c).copied().unwrap_or(0);
        let is_uncertain = uncertain.iter().any(|k| k.contains(&format!("/p{c}/")));
        assert!(
            n == 1 || (n <= 1 && is_uncertain),
            "customer {c}: {n} emails (uncertain: {is_uncertain})"
        );
        let mine = notes
            .iter()
            .filter(|m| m["res_id"] == json!(c))
            .filter(|m| !m["body"].as_str().unwrap_or("").contains("/uncertain"))
            .count();
        assert_eq!(mine, 1, "customer {c}: one note");
    }
    assert!(
        emails.len() + uncertain.len() >= CUSTOMERS,
        "{} emails, {} uncertain",
        emails.len(),
        uncertain.len()
    );
}

async fn smtp_refused_for_a_whole_run_then_back(target: Target) {
    let (db, book) = target.server().copy_of("outage", BOOK);
    let (login, key) = bot_of(&book, "bot");
    let down = free_port();
    let relanced = Relanced::new(
        &db,
        target,
        &login,
        &key,
        Mail::Smtp(down),
        &level_one(r#"["email"]"#),
    );

    let started = Instant::now();
    let (code, report, stderr) = relanced.once(AS_OF).await;
    let took = started.elapsed();
    assert_eq!(code, Some(3), "a stopped run fails: {stderr}\n{report}");
    let halted = &report["report"]["halted"];
    assert_eq!(
        halted["server"],
        json!(format!("SMTP 127.0.0.1:{down}")),
        "{report}"
    );
    assert!(
        halted["cause"].as_str().unwrap_or("").contains("refused"),
        "{halted}"
    );
    assert_eq!(halted["customers_left"], json!(CUSTOMERS), "{halted}");
    assert!(
        took < Duration::from_secs(30),
        "SMTP down: the run ends in under 30 s, took {took:?}"
    );
    // Nothing written in Odoo for anyone: the first customer's email failed first.
    let bot = book["bot"]["partner_id"].as_i64().expect("bot");
    let notes = db
        .search_read(
            "mail.message",
            json!([["model", "=", "res.partner"], ["author_id", "=", bot]]),
            &["id"],
        )
        .await;
    assert!(notes.is_empty(), "no note while SMTP is down: {notes:?}");
    // The text summary says it in one line.
    let (_, text, _) = relanced.run(&["runs"]).await;
    assert!(text.contains("failed"), "{text}");

    let smtp = Aiosmtpd::start();
    relanced.edit(&format!("port = {down}"), &format!("port = {}", smtp.port));
    exactly_once_each(&db, &book, &smtp, &relanced).await;
    eprintln!("{target:?}: SMTP down, the run stopped after {took:?}: {halted}");
}
on_each_target!(smtp_refused_for_a_whole_run_then_back);

/// Starts `once` and waits until the mailbox holds `emails` messages.
async fn run_until(relanced: &Relanced, smtp: &Aiosmtpd, emails: usize) -> tokio::process::Child {
    let mut child = relanced
        .command(&["once", "--as-of", AS_OF, "--json"])
        .spawn()
        .expect("spawn relanced");
    let started = Instant::now();
    while smtp.messages().len() < emails {
        if child.try_wait().expect("status").is_some() {
            let out = child.wait_with_output().await.expect("output");
            panic!(
                "the run ended before {emails} emails: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child
}

/// What the interrupted run printed, once it has ended by itself.
async fn ended(child: tokio::process::Child, within: Duration) -> (Option<i32>, Value, Duration) {
    let started = Instant::now();
    let out = tokio::time::timeout(within, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("the run did not end within {within:?}"))
        .expect("relanced output");
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json, started.elapsed())
}

async fn odoo_killed_then_frozen_mid_run(target: Target) {
    let server = dedicated(target.version);

    // Killed: connections refused from then on.
    let mid = MidRun::start(server, target, "killed").await;
    server.ctl("stop");
    let (code, report, took) = ended(mid.child, Duration::from_secs(10 + 30)).await;
    assert_eq!(code, Some(3), "{report}");
    let halted = &report["report"]["halted"];
    assert!(
        halted["server"]
            .as_str()
            .unwrap_or("")
            .starts_with("Odoo 127.0.0.1:"),
        "{report}"
    );
    eprintln!("{target:?}: Odoo killed, the run stopped {took:?} later: {halted}");
    server.ctl("start");
    exactly_once_each(&mid.db, &mid.book, &mid.smtp, &mid.relanced).await;

    // Frozen: every request waits for its timeout.
    let mid = MidRun::start(server, target, "frozen").await;
    server.ctl("freeze");
    let result = ended(mid.child, Duration::from_secs(10 + 30)).await;
    server.ctl("thaw");
    let (code, report, took) = result;
    assert_eq!(code, Some(3), "{report}");
    let halted = &report["report"]["halted"];
    assert!(
        halted["cause"]
            .as_str()
            .unwrap_or("")
            .contains("no answer within 10 s"),
        "{report}"
    );
    eprintln!("{target:?}: Odoo frozen, the run stopped {took:?} later: {halted}");
    exactly_once_each(&mid.db, &mid.book, &mid.smtp, &mid.relanced).await;
}

/// A run in progress on a fresh copy of the book, with `odoo.timeout_secs = 10`, once it
/// has sent 10 emails.
struct MidRun {
    db: Db,
    book: Value,
    smtp: Aiosmtpd,
    relanced: Relanced,
    child: tokio::process::Child,
}

impl MidRun {
    async fn start(server: &'static Server, target: Target, name: &str) -> MidRun {
        let db = server.fresh(name);
        let book = db.shell(BOOK);
        let (login, key) = bot_of(&book, "bot");
        let smtp = Aiosmtpd::start();
        let strategy = level_one(r#"["email"]"#);
        let relanced = Relanced::new(&db, target, &login, &key, Mail::Smtp(smtp.port), &strategy);
        relanced.edit("timeout_secs = 60", "timeout_secs = 10");
        // The first request to a database loads Odoo's registry for it (seconds): done
        // here, so that the short timeout applies to ordinary requests.
        db.call("res.partner", "search_count", json!([[]]), json!({}))
            .await;
        let child = run_until(&relanced, &smtp, 10).await;
        MidRun {
            db,
            book,
            smtp,
            relanced,
            child,
        }
    }
}
on_each_target!(odoo_killed_then_frozen_mid_run);
