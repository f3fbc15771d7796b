//! The desk's writes on real Odoo, read back by the administrator: a postponement on an
//! invoice and on a customer (the activity's type, deadline, note, user; the next plan
//! leaves them alone until the day after), refused for an invoice of another customer or
//! a reason too long, writing nothing; exclusion and inclusion touching only the
//! exclusion tag; a customer's situation after a real run, with the personal paragraph
//! carried by the reminder and consumed.

use crate::book::Book;
use crate::support::Target;
use chrono::NaiveDate;
use relanced::app::App;
use relanced::desk::postpone::{PostponeRequest, postpone};
use relanced::desk::situation::customer_situation;
use relanced::desk::{Actor, DeskError, InputProblem};
use relanced::followup::{ItemStatus, PostponementTarget};
use relanced::ledger::{ActionKind, ActionState, ParagraphState};
use serde_json::json;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The item (move) `index` of the book and its customer.
fn item(book: &Book, index: usize) -> (i64, i64) {
    let it = &book.json["items"][index];
    (
        it["move"].as_i64().expect("move"),
        it["customer"].as_i64().expect("customer"),
    )
}

fn seller(book: &Book) -> Actor {
    let user = book.user("seller");
    Actor {
        login: user["login"].as_str().expect("login").to_owned(),
        name: "Vendeur Test".to_owned(),
        user_id: user["uid"].as_i64(),
    }
}

async fn a_postponement_is_an_activity_and_the_next_plan_waits_for_its_end(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let app = App::new(bot.config.clone());
    let db = &book.db;
    let (disputed, plain) = item(&book, 4);
    let (_, plain_again) = item(&book, 5);
    assert_eq!(plain, plain_again, "items 4 and 5 are the same customer's");
    let as_of = day("2026-11-10");

    let reason = "Litige <b>livraison</b> & retour\nRappeler le 20";
    let done = postpone(
        &app,
        PostponeRequest {
            company: 1.into(),
            customer: plain.into(),
            invoice: Some(disputed),
            until: day("2026-11-20"),
            reason: reason.to_owned(),
            by: seller(&book),
        },
    )
    .await
    .expect("postpone the invoice");
    assert_eq!((done.res_model, done.res_id), ("account.move", disputed));
    let activities = db.activities_on("account.move", disputed).await;
    assert_eq!(activities.len(), 1, "{activities:?}");
    let a = &activities[0];
    assert_eq!(a["id"].as_i64(), Some(done.activity_id));
    assert_eq!(a["activity_type_id"][1], json!("Relance : report"));
    assert_eq!(a["date_deadline"], json!("2026-11-20"));
    assert_eq!(
        a["user_id"][0].as_i64(),
        book.user("seller")["uid"].as_i64()
    );
    assert_eq!(a["summary"], json!("Litige <b>livraison</b> & retour"));
    let note = a["note"].as_str().unwrap_or_default();
    assert!(
        note.contains("Litige &lt;b&gt;livraison&lt;/b&gt; &amp; retour")
            && note.contains("Vendeur Test"),
        "the note shows the reason as text: {note}"
    );
    assert!(!note.contains("<b>livraison"), "{note}");

    // The next plan: that invoice waits until the 20th, the other one is reminded now.
    let situation = customer_situation(&app, 1.into(), plain.into(), as_of)
        .await
        .expect("situation");
    let status = |s: &relanced::desk::situation::CustomerSituation, m: i64| {
        s.items
            .iter()
            .find(|i| i.move_id == m)
            .map(|i| i.status.clone())
            .expect("listed")
    };
    assert_eq!(
        status(&situation, disputed),
        ItemStatus::Postponed {
            until: day("2026-11-20")
        }
    );
    let next = situation.next.as_ref().expect("a reminder is due");
    assert_eq!((next.on, next.level_key.as_str()), (as_of, "amical"));
    assert_eq!(
        situation.postponements.len(),
        1,
        "{:?}",
        situation.postponements
    );
    assert_eq!(situation.postponements[0].on, PostponementTarget::Invoice);
    assert_eq!(situation.postponements[0].until, Some(day("2026-11-20")));
    let after = customer_situation(&app, 1.into(), plain.into(), day("2026-11-21"))
        .await
        .expect("situation after");
    assert_eq!(
        status(&after, disputed),
        ItemStatus::Overdue,
        "counted again the day after"
    );

    // The whole customer: nothing before the day after the deadline.
    let contacts = book.customer("contacts");
    let done = postpone(
        &app,
        PostponeRequest {
            company: 1.into(),
            customer: contacts.into(),
            invoice: None,
            until: day("2026-11-30"),
            reason: "Promesse de paiement".to_owned(),
            by: Actor::command_line(Some("Jeanne Dupont")),
        },
    )
    .await
    .expect("postpone the customer");
    let activities = db.activities_on("res.partner", contacts).await;
    assert_eq!(activities.len(), 1, "{activities:?}");
    assert_eq!(activities[0]["date_deadline"], json!("2026-11-30"));
    assert_eq!(
        activities[0]["activity_type_id"][1],
        json!("Relance : report")
    );
    // Without an Odoo user, the activity goes to the bot.
    assert_eq!(activities[0]["user_id"][0].as_i64(), Some(done.user_id));
    assert_eq!(
        done.user_id,
        book.user("bot")["uid"].as_i64().expect("bot uid")
    );
    let situation = customer_situation(&app, 1.into(), contacts.into(), as_of)
        .await
        .expect("situation");
    let next = situation.next.expect("reminded after the postponement");
    assert_eq!(next.on, day("2026-12-01"), "{}", situation.explanation);

    // Refused, nothing written: an invoice of another customer, a reason too long.
    let refused = postpone(
        &app,
        PostponeRequest {
            company: 1.into(),
            customer: contacts.into(),
            invoice: Some(disputed),
            until: day("2026-11-30"),
            reason: "x".to_owned(),
            by: seller(&book),
        },
    )
    .await
    .expect_err("not this customer's invoice");
    assert!(
        matches!(refused, DeskError::InvoiceNotOfCustomer { invoice, .. } if invoice == disputed),
        "{refused}"
    );
    assert!(refused.to_string().contains("account.move"), "{refused}");
    let long = postpone(
        &app,
        PostponeRequest {
            company: 1.into(),
            customer: plain.into(),
            invoice: None,
            until: day("2026-11-30"),
            reason: "a".repeat(2001),
            by: seller(&book),
        },
    )
    .await
    .expect_err("too long");
    assert!(
        matches!(
            long,
            DeskError::Input {
                problem: InputProblem::TooLong { chars: 2001, .. },
                ..
            }
        ),
        "{long}"
    );
    assert_eq!(db.activities_on("account.move", disputed).await.len(), 1);
    assert!(db.activities_on("res.partner", plain).await.is_empty());
}
on_each_target!(a_postponement_is_an_activity_and_the_next_plan_waits_for_its_end);

