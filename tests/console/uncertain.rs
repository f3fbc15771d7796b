//! An email whose fate is unknown (its run was cut off between the SMTP conversation and
//! the ledger), settled from the console as `relanced resolve --sent` does: listed on
//! today's page and on its own page, confirmed sent, gone from the list, audited.

use crate::browser::Browser;
use crate::served::Served;
use chrono::NaiveDate;
use relanced::ledger::{ActionId, ActionKey, ActionKind, ActionState, NewAction, Occasion};
use relanced::ledger::{RunKind, RunStatus};

/// Records an email of customer `customer` left `uncertain` by an interrupted run.
async fn uncertain_email(s: &Served, customer: i64) -> ActionId {
    let ledger = s.ledger().await;
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date");
    let run = ledger
        .begin_run(RunKind::Scheduled, as_of)
        .await
        .expect("begin run");
    let key = ActionKey {
        company_id: 1.into(),
        customer_id: customer.into(),
        level_key: "amical".into(),
        occasion: Occasion::AsOf(as_of),
        kind: ActionKind::Email,
        part: None,
    };
    let action = NewAction {
        key,
        level_index: 1,
        recipients: vec!["compta@alpha.example".into()],
    };
    let recorded = ledger.record_planned(run, &[action]).await.expect("record");
    let id = recorded[0].action.id;
    ledger.mark_started(id).await.expect("started");
    ledger
        .mark_uncertain(id, "the connection dropped after DATA")
        .await
        .expect("uncertain");
    let summary = serde_json::json!({});
    ledger
        .finish_run(run, RunStatus::Interrupted, &summary)
        .await
        .expect("finish");
    ledger.close().await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_email_is_confirmed_sent_from_the_console() {
    let s = Served::start().await;
    let id = uncertain_email(&s, s.id("a")).await;
    let b = Browser::start().await;
    let (clerk, password) = s.user("clerk");
    b.login(&s.url, &clerk, &password).await;
    b.wait_path("/").await;
    let today = b.source_with("id=\"awaiting\"").await;
    assert!(today.contains("<a href=\"/uncertain\">1</a>"), "{today}");

    b.goto(&format!("{}/uncertain", s.url)).await;
    let page = b.source().await;
    b.shot("09-uncertain").await;
    assert!(
        page.contains("compta@alpha.example") && page.contains("Atelier Alpha"),
        "{page}"
    );
    b.click(&format!(
        "form[action=\"/uncertain/{}\"] button[type=submit]",
        id.get()
    ))
    .await;
    b.source_with("Rien.").await;
    let ledger = s.ledger().await;
    let action = ledger.action(id).await.expect("the action");
    ledger.close().await;
    assert_eq!(action.state, ActionState::Done, "recorded as sent");
    let audit = s.audit().await;
    assert!(audit.contains(&(clerk, "resolve_sent".into())), "{audit:?}");
}
