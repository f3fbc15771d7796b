//! Faults during `relanced once` (real binary): Odoo down or slow, Odoo refusing a write
//! for one customer, the SMTP server refusing a recipient for good (5xx: a letter
//! instead) or for now (4xx: failed, sent by the next run). The run goes on with the
//! other customers, failures carry their reason, and a later run completes them
//! without sending anything twice.

use crate::common::act;
use crate::common::smtp as smtp_support;

use act::*;
use odoo_double::{Fault, Matcher, World};
use smtp_support::{Aiosmtpd, SmtpSink};
use std::time::Duration;

/// Three customers, each with one invoice 5 days late on 2026-01-06.
fn three_customers() -> (World, Vec<i64>) {
    let mut world = empty_book(d("2026-01-06"));
    let mut ids = Vec::new();
    for (i, (name, email)) in [
        ("Alpha SARL", "alpha@alpha.example.fr"),
        ("Beta SARL", "beta@beta.example.fr"),
        ("Gamma SARL", "gamma@gamma.example.fr"),
    ]
    .iter()
    .enumerate()
    {
        let id = add_customer(
            &mut world,
            &Customer {
                name,
                email: Some(email),
                ..Default::default()
            },
        );
        add_invoice(
            &mut world,
            id,
            &Invoice {
                name: &format!("INV/2026/0000{i}"),
                due: d("2026-01-01"),
                amount: 200.0,
                residual: 200.0,
                payment_state: "not_paid",
            },
        );
        ids.push(id);
    }
    (world, ids)
}

fn failures_of(report: &serde_json::Value, customer: i64) -> Vec<String> {
    report["failures"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter(|f| f["customer_id"].as_i64() == Some(customer))
                .map(|f| format!("{}: {}", f["action"], f["reason"]))
                .collect()
        })
        .unwrap_or_default()
}

