//! `relanced once` through the real binary, against the Odoo double and aiosmtpd: the
//! emails received (recipients, language, subject, items, amounts, Message-ID), what
//! Odoo shows afterwards (markers, notes with the letter attached, activities for the
//! salesperson), a second run the same day sends nothing, and a payment lowers or
//! removes the marker on the next run.

use crate::common::act;
use crate::common::files;
use crate::common::smtp as smtp_support;

use act::*;
use files::walk;
use smtp_support::{Aiosmtpd, parse_eml};

fn body_text(parsed: &serde_json::Value) -> String {
    parsed["parts"]
        .as_array()
        .map(|parts| {
            parts
                .iter()
                .filter_map(|p| p["text"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
        .replace(['\u{a0}', '\u{202f}'], " ")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_customer_gets_one_email_in_its_language_and_a_rerun_sends_nothing() {
    let as_of = d("2026-11-22");
    let mut world = empty_book(as_of);
    let langs = [
        (
            "Boulangerie Dupont SARL",
            "fr_FR",
            "contact@dupont.example.fr",
        ),
        ("Bakkerij Peeters BV", "nl_BE", "info@peeters.example.be"),
        ("Smith Bakery Ltd", "en_US", "accounts@smith.example.co.uk"),
    ];
    let mut customers = Vec::new();
    for (i, (name, lang, email)) in langs.iter().enumerate() {
        let id = add_customer(
            &mut world,
            &Customer {
                name,
                lang,
                email: Some(email),
                ..Default::default()
            },
        );
        let inv = format!("INV/2026/0010{i}");
        add_invoice(
            &mut world,
            id,
            &Invoice {
                name: &inv,
                due: d("2026-11-18"),
                amount: 1234.56,
                residual: 1234.56,
                payment_state: "not_paid",
            },
        );
        customers.push((id, *name, *lang, *email, inv));
    }
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;

    let report = install.once_ok(as_of).await;
    assert_eq!(report_count(&report, "emails"), 3, "{report}");
    let messages = smtp.messages();
    assert_eq!(messages.len(), 3);
    for (id, name, lang, email, inv) in &customers {
        let parsed: Vec<serde_json::Value> = messages.iter().map(|m| parse_eml(m)).collect();
        let mine: Vec<&serde_json::Value> = parsed
            .iter()
            .filter(|p| p["headers"]["to"].as_str().unwrap_or("").contains(email))
            .collect();
        assert_eq!(mine.len(), 1, "exactly one email to {email}");
        let m = mine[0];
        let h = &m["headers"];
        assert!(h["to"].as_str().unwrap_or("").contains(name), "{h}");
        assert_eq!(
            h["message-id"].as_str(),
            Some(expected_message_id(*id, "amical", as_of).as_str())
        );
        let subject = h["subject"].as_str().unwrap_or("");
        let expected_subject = match *lang {
            "fr_FR" => "Rappel : règlement en attente – ",
            "nl_BE" => "Herinnering: openstaande betaling – ",
            _ => "Friendly reminder: payment outstanding – ",
        };
        assert_eq!(subject, format!("{expected_subject}{COMPANY_NAME}"));
        let text = body_text(m);
        assert!(text.contains(inv.as_str()), "{lang}: item {inv} listed");
        let amount = match *lang {
            "fr_FR" => "1 234,56 €",
            "nl_BE" => "€ 1.234,56",
            _ => "€1,234.56",
        };
        assert!(text.contains(amount), "{lang}: amount {amount} in\n{text}");
        // Odoo: the marker and a note saying what was done.
        assert_eq!(install.markers(*id), vec!["Relance 1".to_owned()]);
        let notes = install.notes(*id);
        assert_eq!(notes.len(), 1, "one chatter note on {name}");
        assert!(notes[0].body.contains(email), "{}", notes[0].body);
    }

    let writes_before = install.sim.write_calls();
    let again = install.once_ok(as_of).await;
    assert_eq!(report_count(&again, "emails"), 0, "{again}");
    assert_eq!(smtp.messages().len(), 3, "the second run sent nothing");
    assert_eq!(
        install.sim.write_calls(),
        writes_before,
        "the second run wrote nothing into Odoo"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn levels_escalate_with_letter_attached_call_for_salesperson_and_payment_lowers_marker() {
    let mut world = empty_book(d("2026-01-04"));
    let customer = add_customer(&mut world, &Customer::default());
    let (a, _) = add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00001",
            due: d("2026-01-01"),
            amount: 100.0,
            residual: 100.0,
            payment_state: "not_paid",
        },
    );
    let (b, _) = add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00002",
            due: d("2026-01-20"),
            amount: 250.0,
            residual: 250.0,
            payment_state: "not_paid",
        },
    );
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;

    // T2: level 1.
    install.once_ok(d("2026-01-04")).await;
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    // T4: level 2, with a letter attached to the note in Odoo and to the email.
    let r = install.once_ok(d("2026-01-16")).await;
    assert_eq!(report_count(&r, "letters"), 1, "{r}");
    assert_eq!(install.markers(customer), vec!["Relance 2".to_owned()]);
    let attachments = install.attachments(customer);
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert!(attachments[0].1.ends_with(".pdf"));
    let notes = install.notes(customer);
    assert_eq!(notes.len(), 2);
    assert!(
        notes
            .iter()
            .any(|n| n.attachment_ids == vec![attachments[0].0]),
        "the level-2 note carries the letter: {notes:?}"
    );
    let last = smtp.messages().last().cloned().expect("level 2 email");
    let parsed = parse_eml(&last);
    assert!(
        parsed["parts"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["content_type"] == "application/pdf")),
        "the level-2 email carries the PDF"
    );
    // T5: level 3 (A is 30 days late), a call for the salesperson; B listed.
    let r = install.once_ok(d("2026-01-31")).await;
    assert_eq!(r["per_level"]["urgent"].as_u64(), Some(1), "{r}");
    let activities = install.activities(customer);
    assert_eq!(activities.len(), 1, "{activities:?}");
    assert_eq!(activities[0].user_id, Some(SALESPERSON));
    assert_eq!(activities[0].summary, "Appeler le client");
    assert_eq!(install.markers(customer), vec!["Relance 3".to_owned()]);
    assert_eq!(smtp.messages().len(), 3);

    // T6: A paid; B stays at level 1: nothing sent, marker drops to level 1.
    install.sim.with_world(|w| pay(w, a));
    let r = install.once_ok(d("2026-02-03")).await;
    assert_eq!(report_count(&r, "emails"), 0, "{r}");
    assert_eq!(smtp.messages().len(), 3, "nothing sent after the payment");
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    // Everything paid: the marker goes.
    install.sim.with_world(|w| pay(w, b));
    install.once_ok(d("2026-02-04")).await;
    assert!(install.markers(customer).is_empty());
    assert_eq!(smtp.messages().len(), 3);
}

/// `mail.transport = "odoo"`: the email is a `message_post` on the customer with the
/// contact as recipient (Odoo's own mail server sends it); the level-2 letter travels
/// with it and is the one attachment linked to relanced's note; a rerun posts nothing new.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emails_through_odoo_are_posted_to_the_contacts_with_the_letter_attached() {
    let mut world = empty_book(d("2026-01-04"));
    let customer = add_customer(&mut world, &Customer::default());
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00077",
            due: d("2026-01-01"),
            amount: 1234.5,
            residual: 1234.5,
            payment_state: "not_paid",
        },
    );
    let install = Install::start(world, Mail::Odoo, STRATEGY_S).await;

    let r = install.once_ok(d("2026-01-04")).await;
    assert_eq!(report_count(&r, "emails"), 1, "{r}");
    let posted = install.emails_posted(customer);
    assert_eq!(posted.len(), 1, "{posted:?}");
    let email = &posted[0];
    assert_eq!(email.partner_ids, vec![customer], "sent to the contact");
    assert!(
        email.subject.starts_with("Rappel : règlement en attente"),
        "French subject: {:?}",
        email.subject
    );
    assert!(email.body.contains("INV/2026/00077"), "{}", email.body);
    let body = email
        .body
        .replace(['\u{a0}', '\u{202f}'], " ")
        .replace("&nbsp;", " ");
    assert!(body.contains("1 234,50"), "French amount: {body}");
    assert!(email.attachment_ids.is_empty(), "no letter at level 1");
    let notes = install.notes(customer);
    assert_eq!(notes.len(), 1, "relanced's note explains it");
    let note_subtype = install.sim.with_world(|w| {
        w.stored("mail.message", notes[0].id, "subtype_id")
            .and_then(relanced::odoo::Value::as_i64)
    });
    assert_ne!(
        email.subtype_id, note_subtype,
        "a discussion message for the contact, not an internal note"
    );
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    let outbox = install.dir.path().join("outbox");
    let emls = walk(&outbox)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .count();
    assert_eq!(emls, 0, "nothing left for an SMTP server");

    // Same day again: nothing new is posted.
    let r = install.once_ok(d("2026-01-04")).await;
    assert_eq!(report_count(&r, "emails"), 0, "{r}");
    assert_eq!(install.emails_posted(customer).len(), 1);

    // Level 2: email and letter. The letter is attached once and linked to both the
    // email and the note.
    let writes_before = install.sim.write_calls();
    let r = install.once_ok(d("2026-01-16")).await;
    assert_eq!(report_count(&r, "emails"), 1, "{r}");
    assert_eq!(report_count(&r, "letters"), 1, "{r}");
    let posted = install.emails_posted(customer);
    assert_eq!(posted.len(), 2, "{posted:?}");
    let attachments = install.attachments(customer);
    assert_eq!(attachments.len(), 1, "one PDF in Odoo: {attachments:?}");
    assert!(attachments[0].1.ends_with(".pdf"));
    let level2 = posted
        .iter()
        .find(|e| !e.attachment_ids.is_empty())
        .expect("the level-2 email carries the letter");
    assert_eq!(level2.attachment_ids, vec![attachments[0].0]);
    assert!(
        install
            .notes(customer)
            .iter()
            .any(|n| n.attachment_ids == vec![attachments[0].0]),
        "the note links the same PDF"
    );
    assert_eq!(install.markers(customer), vec!["Relance 2".to_owned()]);
    // Attachment, email, note, marker.
    assert_eq!(install.sim.write_calls() - writes_before, 4);
}

