//! The operator's run commands through the real binary: `approve` executes a level with
//! manual approval that a run only proposed, `launch` executes one level for the customers
//! due for it (with `--remove`), `resolve --sent` settles an uncertain email and
//! `resolve --resend` sends it again, once, with its Message-ID.

use crate::common::act;
use crate::common::smtp as smtp_support;

use act::*;
use smtp_support::{Aiosmtpd, SmtpSink};

const MANUAL: &str = r#"
[[strategy]]
name = "M"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7

[[strategy.level]]
key = "demeure"
label = "Mise en demeure"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance M", color = 9 }
approval = "manual"
"#;

fn book(customers: usize) -> (odoo_double::World, Vec<i64>) {
    let mut world = empty_book(d("2026-01-01"));
    let mut ids = Vec::new();
    for n in 0..customers {
        let name = format!("Client {n}");
        let email = format!("client{n}@example.com");
        let id = add_customer(
            &mut world,
            &Customer {
                name: &name,
                email: Some(&email),
                ..Customer::default()
            },
        );
        let invoice = format!("INV/2026/{:05}", n + 1);
        add_invoice(
            &mut world,
            id,
            &Invoice {
                name: &invoice,
                due: d("2026-01-01"),
                amount: 100.0,
                residual: 100.0,
                payment_state: "not_paid",
            },
        );
        ids.push(id);
    }
    (world, ids)
}

