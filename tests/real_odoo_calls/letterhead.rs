//! What a run reads besides the snapshot and writes through Odoo's mail: the letterhead of
//! each company (`company_info`), the currencies of the items (`currencies`), and a whole
//! run with `mail.transport = "odoo"` through the binary: the email posted to the invoice
//! contact with its letter, the note with the same letter, nothing twice.

use crate::Bot;
use crate::book::Book;
use crate::support::{Mail, Target};
use relanced::odoo::company::{company_info, currencies};
use relanced::odoo::features::ServerFeatures;
use relanced::odoo::snapshot::{SnapshotRequest, read_snapshot};
use relanced::render::SymbolPosition;
use serde_json::json;
use std::collections::BTreeSet;

async fn each_company_has_its_letterhead_and_currencies(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let fr = company_info(&bot.config, &bot.client, 1)
        .await
        .expect("company 1's letterhead");
    assert_eq!(fr.name, "Relance Test SAS");
    assert_eq!(fr.country.as_deref(), Some("France"));
    let be = company_info(&bot.config, &bot.client, book.be())
        .await
        .expect("the Belgian letterhead, for a bot allowed on it");
    assert_eq!(be.name, "Relance Test BE SRL");
    assert_eq!(be.country.as_deref(), Some("Belgium"));

    let features = ServerFeatures::detect(&bot.client).await.unwrap();
    let markers = BTreeSet::new();
    let owned = BTreeSet::new();
    let request = SnapshotRequest {
        company_id: 1,
        marker_tags: &markers,
        marker_owned: &owned,
        postponement_type: "Relance : report",
        page_size: 80,
    };
    let snapshot = read_snapshot(&bot.client, &features, &request)
        .await
        .unwrap();
    let found = currencies(&bot.client, &snapshot)
        .await
        .expect("currencies");
    assert_eq!(found.len(), 1, "{found:?}");
    let eur = &found["EUR"];
    assert_eq!(
        (eur.symbol.as_str(), eur.decimal_places),
        ("€", 2),
        "{eur:?}"
    );
    assert_eq!(eur.position, SymbolPosition::After, "{eur:?}");
}
on_each_target!(each_company_has_its_letterhead_and_currencies);

const STRATEGY: &str = r#"
[[strategy]]
name = "S"
default = true
min_amount = { EUR = 1000.0 }

[[strategy.level]]
key = "standard"
label = "Rappel standard"
offset_days = 15
actions = ["email", "letter"]
marker = { tag = "Relance 2", color = 3 }
"#;

async fn a_run_mails_through_odoo_with_the_letter(target: Target) {
    let book = Book::copy(target);
    let (login, key) = book.login_key("bot");
    let bot = Bot::with(&book.db, target, &login, &key, 80, Mail::Odoo, STRATEGY);
    let db = &book.db;
    let (code, report, stderr) = bot.relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "once: {stderr}\n{report:#}");
    let partner = book.customer("contacts");
    let contact = book.json["billing"].as_i64().unwrap();
    let author = book.user("bot")["partner_id"].as_i64().unwrap();
    assert_eq!(db.tags_of(partner).await, ["Relance 2"]);
    let letters = db.attachments_on(partner).await;
    assert_eq!(letters.len(), 1, "one letter: {letters:?}");
    assert_eq!(letters[0]["mimetype"], json!("application/pdf"));
    let letter = letters[0]["id"].clone();
    let messages = db.messages_on(partner, author).await;
    assert_eq!(messages.len(), 2, "an email and a note: {messages:#?}");
    let email = messages
        .iter()
        .find(|m| m["partner_ids"] == json!([contact]))
        .unwrap_or_else(|| panic!("an email to the invoice contact: {messages:#?}"));
    assert_eq!(email["attachment_ids"], json!([letter]));
    assert!(
        email["subject"].as_str().is_some_and(|s| !s.is_empty()),
        "{email}"
    );
    let note = messages.iter().find(|m| m["id"] != email["id"]).unwrap();
    assert_eq!(note["partner_ids"], json!([]));
    assert_eq!(note["attachment_ids"], json!([letter]), "the same letter");
    let mails = db
        .search_read(
            "mail.mail",
            json!([["mail_message_id", "=", email["id"]]]),
            &["recipient_ids"],
        )
        .await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["recipient_ids"], json!([contact]));
    // Only the customer above the minimum; nothing sent by SMTP or to files.
    for other in ["tagged", "plain", "inv_postponed"] {
        assert!(
            db.messages_on(book.customer(other), author)
                .await
                .is_empty()
        );
    }
    // Again the same day: nothing more.
    let (code, report, stderr) = bot.relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "second once: {stderr}\n{report:#}");
    assert_eq!(db.messages_on(partner, author).await.len(), 2);
    assert_eq!(db.attachments_on(partner).await.len(), 1);
}
on_each_target!(a_run_mails_through_odoo_with_the_letter);