/// `relanced once` says where the run's time went: the parts are measured (waiting for
/// Odoo, ledger, templates, PDF, mail), they fit in the wall time, and their counts
/// match what the run did.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_reports_where_its_time_went() {
    let mut world = empty_book(d("2026-01-04"));
    let with_email = add_customer(&mut world, &Customer::default());
    let without = add_customer(
        &mut world,
        &Customer {
            name: "Sans Courriel SARL",
            email: None,
            ..Customer::default()
        },
    );
    for (n, customer) in [with_email, without].into_iter().enumerate() {
        add_invoice(
            &mut world,
            customer,
            &Invoice {
                name: &format!("INV/2026/0010{n}"),
                due: d("2026-01-01"),
                amount: 80.0,
                residual: 80.0,
                payment_state: "not_paid",
            },
        );
    }
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    let run = install.once(d("2026-01-04")).await;
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let t = &json["timings"];
    let f = |k: &str| t[k].as_f64().unwrap_or_else(|| panic!("timings.{k}: {t}"));
    let n = |k: &str| t[k].as_u64().unwrap_or_else(|| panic!("timings.{k}: {t}"));
    assert_eq!(n("pdfs"), 1, "one letter: {t}");
    assert_eq!(n("emails"), 1, "one email: {t}");
    // Letters render ahead, on the pool, while other customers are worked: `pdf` is the
    // time the run waited for them, possibly none.
    assert!(f("pdf") >= 0.0 && f("odoo") > 0.0 && f("ledger") > 0.0 && f("render") > 0.0);
    assert!(n("odoo_requests") > 0 && n("odoo_requests") <= json["odoo_calls"].as_u64().unwrap());
    assert!(n("ledger_transactions") >= 10, "{t}");
    let parts = f("odoo") + f("ledger") + f("render") + f("pdf") + f("mail") + f("other");
    assert!(
        (parts - f("wall")).abs() <= 0.05 * f("wall") + 0.01,
        "the parts add up to the wall time: {parts} vs {t}"
    );
    assert!(t["cpu"]["own_seconds"].as_f64().unwrap() > 0.0, "{t}");

    // The text summary has the one-line breakdown.
    let out = install
        .command_text(d("2026-01-05"))
        .output()
        .await
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("Time: "))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("Odoo") && line.contains(" s: "), "{line}");
}