async fn exclusion_adds_and_removes_only_the_exclusion_tag(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let app = App::new(bot.config.clone());
    let db = &book.db;
    let tagged = book.customer("tagged");
    let by = Actor::command_line(Some("Jeanne Dupont"));
    assert_eq!(db.tags_of(tagged).await, ["Relance 1", "VIP"]);

    let change = relanced::desk::exclude::exclude(&app, 1.into(), tagged.into(), &by)
        .await
        .expect("exclude");
    assert!(change.changed && change.excluded);
    assert_eq!(
        db.tags_of(tagged).await,
        ["Relance 1", "Relance : exclu", "VIP"]
    );
    let again = relanced::desk::exclude::exclude(&app, 1.into(), tagged.into(), &by)
        .await
        .expect("exclude again");
    assert!(!again.changed, "already excluded");
    assert_eq!(again.tag_id, change.tag_id, "the tag is not created twice");
    let situation = customer_situation(&app, 1.into(), tagged.into(), day("2026-11-10"))
        .await
        .expect("situation");
    assert!(situation.excluded);
    assert_eq!(situation.strategy, None, "not followed");
    assert_eq!(situation.next, None, "{}", situation.explanation);

    let change = relanced::desk::exclude::include(&app, 1.into(), tagged.into(), &by)
        .await
        .expect("include");
    assert!(change.changed && !change.excluded);
    assert_eq!(db.tags_of(tagged).await, ["Relance 1", "VIP"]);
    let again = relanced::desk::exclude::include(&app, 1.into(), tagged.into(), &by)
        .await
        .expect("include again");
    assert!(!again.changed);
    let situation = customer_situation(&app, 1.into(), tagged.into(), day("2026-11-10"))
        .await
        .expect("situation");
    assert!(!situation.excluded);
    assert!(situation.next.is_some(), "{}", situation.explanation);

    // A customer that does not exist is named.
    let err = relanced::desk::exclude::exclude(&app, 1.into(), 999_999.into(), &by)
        .await
        .expect_err("no such customer");
    assert!(err.to_string().contains("999999"), "{err}");
}
on_each_target!(exclusion_adds_and_removes_only_the_exclusion_tag);

