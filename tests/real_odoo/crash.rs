//! `relanced once` killed with SIGKILL several times during a run over a few hundred
//! customers of a real Odoo, then run again on the same day until it completes: no
//! customer gets a second email, a second note or a second letter, nothing planned is
//! lost, what was interrupted is reconciled (Odoo writes found again by their token) or
//! reported (an email whose fate is unknown), and the markers in Odoo match the ledger.

use crate::common::{emails_per_customer, level_one};
use crate::smtp_support::Aiosmtpd;
use crate::support::*;
use relanced::ledger::{ActionFilter, ActionKind, ActionState, Ledger};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

const CUSTOMERS: usize = 240;

/// 240 customers with an overdue invoice each; one in ten has no email (a letter then).
const BOOK: &str = r#"
bot = make_user('relance-bot@relance-test.example')
ids = []
for i in range(240):
    email = None if i % 10 == 0 else 'compta%d@client%d.example' % (i, i)
    c = customer('Client %03d SARL' % i, email=email)
    invoice(c, '2026-10-01', '2026-11-01', 100 + i)
    ids.append(c.id)
done({'bot': bot, 'customers': ids})
"#;

const AS_OF: &str = "2026-11-22";

async fn sigkill_during_runs_duplicates_nothing(target: Target) {
    let (db, book) = target.server().copy_of("crash", BOOK);
    let (login, key) = bot_of(&book, "bot");
    let smtp = Aiosmtpd::start();
    let relanced = Relanced::new(
        &db,
        target,
        &login,
        &key,
        Mail::Smtp(smtp.port),
        &level_one(r#"["email"]"#),
    );
    let customers: BTreeSet<i64> = book["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert_eq!(customers.len(), CUSTOMERS);

    // Kill runs in the middle of their writes: when the mailbox has reached a threshold
    // (the reads and the plan come first, and their time varies with the machine).
    let mut kills = 0;
    for threshold in [5usize, 40, 90, 140, 190] {
        let mut child = relanced
            .command(&["once", "--as-of", AS_OF, "--json"])
            .spawn()
            .expect("spawn relanced");
        let started = Instant::now();
        let ended = loop {
            if let Some(status) = child.try_wait().expect("child status") {
                break Some(status);
            }
            if smtp.messages().len() >= threshold {
                break None;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{target:?}: no progress to {threshold} emails in 120 s"
            );
            tokio::time::sleep(Duration::from_millis(40)).await;
        };
        if let Some(status) = ended {
            eprintln!(
                "{target:?}: run ended by itself after {:?}: {status:?}",
                started.elapsed()
            );
            break;
        }
        child.start_kill().expect("SIGKILL");
        let _ = child.wait().await;
        kills += 1;
        eprintln!(
            "{target:?}: killed after {:?} at {} emails",
            started.elapsed(),
            smtp.messages().len()
        );
    }
    assert!(kills >= 2, "the run was killed at least twice ({kills})");

    let mut last = None;
    for _ in 0..4 {
        let (code, report, stderr) = relanced.once(AS_OF).await;
        if code == Some(0) {
            last = Some(report);
            break;
        }
        eprintln!("{target:?}: run did not complete: {code:?}\n{stderr}\n{report}");
    }
    let last = last.expect("a run completes after the kills");
    assert_eq!(last["report"]["interrupted"], json!(false), "{last}");

    // Emails: never two for one customer.
    let emails = emails_per_customer(&smtp);
    let twice: Vec<_> = emails.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "customers emailed twice: {twice:?}");

    // The ledger: every action done, or an email whose fate is unknown (never resent).
    let ledger = Ledger::open(&format!(
        "sqlite://{}",
        relanced.dir.path().join("ledger.db").display()
    ))
    .await
    .expect("open the ledger");
    let actions = ledger
        .list_actions(ActionFilter {
            run: None,
            state: None,
        })
        .await
        .expect("actions");
    let unsettled: Vec<_> = actions
        .iter()
        .filter(|a| {
            !(a.state == ActionState::Done
                || (a.state == ActionState::Uncertain && a.kind == ActionKind::Email))
        })
        .map(|a| (&a.key, a.state, &a.last_error))
        .collect();
    assert!(unsettled.is_empty(), "unsettled actions: {unsettled:#?}");
    let uncertain: BTreeSet<i64> = actions
        .iter()
        .filter(|a| a.state == ActionState::Uncertain)
        .map(|a| a.customer_id.get())
        .collect();

    // Odoo: one note per customer (plus one "please check" note per uncertain email),
    // one letter per customer without email, the marker on everyone.
    let bot = book["bot"]["partner_id"].as_i64().expect("bot partner");
    let notes = db
        .search_read(
            "mail.message",
            json!([["model", "=", "res.partner"], ["author_id", "=", bot]]),
            &["res_id", "body", "attachment_ids"],
        )
        .await;
    let mut per_customer: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    for n in &notes {
        let entry = per_customer
            .entry(n["res_id"].as_i64().expect("res_id"))
            .or_default();
        if n["body"].as_str().unwrap_or("").contains("/uncertain") {
            entry.1 += 1;
        } else {
            entry.0 += 1;
        }
    }
    for c in &customers {
        let (notes, checks) = per_customer.get(c).copied().unwrap_or_default();
        assert_eq!(notes, 1, "customer {c}: one note ({per_customer:?})");
        let want_checks = usize::from(uncertain.contains(c));
        assert_eq!(checks, want_checks, "customer {c}: 'please check' notes");
    }
    let letters = db
        .search_read(
            "ir.attachment",
            json!([
                ["res_model", "=", "res.partner"],
                ["mimetype", "=", "application/pdf"]
            ]),
            &["res_id"],
        )
        .await;
    let mut letters_per: BTreeMap<i64, usize> = BTreeMap::new();
    for l in &letters {
        *letters_per
            .entry(l["res_id"].as_i64().unwrap())
            .or_default() += 1;
    }
    assert_eq!(
        letters_per.len(),
        CUSTOMERS / 10,
        "a letter for each customer without email: {letters_per:?}"
    );
    assert!(letters_per.values().all(|n| *n == 1), "{letters_per:?}");
    let marked = db
        .search_read(
            "res.partner",
            json!([["category_id.name", "=", "Relance 1"]]),
            &["id"],
        )
        .await;
    let marked: BTreeSet<i64> = marked.iter().filter_map(|p| p["id"].as_i64()).collect();
    assert_eq!(marked, customers, "every customer carries its marker");

    // Everyone got their email but those without an address and the uncertain ones.
    let with_email = CUSTOMERS - CUSTOMERS / 10;
    assert!(
        emails.len() >= with_email - uncertain.len() && emails.len() <= with_email,
        "{} emails for {with_email} addressees, {} uncertain",
        emails.len(),
        uncertain.len()
    );

    // One more run on the same day writes nothing and sends nothing.
    let before = (notes.len(), smtp.messages().len());
    let (code, report, stderr) = relanced.once(AS_OF).await;
    assert_eq!(code, Some(0), "{stderr}\n{report}");
    assert_eq!(report["odoo_writes"], json!(0), "{report}");
    let notes_after = db
        .search_read(
            "mail.message",
            json!([["model", "=", "res.partner"], ["author_id", "=", bot]]),
            &["id"],
        )
        .await;
    assert_eq!((notes_after.len(), smtp.messages().len()), before);
    eprintln!(
        "{target:?}: {kills} kills, {} emails, {} uncertain, {} notes",
        emails.len(),
        uncertain.len(),
        notes.len()
    );
}
on_each_target!(sigkill_during_runs_duplicates_nothing);
