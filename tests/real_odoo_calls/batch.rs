//! Batched writes: `set_markers` (one `write` per distinct marker change), `attach_pdfs`
//! and `create_activities` (one `create` of a list each, ids in input order), and what
//! batching notes and markers gains on a real Odoo 18 (printed, not asserted). Notes are
//! proven in `batch_notes.rs`.

use crate::book::Book;
use crate::chatter::tiny_pdf;
use crate::support::{Db, ODOO18_XMLRPC, Target};
use relanced::odoo::writeback::{
    MarkerChange, NewActivity, NewAttachment, NewNote, attach_pdfs, create_activities, ensure_tags,
    post_note, post_notes, set_marker, set_markers, token_html, xmlid,
};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::Instant;

async fn tag_id(db: &Db, name: &str) -> i64 {
    let rows = db
        .search_read(
            "res.partner.category",
            json!([["name", "=", name]]),
            &["id"],
        )
        .await;
    rows[0]["id"].as_i64().expect(name)
}

async fn add_tags(db: &Db, partner: i64, tags: &[i64]) {
    let commands: Vec<Value> = tags.iter().map(|t| json!([4, t])).collect();
    db.call(
        "res.partner",
        "write",
        json!([[partner], {"category_id": commands}]),
        json!({}),
    )
    .await;
}

async fn markers_are_written_once_per_group_and_other_tags_stay(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let ids = ensure_tags(
        api,
        &[
            ("Relance 1".to_owned(), 10),
            ("Relance 2".to_owned(), 3),
            ("Relance 3".to_owned(), 2),
        ],
    )
    .await
    .expect("ensure_tags");
    let (r1, r2, r3) = (ids["Relance 1"], ids["Relance 2"], ids["Relance 3"]);
    let vip = tag_id(db, "VIP").await;
    let all = vec![r1, r2, r3];
    // Current markers: tagged has VIP + R1, marked R1; plain and contacts none;
    // inv_postponed VIP + R2, cust_postponed R3; be1 VIP and no change.
    let c = |n| book.customer(n);
    add_tags(db, c("inv_postponed"), &[vip, r2]).await;
    add_tags(db, c("cust_postponed"), &[r3]).await;
    add_tags(db, c("be1"), &[vip]).await;
    let change = |name, add: Option<i64>| MarkerChange {
        partner_id: c(name),
        add,
        remove: all.clone(),
    };
    let changes = vec![
        change("tagged", Some(r2)),
        change("plain", Some(r3)),
        change("inv_postponed", None),
        change("marked", Some(r2)),
        change("contacts", Some(r3)),
        change("cust_postponed", None),
        // Nothing to do: no call.
        MarkerChange {
            partner_id: c("be2"),
            add: None,
            remove: vec![],
        },
    ];
    let before = api.counters.writes.load(Ordering::Relaxed);
    let writes = set_markers(api, &changes).await.expect("set_markers");
    let sent = api.counters.writes.load(Ordering::Relaxed) - before;
    assert_eq!((writes, sent), (3, 3), "one write per group");

    let expect = [
        ("tagged", vec!["Relance 2", "VIP"]),
        ("marked", vec!["Relance 2"]),
        ("plain", vec!["Relance 3"]),
        ("contacts", vec!["Relance 3"]),
        ("inv_postponed", vec!["VIP"]),
        ("cust_postponed", vec![]),
        ("be1", vec!["VIP"]),
        ("be2", vec![]),
    ];
    for (name, tags) in expect {
        assert_eq!(db.tags_of(c(name)).await, tags, "{name}'s tags");
    }
}
on_each_target!(markers_are_written_once_per_group_and_other_tags_stay);

async fn letters_and_activities_are_created_in_lists(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let (plain, contacts) = (book.customer("plain"), book.customer("contacts"));
    let (pdf, other) = (tiny_pdf(), b"%PDF-1.4\n%%EOF\n".to_vec());
    let letters = [
        NewAttachment {
            res_model: "res.partner",
            res_id: plain,
            filename: "a.pdf",
            pdf: &pdf,
        },
        NewAttachment {
            res_model: "res.partner",
            res_id: contacts,
            filename: "b.pdf",
            pdf: &other,
        },
        NewAttachment {
            res_model: "res.partner",
            res_id: plain,
            filename: "c.pdf",
            pdf: &other,
        },
    ];
    let before = api.counters.writes.load(Ordering::Relaxed);
    let ids = attach_pdfs(api, &letters).await.expect("attach_pdfs");
    for (id, letter) in ids.iter().zip(&letters) {
        let rows = db
            .search_read(
                "ir.attachment",
                json!([["id", "=", id]]),
                &["name", "res_model", "res_id", "mimetype", "file_size"],
            )
            .await;
        let row = &rows[0];
        assert_eq!(row["name"], json!(letter.filename));
        assert_eq!(row["res_id"], json!(letter.res_id));
        assert_eq!(row["res_model"], json!("res.partner"));
        assert_eq!(row["mimetype"], json!("application/pdf"));
        assert_eq!(row["file_size"].as_u64(), Some(letter.pdf.len() as u64));
    }

    let call = xmlid(api, "mail", "mail_activity_data_call").await.unwrap();
    let todo = xmlid(api, "mail", "mail_activity_data_todo").await.unwrap();
    let seller = book.user("seller")["uid"].as_i64().unwrap();
    let bot_uid = book.user("bot")["uid"].as_i64().unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let activities = [
        NewActivity {
            partner_id: contacts,
            activity_type_id: call,
            user_id: seller,
            summary: "Appeler le client",
            note_html: "<p>Appeler</p><p>relanced:r1/c1/urgent/call</p>",
            deadline: day(26),
        },
        NewActivity {
            partner_id: plain,
            activity_type_id: todo,
            user_id: bot_uid,
            summary: "Vérifier",
            note_html: "<p>Vérifier</p><p>relanced:r1/c2/urgent/call</p>",
            deadline: day(27),
        },
    ];
    let created = create_activities(api, &activities)
        .await
        .expect("create_activities");
    let sent = api.counters.writes.load(Ordering::Relaxed) - before;
    assert_eq!(sent, 2, "one create of letters, one of activities");
    for (id, a) in created.iter().zip(&activities) {
        let rows = db.activities_on("res.partner", a.partner_id).await;
        let row = rows
            .iter()
            .find(|r| r["id"] == json!(id))
            .unwrap_or_else(|| panic!("activity {id} on {}: {rows:?}", a.partner_id));
        assert_eq!(
            row["activity_type_id"][0].as_i64(),
            Some(a.activity_type_id)
        );
        assert_eq!(row["user_id"][0].as_i64(), Some(a.user_id));
        assert_eq!(row["summary"], json!(a.summary));
        assert_eq!(row["date_deadline"], json!(a.deadline.to_string()));
        let note = row["note"].as_str().unwrap();
        assert!(note.contains(&a.note_html[..20]), "{note}");
    }
}
on_each_target!(letters_and_activities_are_created_in_lists);

