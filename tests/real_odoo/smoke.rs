//! The shortest whole run on each target: tags created, markers set, a letter attached,
//! a note per customer; a second run the same day writes nothing.

use crate::common::level_one;
use crate::support::*;
use serde_json::json;

const BOOK: &str = r#"
bot = make_user('relance-bot@relance-test.example')
a = customer('Atelier Smoke', email='compta@smoke.example')
b = customer('Sans Courriel SARL')
invoice(a, '2026-10-01', '2026-10-31', 1200)
invoice(b, '2026-10-01', '2026-10-31', 800)
done({'bot': bot, 'a': a.id, 'b': b.id})
"#;

async fn a_run_sets_markers_notes_and_letters(target: Target) {
    let (db, book) = target.server().copy_of("smoke", BOOK);
    let (login, key) = bot_of(&book, "bot");
    let relanced = Relanced::new(
        &db,
        target,
        &login,
        &key,
        Mail::Files,
        &level_one(r#"["email", "letter"]"#),
    );
    let (code, report, stderr) = relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "once failed: {stderr}\n{report:#}");
    let bot_partner = book["bot"]["partner_id"].as_i64().unwrap();
    for who in ["a", "b"] {
        let partner = book[who].as_i64().unwrap();
        assert_eq!(
            db.tags_of(partner).await,
            vec!["Relance 1"],
            "{who}: {report}"
        );
        let notes = db.messages_on(partner, bot_partner).await;
        assert_eq!(notes.len(), 1, "{who}: one note, got {notes:?}");
    }
    let b = book["b"].as_i64().unwrap();
    let attachments = db.attachments_on(b).await;
    assert_eq!(attachments.len(), 1, "the letter of b: {attachments:?}");
    assert_eq!(attachments[0]["mimetype"], json!("application/pdf"));

    let (code, report, stderr) = relanced.once("2026-11-22").await;
    assert_eq!(code, Some(0), "second once failed: {stderr}");
    for who in ["a", "b"] {
        let partner = book[who].as_i64().unwrap();
        assert_eq!(
            db.messages_on(partner, bot_partner).await.len(),
            1,
            "{who}: {report}"
        );
    }
}
on_each_target!(a_run_sets_markers_notes_and_letters);
