//! FOLLOWUP.md's worked timelines through the real binary (`relanced once`), on
//! hand-built books in the Odoo double and real SMTP (aiosmtpd): what is sent, what
//! Odoo shows (markers, notes, attachments), run after run. Strategy S: levels 1 (+3),
//! 2 (+15), 3 (+30), min interval 7, min amount 5.

use crate::common::act;
use crate::common::smtp as smtp_support;

use act::*;
use smtp_support::Aiosmtpd;

/// Customer with invoice A: 100.00 due 01-01.
async fn invoice_a() -> (Install, Aiosmtpd, i64, i64) {
    let mut world = empty_book(d("2026-01-01"));
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
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    (install, smtp, customer, a)
}

fn message_ids(smtp: &Aiosmtpd) -> Vec<String> {
    received(smtp)
        .into_iter()
        .filter_map(|h| h.get("message-id").cloned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t01_t02_level_1_on_the_third_day_with_its_marker() {
    let (install, smtp, customer, _) = invoice_a().await;
    let r = install.once_ok(d("2026-01-03")).await;
    assert_eq!(report_count(&r, "emails"), 0, "T1: 2 days overdue < 3");
    assert!(install.markers(customer).is_empty());
    let r = install.once_ok(d("2026-01-04")).await;
    assert_eq!(report_count(&r, "emails"), 1, "{r}");
    assert_eq!(r["per_level"]["amical"].as_u64(), Some(1));
    assert_eq!(
        message_ids(&smtp),
        vec![expected_message_id(customer, "amical", d("2026-01-04"))]
    );
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    assert_eq!(install.notes(customer).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t03_t04_gated_until_the_sixteenth_then_level_2_with_a_letter() {
    let (install, smtp, customer, _) = invoice_a().await;
    install.once_ok(d("2026-01-04")).await;
    let r = install.once_ok(d("2026-01-10")).await;
    assert_eq!(report_count(&r, "emails"), 0, "T3: gated until 01-16");
    assert_eq!(smtp.messages().len(), 1);
    let r = install.once_ok(d("2026-01-16")).await;
    assert_eq!(r["per_level"]["standard"].as_u64(), Some(1), "{r}");
    assert_eq!(report_count(&r, "letters"), 1);
    assert_eq!(
        message_ids(&smtp),
        vec![
            expected_message_id(customer, "amical", d("2026-01-04")),
            expected_message_id(customer, "standard", d("2026-01-16")),
        ]
    );
    assert_eq!(install.markers(customer), vec!["Relance 2".to_owned()]);
    let attachments = install.attachments(customer);
    assert_eq!(attachments.len(), 1, "the letter is attached in Odoo");
    let notes = install.notes(customer);
    assert!(
        notes
            .iter()
            .any(|n| n.attachment_ids == vec![attachments[0].0])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t05_t06_payment_of_a_drops_the_marker_to_level_1_and_sends_nothing() {
    let (install, smtp, customer, a) = invoice_a().await;
    install.sim.with_world(|w| {
        add_invoice(
            w,
            customer,
            &Invoice {
                name: "INV/2026/00002",
                due: d("2026-01-20"),
                amount: 80.0,
                residual: 80.0,
                payment_state: "not_paid",
            },
        )
    });
    install.once_ok(d("2026-01-04")).await;
    install.once_ok(d("2026-01-16")).await;
    let r = install.once_ok(d("2026-01-31")).await;
    assert_eq!(r["per_level"]["urgent"].as_u64(), Some(1), "T5: {r}");
    assert_eq!(install.markers(customer), vec!["Relance 3".to_owned()]);
    let activities = install.activities(customer);
    assert_eq!(activities.len(), 1, "the call for the salesperson");
    assert_eq!(activities[0].user_id, Some(SALESPERSON));
    assert_eq!(smtp.messages().len(), 3);

    install.sim.with_world(|w| pay(w, a));
    let r = install.once_ok(d("2026-02-03")).await;
    assert_eq!(report_count(&r, "emails"), 0, "T6: {r}");
    assert_eq!(smtp.messages().len(), 3);
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t08_net_credit_sends_nothing_and_removes_the_marker() {
    let (install, smtp, customer, _) = invoice_a().await;
    install.once_ok(d("2026-01-04")).await;
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    install.sim.with_world(|w| {
        add_invoice(
            w,
            customer,
            &Invoice {
                name: "RINV/2026/00001",
                due: d("2026-01-05"),
                amount: -150.0,
                residual: -150.0,
                payment_state: "not_paid",
            },
        )
    });
    let r = install.once_ok(d("2026-02-10")).await;
    assert_eq!(report_count(&r, "emails"), 0, "T8: net credit: {r}");
    assert_eq!(smtp.messages().len(), 1);
    assert!(install.markers(customer).is_empty(), "marker removed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t13_the_same_day_twice_sends_and_writes_nothing_new() {
    let (install, smtp, customer, _) = invoice_a().await;
    install.once_ok(d("2026-01-04")).await;
    let notes = install.notes(customer).len();
    let writes = install.sim.write_calls();
    let r = install.once_ok(d("2026-01-04")).await;
    assert_eq!(report_count(&r, "emails"), 0, "{r}");
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(install.notes(customer).len(), notes);
    assert_eq!(install.sim.write_calls(), writes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t14_no_email_anywhere_gets_a_letter_and_is_listed() {
    let mut world = empty_book(d("2026-01-04"));
    let customer = add_customer(
        &mut world,
        &Customer {
            name: "Jean Sans-Mail",
            email: None,
            is_company: false,
            ..Default::default()
        },
    );
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00007",
            due: d("2026-01-01"),
            amount: 100.0,
            residual: 100.0,
            payment_state: "not_paid",
        },
    );
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    let r = install.once_ok(d("2026-01-04")).await;
    assert_eq!(report_count(&r, "letters"), 1, "{r}");
    assert_eq!(report_count(&r, "emails"), 0);
    assert_eq!(r["no_email"], serde_json::json!([customer]));
    assert!(smtp.messages().is_empty());
    let attachments = install.attachments(customer);
    assert_eq!(attachments.len(), 1);
    let pdf = install
        .dir
        .path()
        .join("outbox/2026-01-04")
        .join(format!("customer-{customer}"))
        .join(&attachments[0].1);
    let bytes = std::fs::read(&pdf).expect("the letter is in the outbox");
    assert!(bytes.starts_with(b"%PDF"), "a real PDF");
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t15_payment_registered_without_entry_is_never_chased() {
    let mut world = empty_book(d("2026-03-01"));
    let customer = add_customer(&mut world, &Customer::default());
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00015",
            due: d("2026-01-30"),
            amount: 750.0,
            residual: 750.0,
            payment_state: "paid",
        },
    );
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    let plans = install.plan_json(d("2026-03-01")).await;
    let explanation = plans[0]["decisions"][0]["explanation"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        explanation.contains("payment registered, not yet reconciled"),
        "{plans}"
    );
    let r = install.once_ok(d("2026-03-01")).await;
    assert_eq!(report_count(&r, "emails"), 0, "{r}");
    assert!(smtp.messages().is_empty());
    assert!(install.markers(customer).is_empty());
    assert!(install.notes(customer).is_empty());
}