async fn the_situation_after_a_run_shows_the_reminder_that_carried_the_paragraph(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let app = App::new(bot.config.clone());
    let plain = book.customer("plain");
    let by = Actor::command_line(Some("Jeanne Dupont"));
    let paragraph = relanced::desk::paragraph::set_paragraph(
        &app,
        1.into(),
        plain.into(),
        "Comme convenu <i>au téléphone</i>\nMerci",
        &by,
    )
    .await
    .expect("set the paragraph");
    let before = customer_situation(&app, 1.into(), plain.into(), day("2026-11-10"))
        .await
        .expect("situation");
    assert_eq!(before.paragraph.as_ref().map(|p| p.id), Some(paragraph.id));
    assert!(before.reminders.is_empty());

    let (code, report, stderr) = bot.relanced.once("2026-11-10").await;
    assert_eq!(code, Some(0), "{report}\n{stderr}");
    let after = customer_situation(&app, 1.into(), plain.into(), day("2026-11-10"))
        .await
        .expect("situation");
    assert_eq!(after.paragraph, None, "consumed by the reminder");
    let emails: Vec<_> = after
        .reminders
        .iter()
        .filter(|r| r.channel == ActionKind::Email)
        .collect();
    assert_eq!(emails.len(), 1, "{:?}", after.reminders);
    assert_eq!(emails[0].state, ActionState::Done);
    assert_eq!(emails[0].level_key, "amical");
    assert_eq!(emails[0].date, day("2026-11-10"));
    assert_eq!(emails[0].recipients, ["compta@dubois.example"]);
    let used = app
        .ledger()
        .await
        .expect("ledger")
        .paragraph(paragraph.id)
        .await
        .expect("paragraph");
    assert_eq!(used.state, ParagraphState::Used);
    assert_eq!(used.used_in_run, Some(emails[0].run));
    // The email written to the outbox carries it: escaped in its HTML, as typed in its text.
    let path = emails[0].document_path.clone().expect("the email's copy");
    let (html, text) = html_and_text(&path);
    assert!(
        html.contains("Comme convenu &lt;i&gt;au téléphone&lt;/i&gt;<br />Merci"),
        "{html}"
    );
    assert!(!html.contains("<i>au"), "{html}");
    assert!(
        text.contains("Comme convenu <i>au téléphone</i>\nMerci"),
        "{text}"
    );
    // The next reminder is the second level, later.
    let next = after.next.expect("a next reminder");
    assert_eq!(next.level_key, "standard");
    assert!(next.on > day("2026-11-10"));
}
on_each_target!(the_situation_after_a_run_shows_the_reminder_that_carried_the_paragraph);

/// The HTML and text parts of an `.eml`, decoded by Python's `email` package.
fn html_and_text(path: &str) -> (String, String) {
    const SCRIPT: &str = r#"
import sys, json
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parse(open(sys.argv[1], 'rb'))
out = {}
for p in m.walk():
    if p.get_content_type() in ('text/html', 'text/plain'):
        out[p.get_content_type()] = p.get_content()
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", SCRIPT, path])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let parts: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    (
        parts["text/html"].as_str().unwrap_or_default().to_owned(),
        parts["text/plain"].as_str().unwrap_or_default().to_owned(),
    )
}

/// One level, a formal notice needing approval, by email.
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

async fn an_approval_names_its_approver_in_the_ledger_and_the_chatter_note(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("bot");
    let bot = crate::Bot::with(
        &book.db,
        target,
        &login,
        &key,
        80,
        crate::support::Mail::Files,
        MANUAL,
    );
    let app = App::new(bot.config.clone());
    let plain = book.customer("plain");
    let (code, report, stderr) = bot.relanced.once("2026-11-10").await;
    assert_eq!(code, Some(0), "{report}\n{stderr}");
    assert!(
        report["report"]["awaiting_approval"]
            .as_array()
            .is_some_and(|a| a.contains(&json!(plain))),
        "{report}"
    );
    let proposing = relanced::ledger::RunId(report["run_id"].as_i64().expect("run id"));
    let jeanne = Actor {
        login: "jdupont".to_owned(),
        name: "Jeanne <Dupont>".to_owned(),
        user_id: None,
    };
    let approval = relanced::desk::approve::approve(&app, proposing, &[plain.into()], jeanne)
        .await
        .expect("approve");
    let relanced::desk::approve::Approval::Ran(outcome) = approval else {
        panic!("the run proposed the customer");
    };
    assert!(outcome.all_done(), "{:?}", outcome.report.failures);
    let ledger = app.ledger().await.expect("ledger");
    let approver = ledger
        .run_approver(relanced::ledger::RunId(outcome.run_id))
        .await
        .expect("read");
    assert_eq!(approver.map(|a| a.login), Some("jdupont".to_owned()));
    let bot_partner = book.user("bot")["partner_id"].as_i64().expect("partner");
    let notes = book.db.messages_on(plain, bot_partner).await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    let body = notes[0]["body"].as_str().unwrap_or_default();
    assert!(
        body.contains("Approuvé par Jeanne &lt;Dupont&gt;"),
        "the note says who approved, escaped: {body}"
    );
    // Only that customer was approved: the others still wait.
    let contacts = book.customer("contacts");
    assert!(book.db.messages_on(contacts, bot_partner).await.is_empty());
}
on_each_target!(an_approval_names_its_approver_in_the_ledger_and_the_chatter_note);
