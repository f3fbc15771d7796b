//! Batched notes: `post_notes` puts notes on many customers in one `mail.message.create`
//! that read back, field by field, like `post_note`'s `message_post` (same author, Note
//! subtype, body, letter, followers; no mail, no notification), ids in input order; and it
//! refuses a user without email on Odoo 18 as `post_note` does.

use crate::book::Book;
use crate::chatter::tiny_pdf;
use crate::support::{Db, Target};
use relanced::odoo::writeback::{
    NewNote, attach_pdf, html_escape, post_note, post_notes, token_html,
};
use serde_json::{Value, json};

/// The fields of a note the chatter shows or Odoo acts on, read as the administrator.
const NOTE_FIELDS: [&str; 22] = [
    "author_id",
    "author_guest_id",
    "subtype_id",
    "message_type",
    "body",
    "subject",
    "attachment_ids",
    "model",
    "res_id",
    "record_name",
    "record_company_id",
    "record_alias_domain_id",
    "parent_id",
    "email_from",
    "reply_to",
    "reply_to_force_new",
    "is_internal",
    "partner_ids",
    "notification_ids",
    "starred",
    "email_add_signature",
    "tracking_value_ids",
];

/// A note as read back, with what belongs to its partner replaced by names: the
/// partner, its display name, its letters' names (`parent_id` is compared as is: never
/// set on a partner, whose threads are not flat).
async fn note_seen(db: &Db, id: i64, partner: i64) -> Value {
    let rows = db
        .search_read("mail.message", json!([["id", "=", id]]), &NOTE_FIELDS)
        .await;
    let mut m = rows.into_iter().next().expect("the message");
    let name = db
        .search_read(
            "res.partner",
            json!([["id", "=", partner]]),
            &["display_name"],
        )
        .await[0]["display_name"]
        .clone();
    let letters = db
        .search_read(
            "ir.attachment",
            json!([["id", "in", m["attachment_ids"].clone()]]),
            &["name", "res_model", "res_id"],
        )
        .await;
    assert_eq!(m["res_id"], json!(partner), "{m}");
    m["res_id"] = json!("the partner");
    assert_eq!(m["record_name"], name, "{m}");
    m["record_name"] = json!("its name");
    m["attachment_ids"] = letters
        .iter()
        .map(|a| {
            assert_eq!(
                (&a["res_model"], &a["res_id"]),
                (&json!("res.partner"), &json!(partner))
            );
            a["name"].clone()
        })
        .collect();
    m.as_object_mut().expect("a record").remove("id");
    let subtype = m["subtype_id"][0].clone();
    let internal = db
        .search_read(
            "mail.message.subtype",
            json!([["id", "=", subtype]]),
            &["internal"],
        )
        .await[0]["internal"]
        .clone();
    m["subtype internal"] = internal;
    m
}

async fn followers(db: &Db, partner: i64) -> Vec<Value> {
    db.search_read(
        "mail.followers",
        json!([["res_model", "=", "res.partner"], ["res_id", "=", partner]]),
        &["partner_id", "subtype_ids"],
    )
    .await
    .iter()
    .map(|f| json!([f["partner_id"][0], f["subtype_ids"]]))
    .collect()
}

async fn a_batched_note_reads_back_like_a_posted_one(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let (a, b, c) = (
        book.customer("plain"),
        book.customer("inv_postponed"),
        book.customer("be1"),
    );
    let body = format!(
        "<p>Relance 2 envoyée à {}</p><script>alert(1)</script>{}",
        html_escape("<b>Dubois</b> & \"fils\""),
        token_html("run7/c42/standard/note")
    );
    let pdf = tiny_pdf();
    let on_a = attach_pdf(api, "res.partner", a, "relance-2.pdf", &pdf)
        .await
        .expect("attach on A");
    let on_b = attach_pdf(api, "res.partner", b, "relance-2.pdf", &pdf)
        .await
        .expect("attach on B");
    let (followers_a, followers_b) = (followers(db, a).await, followers(db, b).await);
    assert_eq!(followers_a, followers_b, "A and B start alike");

    let posted = post_note(api, a, &body, &[on_a]).await.expect("post_note");
    let other = "<p>Autre note</p>";
    let batch = post_notes(
        api,
        &[
            NewNote {
                partner_id: c,
                body_html: other,
                attachment_ids: &[],
            },
            NewNote {
                partner_id: b,
                body_html: &body,
                attachment_ids: &[on_b],
            },
        ],
    )
    .await
    .expect("post_notes");
    assert_eq!(batch.len(), 2);
    let (on_c, batched) = (batch[0], batch[1]);

    let one = note_seen(db, posted, a).await;
    let many = note_seen(db, batched, b).await;
    eprintln!("{target:?}: post_note reads back as {one:#}");
    assert_eq!(one, many, "post_note on A, post_notes on B");
    // What the equality covers, stated: a note by the bot, internal, its letter, no one
    // notified.
    let bot_partner = book.user("bot")["partner_id"].as_i64().unwrap();
    assert_eq!(one["author_id"][0].as_i64(), Some(bot_partner));
    assert_eq!(one["subtype internal"], json!(true));
    assert_eq!(one["message_type"], json!("comment"));
    assert_eq!(one["attachment_ids"], json!(["relance-2.pdf"]));
    assert_eq!(one["notification_ids"], json!([]));
    assert_eq!(one["partner_ids"], json!([]));
    assert_eq!(one["parent_id"], json!(false));
    let text = one["body"].as_str().unwrap();
    assert!(!text.contains("<script>"), "sanitised: {text}");
    assert!(text.contains("relanced:run7/c42/standard/note"), "{text}");

    // Input order: C's note first, with its own body.
    let c_note = note_seen(db, on_c, c).await;
    assert_eq!(c_note["body"], json!(other));
    // No mail for either, and the same followers afterwards.
    let mails = db
        .search_read(
            "mail.mail",
            json!([["mail_message_id", "in", [posted, batched, on_c]]]),
            &["id"],
        )
        .await;
    assert_eq!(mails, Vec::<Value>::new());
    let notifications = db
        .search_read(
            "mail.notification",
            json!([["mail_message_id", "in", [posted, batched, on_c]]]),
            &["id"],
        )
        .await;
    assert_eq!(notifications, Vec::<Value>::new());
    let (after_a, after_b) = (followers(db, a).await, followers(db, b).await);
    eprintln!("{target:?}: followers before {followers_a:?}, after {after_a:?}");
    assert_eq!(
        after_a, after_b,
        "the same followers after post_note and post_notes"
    );
}
on_each_target!(a_batched_note_reads_back_like_a_posted_one);