fn use_smtp_port(install: &Install, old: u16, new: u16) {
    let text = std::fs::read_to_string(&install.config).expect("config");
    let text = text.replace(&format!("port = {old}\n"), &format!("port = {new}\n"));
    std::fs::write(&install.config, text).expect("config");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odoo_refusing_one_customers_note_fails_only_that_customer_until_the_next_run() {
    let (world, ids) = three_customers();
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    let beta = ids[1];
    install.sim.switches().fail_matching(
        Matcher::call("res.partner", "message_post").on_record(beta),
        None,
        Fault::User("Le chatter de ce contact est verrouillé".into()),
    );
    let run = install.once(d("2026-01-06")).await;
    assert_eq!(
        run.code,
        Some(3),
        "failures give exit code 3: {}",
        run.stderr
    );
    let failures = failures_of(&run.report, beta);
    assert_eq!(failures.len(), 1, "{}", run.report);
    assert!(failures[0].contains("/note"), "{failures:?}");
    assert!(failures[0].contains("verrouillé"), "{failures:?}");
    assert!(
        run.report["failures"]
            .as_array()
            .is_some_and(|f| f.len() == 1)
    );
    for other in [ids[0], ids[2]] {
        assert_eq!(install.notes(other).len(), 1);
        assert_eq!(install.markers(other), vec!["Relance 1".to_owned()]);
    }
    assert!(install.notes(beta).is_empty());
    assert_eq!(smtp.messages().len(), 3, "the email left before the note");

    install.sim.switches().clear();
    let report = install.once_ok(d("2026-01-06")).await;
    assert_eq!(report_count(&report, "emails"), 0, "{report}");
    assert_eq!(report_count(&report, "notes"), 1, "{report}");
    assert_eq!(install.notes(beta).len(), 1);
    assert_eq!(install.markers(beta), vec!["Relance 1".to_owned()]);
    assert_eq!(smtp.messages().len(), 3, "nothing sent twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odoo_down_stops_the_run_with_a_clear_error_and_a_slow_odoo_only_slows_it() {
    let (world, ids) = three_customers();
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    install.sim.switches().bad_gateway_next(100_000);
    let run = install.once(d("2026-01-06")).await;
    assert_ne!(run.code, Some(0));
    assert_ne!(run.code, None, "an error, not a crash");
    assert!(
        run.stderr.contains("502") || run.stderr.to_lowercase().contains("gateway"),
        "the error says what happened: {}",
        run.stderr
    );
    assert!(
        smtp.messages().is_empty(),
        "nothing sent while Odoo is down"
    );

    install.sim.switches().clear();
    install
        .sim
        .switches()
        .set_latency(Duration::from_millis(40));
    let report = install.once_ok(d("2026-01-06")).await;
    assert_eq!(report_count(&report, "emails"), 3, "{report}");
    for id in &ids {
        assert_eq!(install.markers(*id), vec!["Relance 1".to_owned()]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_refused_for_good_gets_a_letter_instead_and_is_reported() {
    let (world, ids) = three_customers();
    let sink = SmtpSink::start(&["-f", "RCPT"]);
    let install = Install::start(world, Mail::Smtp(sink.port), STRATEGY_S).await;
    let run = install.once(d("2026-01-06")).await;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(report_count(&run.report, "letters"), 3, "{}", run.report);
    for id in &ids {
        let failures = failures_of(&run.report, *id);
        assert!(
            failures
                .iter()
                .any(|f| f.contains("/email") && f.contains("5")),
            "the refusal is reported with its code: {failures:?}"
        );
        assert_eq!(install.attachments(*id).len(), 1, "the letter is in Odoo");
        assert_eq!(install.markers(*id), vec!["Relance 1".to_owned()]);
    }
    assert_eq!(
        run.report["no_email"].as_array().map(Vec::len),
        Some(3),
        "listed for a person to check the address"
    );
    // The next run does not try the refused address again.
    let attempts = sink.mail_commands();
    let again = install.once(d("2026-01-06")).await;
    assert_eq!(
        report_count(&again.report, "letters"),
        0,
        "{}",
        again.report
    );
    assert_eq!(sink.mail_commands(), attempts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_refused_for_now_fails_and_the_next_run_sends_it_once() {
    let (world, ids) = three_customers();
    let sink = SmtpSink::start(&["-r", "RCPT"]);
    let install = Install::start(world, Mail::Smtp(sink.port), STRATEGY_S).await;
    let run = install.once(d("2026-01-06")).await;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    for id in &ids {
        let failures = failures_of(&run.report, *id);
        assert!(
            failures
                .iter()
                .any(|f| f.contains("/email") && f.contains("4")),
            "{failures:?}"
        );
        assert!(install.notes(*id).is_empty(), "nothing claimed in Odoo");
    }
    assert_eq!(report_count(&run.report, "letters"), 0);

    let smtp = Aiosmtpd::start();
    use_smtp_port(&install, sink.port, smtp.port);
    let report = install.once_ok(d("2026-01-06")).await;
    assert_eq!(report_count(&report, "emails"), 3, "{report}");
    assert_eq!(smtp.messages().len(), 3);
    for id in &ids {
        assert_eq!(install.notes(*id).len(), 1);
        assert_eq!(install.markers(*id), vec!["Relance 1".to_owned()]);
    }
    install.once_ok(d("2026-01-06")).await;
    assert_eq!(smtp.messages().len(), 3, "and never twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_call_activity_is_created_by_the_next_days_run_without_resending() {
    let mut world = empty_book(d("2026-01-04"));
    let customer = add_customer(&mut world, &Customer::default());
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00031",
            due: d("2026-01-01"),
            amount: 500.0,
            residual: 500.0,
            payment_state: "not_paid",
        },
    );
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    install.once_ok(d("2026-01-04")).await;
    install.once_ok(d("2026-01-16")).await;
    install.sim.switches().fail_matching(
        // The double matches records by the call's ids only, and a create has none.
        Matcher::call("mail.activity", "create"),
        None,
        Fault::Validation("Type d'activité archivé".into()),
    );
    let run = install.once(d("2026-01-31")).await;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let failures = failures_of(&run.report, customer);
    assert!(
        failures
            .iter()
            .any(|f| f.contains("/activity") && f.contains("archivé")),
        "{failures:?}"
    );
    assert!(install.activities(customer).is_empty());
    assert_eq!(smtp.messages().len(), 3);

    install.sim.switches().clear();
    let report = install.once_ok(d("2026-02-01")).await;
    assert_eq!(report_count(&report, "activities"), 1, "{report}");
    assert_eq!(report_count(&report, "emails"), 0);
    let activities = install.activities(customer);
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].user_id, Some(SALESPERSON));
    assert_eq!(
        smtp.messages().len(),
        3,
        "the level-3 email is not sent again"
    );
    assert_eq!(install.markers(customer), vec!["Relance 3".to_owned()]);
}