async fn relanced(install: &Install, args: &[&str]) -> (i32, String, String) {
    let out = tokio::process::Command::new(BIN)
        .arg("--config")
        .arg(&install.config)
        .args(args)
        .env("RELANCED_ACT_KEY", odoo_double::generator::BOT_API_KEY)
        .env_remove("RELANCED_CONFIG")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manual_level_is_proposed_by_the_run_and_sent_by_approve() {
    let (world, ids) = book(2);
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), MANUAL).await;
    let first = install.once(d("2026-01-10")).await;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let json: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
    let run = json["run_id"].as_i64().unwrap();
    let proposed: Vec<i64> =
        serde_json::from_value(json["report"]["awaiting_approval"].clone()).unwrap();
    assert_eq!(proposed, ids, "both customers wait for approval");
    assert!(
        received(&smtp).is_empty(),
        "nothing is sent before approval"
    );

    // Approve one customer: only that one receives the formal notice.
    let (code, out, err) = relanced(
        &install,
        &[
            "approve",
            &run.to_string(),
            "--customer",
            &ids[0].to_string(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    let mails = received(&smtp);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0]["to"].contains("client0@example.com"), "{mails:?}");
    assert_eq!(install.markers(ids[0]), vec!["Relance M".to_owned()]);
    assert!(install.markers(ids[1]).is_empty());

    // Approving the rest sends the other one, never the first again.
    let (code, _, err) = relanced(&install, &["approve", &run.to_string()]).await;
    assert_eq!(code, 0, "{err}");
    let mails = received(&smtp);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[1]["to"].contains("client1@example.com"), "{mails:?}");

    // A customer that was not proposed cannot be approved.
    let (code, _, err) = relanced(
        &install,
        &["approve", &run.to_string(), "--customer", "999999"],
    )
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("no level waiting for approval"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn launch_executes_one_level_for_the_customers_due_minus_those_removed() {
    let (world, ids) = book(3);
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    let (code, out, err) = relanced(
        &install,
        &[
            "launch",
            "--strategy",
            "S",
            "--level",
            "amical",
            "--as-of",
            "2026-01-10",
            "--remove",
            &ids[1].to_string(),
            "--yes",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("2 customer(s)"), "{out}");
    let mut to: Vec<String> = received(&smtp).iter().map(|m| m["to"].clone()).collect();
    to.sort();
    assert_eq!(to.len(), 2, "{to:?}");
    assert!(
        to[0].contains("client0@") && to[1].contains("client2@"),
        "{to:?}"
    );
    assert!(
        install.markers(ids[1]).is_empty(),
        "the removed customer is left alone"
    );

    // Without a terminal and without --yes, nothing is executed.
    let (code, _, err) = relanced(
        &install,
        &[
            "launch",
            "--strategy",
            "S",
            "--level",
            "amical",
            "--as-of",
            "2026-01-10",
        ],
    )
    .await;
    assert_ne!(code, 0);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(received(&smtp).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_sent_settles_an_uncertain_email() {
    let (world, _) = book(1);
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), STRATEGY_S).await;
    // An email interrupted while sending, as a crash leaves it.
    let url = format!("sqlite://{}", install.ledger_path().display());
    let ledger = relanced::ledger::Ledger::open(&url).await.unwrap();
    let run = ledger
        .begin_run(relanced::ledger::RunKind::Once, d("2026-01-10"))
        .await
        .unwrap();
    let key = relanced::ledger::ActionKey {
        company_id: COMPANY.into(),
        customer_id: 1.into(),
        level_key: "amical".into(),
        occasion: relanced::ledger::Occasion::AsOf(d("2026-01-10")),
        kind: relanced::ledger::ActionKind::Email,
        part: None,
    };
    let planned = relanced::ledger::NewAction {
        key,
        level_index: 1,
        recipients: vec!["client0@example.com".into()],
    };
    let recorded = ledger.record_planned(run, &[planned]).await.unwrap();
    let id = recorded[0].action.id;
    ledger.mark_started(id).await.unwrap();
    ledger.mark_uncertain(id, "interrupted").await.unwrap();
    ledger.close().await;

    let (code, out, _) = relanced(&install, &["runs"]).await;
    assert_eq!(code, 4, "runs exits 4 while an email is uncertain: {out}");
    assert!(out.contains("UNCERTAIN"), "{out}");
    let (code, out, err) = relanced(&install, &["resolve", &id.0.to_string(), "--sent"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let (code, out, _) = relanced(&install, &["runs"]).await;
    assert_eq!(code, 0, "{out}");
    assert!(received(&smtp).is_empty(), "--sent sends nothing");
}

/// The SMTP server hangs up after the message's final dot: the email may have left. It is
/// `uncertain`, reported in the run, in `runs`, and in Odoo by a note asking a person to
/// check; the next runs never send it. `resolve ID --resend` sends it from the payload
/// recorded when it was prepared (same Message-ID), once; a second `--resend` is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_resend_sends_an_uncertain_email_once_with_its_message_id() {
    let (world, ids) = book(1);
    let customer = ids[0];
    let as_of = d("2026-01-10");
    let sink = SmtpSink::start(&["-q", "."]);
    let install = Install::start(world, Mail::Smtp(sink.port), STRATEGY_S).await;
    let run = install.once(as_of).await;
    assert_eq!(run.code, Some(3), "{}\n{}", run.stdout, run.stderr);
    let uncertain = run.report["uncertain"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(uncertain.len(), 1, "{}", run.report);
    assert_eq!(sink.mail_commands(), 1);
    let notes = install.notes(customer);
    let id = {
        let url = format!("sqlite://{}", install.ledger_path().display());
        let ledger = relanced::ledger::Ledger::open(&url).await.unwrap();
        let actions = ledger
            .list_actions(relanced::ledger::ActionFilter {
                run: None,
                state: Some(relanced::ledger::ActionState::Uncertain),
            })
            .await
            .unwrap();
        ledger.close().await;
        assert_eq!(actions.len(), 1);
        actions[0].id.0
    };
    assert!(
        // In the company's language (render.default_lang = "fr").
        notes.iter().any(|n| n.body.contains("Relance : à vérifier")
            && n.body.contains(&format!("relanced resolve {id} --resend"))),
        "Odoo asks a person to confirm: {notes:?}"
    );
    let (code, out, _) = relanced(&install, &["runs"]).await;
    assert_eq!(code, 4, "{out}");

    // The next run does not send it again (and completes the rest of the communication).
    let run = install.once(as_of).await;
    assert_eq!(report_count(&run.report, "emails"), 0, "{}", run.report);
    assert_eq!(sink.mail_commands(), 1, "never resent automatically");
    assert_eq!(install.markers(customer), vec!["Relance 1".to_owned()]);

    // A person checked: it did not arrive. Resend through a working server.
    let smtp = Aiosmtpd::start();
    let text = std::fs::read_to_string(&install.config).unwrap();
    let text = text.replace(
        &format!("port = {}\n", sink.port),
        &format!("port = {}\n", smtp.port),
    );
    std::fs::write(&install.config, text).unwrap();
    let (code, out, err) = relanced(&install, &["resolve", &id.to_string(), "--resend"]).await;
    assert_eq!(code, 0, "{out}\n{err}");
    let got = received(&smtp);
    assert_eq!(got.len(), 1, "sent once");
    assert_eq!(
        got[0].get("message-id").map(String::as_str),
        Some(expected_message_id(customer, "amical", as_of).as_str()),
        "the Message-ID of the first attempt: a receiver that got both sees one message"
    );
    assert!(
        got[0]
            .get("to")
            .is_some_and(|t| t.contains("client0@example.com")),
        "{got:?}"
    );
    let (code, out, _) = relanced(&install, &["runs"]).await;
    assert_eq!(code, 0, "nothing uncertain any more: {out}");

    // Not twice: the action is done now.
    let (code, _, err) = relanced(&install, &["resolve", &id.to_string(), "--resend"]).await;
    assert_ne!(code, 0);
    assert!(err.contains("done"), "the refusal names the state: {err}");
    let report = install.once_ok(as_of).await;
    assert_eq!(report_count(&report, "emails"), 0, "{report}");
    assert_eq!(received(&smtp).len(), 1);
}