/// As `post_note`: Odoo 18 takes no note from a user without email (its
/// `mail.message.create` would, so `post_notes` refuses before writing); Odoo 19 does,
/// without sender address.
async fn a_user_without_email_posts_batched_notes_on_19_only(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("nomail", 80);
    let partner = book.customer("plain");
    let author = book.user("nomail")["partner_id"].as_i64().unwrap();
    let note = NewNote {
        partner_id: partner,
        body_html: "<p>Relance</p>",
        attachment_ids: &[],
    };
    let posted = post_notes(&bot.client, &[note]).await;
    if target.major() <= 18 {
        let e = posted.expect_err("Odoo 18 takes no note from a user without email");
        assert_eq!(e.kind, relanced::odoo::ErrorKind::Validation, "{e}");
        assert!(
            e.message.contains("configure the sender's email address"),
            "{e}"
        );
        assert!(book.db.messages_on(partner, author).await.is_empty());
        return;
    }
    let ids = posted.expect("Odoo 19 posts notes from a user without email");
    let rows = book
        .db
        .search_read(
            "mail.message",
            json!([["id", "in", ids]]),
            &["author_id", "email_from"],
        )
        .await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["author_id"][0].as_i64(), Some(author));
    assert_eq!(rows[0]["email_from"], json!(false));
}
on_each_target!(a_user_without_email_posts_batched_notes_on_19_only);

/// A run's later batches of notes (one `NoteCache`) read only their partners' companies
/// before their `create` (and `message_subscribe` on 18), a company met for the first time
/// its alias domain too; and their notes read back like those of a batch that read
/// everything (`post_notes`, a fresh cache), in France and in Belgium.
async fn later_batches_of_notes_reuse_what_the_first_read(target: Target) {
    use relanced::odoo::writeback::{NoteCache, post_notes_with};
    use std::sync::atomic::Ordering;
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let note = |partner_id| NewNote {
        partner_id,
        body_html: "<p>Relance 1 envoyée</p>",
        attachment_ids: &[],
    };
    let calls = || api.counters.calls.load(Ordering::Relaxed);
    let mut cache = NoteCache::default();
    let mut batch = async |partners: &[i64]| {
        let before = calls();
        let notes: Vec<NewNote<'_>> = partners.iter().map(|p| note(*p)).collect();
        let ids = post_notes_with(api, &notes, &mut cache)
            .await
            .expect("post_notes_with");
        (ids, calls() - before)
    };
    let subscribe = u64::from(target.major() <= 18);
    let (_, first) = batch(&[book.customer("plain")]).await;
    let (be_ids, second) = batch(&[book.customer("inv_postponed"), book.customer("be1")]).await;
    let (fr_ids, third) = batch(&[book.customer("cust_postponed")]).await;
    eprintln!("{target:?}: calls per batch {first}, {second}, {third}");
    assert_eq!(
        third,
        2 + subscribe,
        "companies read, create (and subscribe)"
    );
    // Belgium, met here: its company's alias domain, and the first alias domain when it
    // has none (`alias_domains`).
    assert!(
        (3 + subscribe..=4 + subscribe).contains(&second),
        "and Belgium's alias domain: {second}"
    );
    assert!(
        first > second,
        "the first batch reads the poster and subtype"
    );

    // The same notes as a batch that read everything.
    let fresh = post_notes(
        api,
        &[note(book.customer("tagged")), note(book.customer("be2"))],
    )
    .await
    .expect("post_notes");
    assert_eq!(
        note_seen(db, fr_ids[0], book.customer("cust_postponed")).await,
        note_seen(db, fresh[0], book.customer("tagged")).await,
        "France"
    );
    let be = note_seen(db, be_ids[1], book.customer("be1")).await;
    assert_eq!(
        be,
        note_seen(db, fresh[1], book.customer("be2")).await,
        "Belgium"
    );
    assert_eq!(be["record_company_id"][0].as_i64(), Some(book.be()));
}
on_each_target!(later_batches_of_notes_reuse_what_the_first_read);