const MANY: &str = r#"
users = {'bot': make_user('relance-bot@relance-test.example')}
tag('Relance 1', 10)
tag('Relance 2', 3)
partners = env['res.partner'].create([
    {'name': 'Client %03d' % i, 'email': 'c%03d@clients.example' % i, 'is_company': True,
     'lang': 'fr_FR'}
    for i in range(400)])
done({'users': users, 'c': partners.ids})
"#;

/// Measurement, not a test of behaviour: 200 notes and 200 marker changes one by one,
/// then batched, on a real Odoo 18 over XML-RPC (one process, `workers = 0`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batching_200_notes_and_markers_on_odoo18_measured() {
    const N: usize = 200;
    let target = ODOO18_XMLRPC;
    let (db, json) = target.server().copy_of("many", MANY);
    let (login, key) = crate::support::bot_of(&json["users"], "bot");
    let bot = crate::Bot::new(&db, target, &login, &key, 80);
    let api = &bot.client;
    let customers: Vec<i64> = json["c"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    let (one_by_one, batched) = customers.split_at(N);
    let tags = ensure_tags(api, &[("Relance 1".into(), 10), ("Relance 2".into(), 3)])
        .await
        .unwrap();
    let (r1, r2) = (tags["Relance 1"], tags["Relance 2"]);
    let body = |i: usize| {
        format!(
            "<p>Relance 1 envoyée</p>{}",
            token_html(&format!("bench/c{i}/note"))
        )
    };
    api.session().await.unwrap(); // the session opened before timing

    let start = Instant::now();
    for (i, p) in one_by_one.iter().enumerate() {
        post_note(api, *p, &body(i), &[]).await.unwrap();
    }
    let notes_one = start.elapsed();
    let bodies: Vec<String> = (0..N).map(body).collect();
    let notes: Vec<NewNote> = batched
        .iter()
        .zip(&bodies)
        .map(|(p, b)| NewNote {
            partner_id: *p,
            body_html: b,
            attachment_ids: &[],
        })
        .collect();
    let calls = api.counters.calls.load(Ordering::Relaxed);
    let start = Instant::now();
    let ids = post_notes(api, &notes).await.unwrap();
    let notes_batch = start.elapsed();
    let notes_calls = api.counters.calls.load(Ordering::Relaxed) - calls;
    assert_eq!(ids.len(), N);

    let start = Instant::now();
    for p in one_by_one {
        set_marker(api, *p, Some(r2), &[r1, r2]).await.unwrap();
    }
    let markers_one = start.elapsed();
    let changes: Vec<MarkerChange> = batched
        .iter()
        .map(|p| MarkerChange {
            partner_id: *p,
            add: Some(r2),
            remove: vec![r1, r2],
        })
        .collect();
    let start = Instant::now();
    set_markers(api, &changes).await.unwrap();
    let markers_batch = start.elapsed();
    assert_eq!(db.tags_of(batched[N - 1]).await, ["Relance 2"]);

    eprintln!(
        "Odoo 18.0 XML-RPC, workers=0, {N} customers:\n  \
         notes:   post_note one by one {:>7.2?} ({:.1} ms each), post_notes {:>7.2?} in {notes_calls} calls ({:.1}x)\n  \
         markers: set_marker one by one {:>7.2?} ({:.1} ms each), set_markers {:>7.2?} in 1 write ({:.1}x)",
        notes_one,
        notes_one.as_secs_f64() * 1000.0 / N as f64,
        notes_batch,
        notes_one.as_secs_f64() / notes_batch.as_secs_f64(),
        markers_one,
        markers_one.as_secs_f64() * 1000.0 / N as f64,
        markers_batch,
        markers_one.as_secs_f64() / markers_batch.as_secs_f64(),
    );
}
