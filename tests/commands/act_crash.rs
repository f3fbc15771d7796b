//! `relanced once` killed with SIGKILL at several points of a run over a generated book
//! (the double answers with injected latency so that the run lasts seconds), then run
//! again on the same day until it completes: no customer ever gets a second email, no
//! planned communication is lost (each is done, or its email is reported uncertain and
//! never resent), and the markers in Odoo match the ledger.

use crate::common::act;
use crate::common::smtp as smtp_support;

use act::*;
use odoo_double::{GeneratorOptions, World};
use relanced::ledger::{ActionFilter, ActionKind, ActionState, Ledger};
use smtp_support::Aiosmtpd;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_any_point_never_duplicates_an_email_nor_loses_an_action() {
    let as_of = d("2026-11-22");
    let world = World::generated(&GeneratorOptions {
        seed: 7,
        customers: 400,
        as_of,
        us_company: false,
        ..Default::default()
    });
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;

    // What the first run is going to do (a dry run on the fresh ledger).
    let plans = install.plan_json(as_of).await;
    let planned: BTreeSet<i64> = plans[0]["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .filter(|d| d["decision"]["kind"] == "communicate")
        .filter_map(|d| d["customer_id"].as_i64())
        .collect();
    assert!(planned.len() > 50, "a large enough run: {}", planned.len());

    install.sim.switches().set_latency(Duration::from_millis(4));
    let mut kills = 0;
    for after in [500u64, 1000, 2000, 3000, 4500] {
        let mut child = install.command(as_of).spawn().expect("spawn relanced");
        let started = Instant::now();
        tokio::select! {
            status = child.wait() => {
                eprintln!("run ended by itself after {:?}: {status:?}", started.elapsed());
                break;
            }
            () = tokio::time::sleep(Duration::from_millis(after)) => {
                child.start_kill().expect("SIGKILL");
                let _ = child.wait().await;
                kills += 1;
                eprintln!("killed after {after} ms: {} emails so far", smtp.messages().len());
            }
        }
    }
    assert!(kills >= 2, "the run was killed at least twice ({kills})");
    install.sim.switches().set_latency(Duration::ZERO);

    let mut completed = None;
    for _ in 0..5 {
        let run = install.once(as_of).await;
        if run.code == Some(0) || run.code == Some(3) {
            completed = Some(run);
            break;
        }
        eprintln!("run did not complete: {:?}\n{}", run.code, run.stderr);
    }
    let last = completed.expect("a run completes after the kills");
    assert_eq!(last.report["interrupted"], false);

    // No duplicate email: one Message-ID and one recipient list per message, never twice.
    let headers = received(&smtp);
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_to: BTreeMap<String, usize> = BTreeMap::new();
    for h in &headers {
        *by_id
            .entry(h.get("message-id").cloned().unwrap_or_default())
            .or_default() += 1;
        // `c1/p<customer>/l<level>/<date>/email`: two customers may share an address.
        let customer = h
            .get("x-relanced-action")
            .and_then(|k| k.split('/').nth(1))
            .unwrap_or_default()
            .to_owned();
        *by_to.entry(customer).or_default() += 1;
    }
    let dup_ids: Vec<_> = by_id.iter().filter(|(_, n)| **n > 1).collect();
    let dup_to: Vec<_> = by_to.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dup_ids.is_empty(), "duplicate Message-IDs: {dup_ids:?}");
    assert!(dup_to.is_empty(), "customers emailed twice: {dup_to:?}");

    // Every action is done, or an email whose fate is unknown (uncertain, not resent).
    let ledger = Ledger::open(&format!("sqlite://{}", install.ledger_path().display()))
        .await
        .expect("open ledger");
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
    let uncertain: Vec<_> = actions
        .iter()
        .filter(|a| a.state == ActionState::Uncertain)
        .collect();
    for a in &uncertain {
        assert!(
            install
                .notes(a.customer_id.get())
                .iter()
                .any(|n| n.body.contains(&format!("{}/uncertain", a.key))),
            "the uncertain email {} is reported in Odoo for a person to confirm",
            a.key
        );
    }
    let sent_emails = actions
        .iter()
        .filter(|a| a.kind == ActionKind::Email && a.state == ActionState::Done)
        .count();
    assert!(
        headers.len() >= sent_emails && headers.len() <= sent_emails + uncertain.len(),
        "Maildir has {} messages for {sent_emails} done and {} uncertain emails",
        headers.len(),
        uncertain.len()
    );

    // No communication lost: every customer planned has its communication recorded.
    let state = ledger.followup_state(Some(COMPANY)).await.expect("state");
    let recorded: BTreeSet<i64> = state
        .customers
        .iter()
        .filter(|(_, s)| s.last.as_ref().is_some_and(|l| l.date == as_of))
        .map(|((_, c), _)| *c)
        .collect();
    let lost: Vec<_> = planned.difference(&recorded).collect();
    assert!(lost.is_empty(), "planned but not recorded: {lost:?}");

    // Markers: Odoo shows what the ledger says relanced put there.
    let tag_names: BTreeMap<i64, String> = install.sim.with_world(|w| {
        w.table("res.partner.category")
            .map(|t| {
                t.rows
                    .iter()
                    .filter_map(|(id, r)| Some((*id, r.get("name")?.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    });
    for ((_, customer), s) in &state.customers {
        let expected: Vec<String> = s
            .marker_tag_id
            .and_then(|t| tag_names.get(&t).cloned())
            .into_iter()
            .collect();
        assert_eq!(
            install.markers(*customer),
            expected,
            "customer {customer}: Odoo markers and ledger agree"
        );
    }

    // And one more run on the same day has nothing left to do.
    let writes = install.sim.write_calls();
    let again = install.once(as_of).await;
    assert_eq!(report_count(&again.report, "emails"), 0, "{}", again.stdout);
    assert_eq!(received(&smtp).len(), headers.len());
    assert_eq!(install.sim.write_calls(), writes, "nothing written again");
    eprintln!(
        "crash test: {} planned, {kills} kills, {} emails, {} uncertain",
        planned.len(),
        headers.len(),
        uncertain.len()
    );
}

/// One customer due for level 1 on 2026-01-06; `relanced once` killed while the SMTP
/// server holds its final reply to the email; the configuration then points at aiosmtpd.
async fn email_cut_off_by_sigkill() -> (Install, Aiosmtpd, smtp_support::SmtpSink, i64) {
    let as_of = d("2026-01-06");
    let mut world = empty_book(as_of);
    let customer = add_customer(&mut world, &Customer::default());
    add_invoice(
        &mut world,
        customer,
        &Invoice {
            name: "INV/2026/00042",
            due: d("2026-01-01"),
            amount: 300.0,
            residual: 300.0,
            payment_state: "not_paid",
        },
    );
    // The server takes the message and then waits before its final reply.
    let sink = smtp_support::SmtpSink::start(&["-W", ".:8"]);
    let install = Install::start(world, Mail::Smtp(sink.port), STRATEGY_S).await;
    let mut child = install.command(as_of).spawn().expect("spawn relanced");
    let deadline = Instant::now() + Duration::from_secs(20);
    while sink.mail_commands() == 0 {
        assert!(Instant::now() < deadline, "the email was never started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.start_kill().expect("SIGKILL");
    let _ = child.wait().await;

    let smtp = Aiosmtpd::start();
    let text = std::fs::read_to_string(&install.config).expect("config");
    std::fs::write(
        &install.config,
        text.replace(
            &format!("port = {}\n", sink.port),
            &format!("port = {}\n", smtp.port),
        ),
    )
    .expect("config");
    (install, smtp, sink, customer)
}

async fn email_action(install: &Install) -> (Ledger, relanced::ledger::Action) {
    let ledger = Ledger::open(&format!("sqlite://{}", install.ledger_path().display()))
        .await
        .expect("open ledger");
    let email = ledger
        .list_actions(ActionFilter {
            run: None,
            state: None,
        })
        .await
        .expect("actions")
        .into_iter()
        .find(|a| a.kind == ActionKind::Email)
        .expect("the email action");
    (ledger, email)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_cut_off_by_sigkill_becomes_uncertain_is_reported_and_never_resent() {
    let as_of = d("2026-01-06");
    let (install, smtp, sink, customer) = email_cut_off_by_sigkill().await;
    let out = install
        .command_text(as_of)
        .output()
        .await
        .expect("run relanced once");
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("1 email(s) uncertain"),
        "the summary reports the uncertain email: {summary}"
    );
    install.once_ok(as_of).await;
    assert!(
        smtp.messages().is_empty(),
        "the uncertain email is not resent"
    );
    assert_eq!(sink.mail_commands(), 1);

    let (ledger, email) = email_action(&install).await;
    assert_eq!(email.state, ActionState::Uncertain);
    let notes = install.notes(customer);
    assert!(
        notes
            .iter()
            .any(|n| n.body.contains(&format!("{}/uncertain", email.key))),
        "a note asks a person to confirm: {notes:?}"
    );
    // The rest of the communication was completed: recorded, noted, marked.
    let state = ledger.followup_state(Some(COMPANY)).await.expect("state");
    assert!(
        state.customers[&(COMPANY, customer)]
            .last
            .as_ref()
            .is_some_and(|l| l.date == as_of)
    );
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_email_is_not_sent_again_by_a_run_on_a_later_day() {
    let (install, smtp, sink, customer) = email_cut_off_by_sigkill().await;
    let r = install.once_ok(d("2026-01-07")).await;
    assert_eq!(report_count(&r, "emails"), 0, "{r}");
    install.once_ok(d("2026-01-08")).await;
    assert!(smtp.messages().is_empty(), "level 1 is not sent again");
    assert_eq!(sink.mail_commands(), 1);
    let (ledger, email) = email_action(&install).await;
    assert_eq!(email.state, ActionState::Uncertain);
    let state = ledger.followup_state(Some(COMPANY)).await.expect("state");
    let last = state.customers[&(COMPANY, customer)].last.clone();
    assert_eq!(
        last.map(|l| (l.level_key, l.date)),
        Some(("amical".to_owned(), d("2026-01-06"))),
        "the communication is recorded on the day it left"
    );
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);
    assert!(
        install.notes(customer).len() >= 2,
        "the communication's note and the uncertainty note"
    );
}