/// The customers of a batch are worked through together, at most `odoo.max_concurrency`
/// at once: with a mail server that takes 0.4 s to accept each message, as many messages
/// are in its hands at once as the limit allows, never more, and each customer still
/// gets exactly one email.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customers_are_worked_through_together_up_to_the_configured_limit() {
    const CUSTOMERS: usize = 7;
    for limit in [3usize, 1] {
        let mut world = empty_book(d("2026-01-04"));
        let mut emails = Vec::new();
        for n in 0..CUSTOMERS {
            let email = format!("billing{n}@client{n}.example.fr");
            let name = format!("Client {n} SARL");
            let customer = add_customer(
                &mut world,
                &Customer {
                    name: &name,
                    email: Some(&email),
                    ..Customer::default()
                },
            );
            add_invoice(
                &mut world,
                customer,
                &Invoice {
                    name: &format!("INV/2026/0020{n}"),
                    due: d("2026-01-01"),
                    amount: 80.0,
                    residual: 80.0,
                    payment_state: "not_paid",
                },
            );
            emails.push(email);
        }
        let smtp = Aiosmtpd::start_with(smtp_support::AiosmtpdOptions {
            data_delay: 0.4,
            ..Default::default()
        });
        let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
        let out = install
            .command(d("2026-01-04"))
            .env("RELANCED__ODOO__MAX_CONCURRENCY", limit.to_string())
            .output()
            .await
            .expect("run relanced once");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "limit {limit}: {stderr}");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(
            report_count(&report["report"], "emails"),
            CUSTOMERS as u64,
            "{report}"
        );
        assert_eq!(
            smtp.most_in_flight(),
            limit,
            "limit {limit}: messages being accepted at once, {:?}",
            smtp.events()
        );
        let received = received(&smtp);
        for email in &emails {
            let mine = received
                .iter()
                .filter(|h| h.get("to").is_some_and(|to| to.contains(email.as_str())))
                .count();
            assert_eq!(mine, 1, "limit {limit}: one email to {email}");
        }
        assert_eq!(received.len(), CUSTOMERS, "limit {limit}");
    }
}
