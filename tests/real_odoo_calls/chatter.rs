//! The chatter: letters attached (`attach_pdf`), notes (`post_note`), call activities
//! (`create_activity`, `xmlid`), emails through Odoo (`post_email`), and the look-ups by
//! token a restart after a crash relies on (`find_note`, `find_activity`,
//! `find_attachment`): nothing found before the write, the very record after it.

use crate::book::Book;
use crate::support::{Db, Target};
use base64::Engine as _;
use relanced::odoo::ErrorKind;
use relanced::odoo::writeback::{
    NewActivity, attach_pdf, create_activity, find_activity, find_attachment, find_note,
    html_escape, post_email, post_note, token_html, xmlid,
};
use serde_json::{Value, json};

/// A one-page PDF, as small as a valid one gets.
pub fn tiny_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// The id of a record named by its xmlid, as the administrator reads it.
async fn admin_xmlid(db: &Db, module: &str, name: &str) -> i64 {
    let rows = db
        .search_read(
            "ir.model.data",
            json!([["module", "=", module], ["name", "=", name]]),
            &["res_id"],
        )
        .await;
    rows[0]["res_id"].as_i64().expect("res_id")
}

async fn message(db: &Db, id: i64) -> Value {
    let rows = db
        .search_read(
            "mail.message",
            json!([["id", "=", id]]),
            &[
                "body",
                "subtype_id",
                "author_id",
                "attachment_ids",
                "partner_ids",
                "message_type",
                "subject",
                "model",
                "res_id",
            ],
        )
        .await;
    rows.into_iter().next().expect("the message")
}

async fn a_letter_and_its_note_are_found_again_by_name_and_token(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let partner = book.customer("plain");
    let bot_partner = book.user("bot")["partner_id"].as_i64().unwrap();
    let filename = "relance-2-INV_2026_00005.pdf";
    let token = "run7/c42/standard/note";

    assert_eq!(find_attachment(api, partner, filename).await.unwrap(), None);
    assert_eq!(find_note(api, partner, token).await.unwrap(), None);

    let pdf = tiny_pdf();
    let attachment = attach_pdf(api, "res.partner", partner, filename, &pdf)
        .await
        .expect("attach_pdf");
    let rows = db
        .search_read(
            "ir.attachment",
            json!([["id", "=", attachment]]),
            &[
                "name",
                "mimetype",
                "file_size",
                "datas",
                "res_model",
                "res_id",
            ],
        )
        .await;
    let row = &rows[0];
    assert_eq!(row["name"], json!(filename));
    assert_eq!(row["mimetype"], json!("application/pdf"));
    assert_eq!(row["file_size"].as_u64(), Some(pdf.len() as u64));
    assert_eq!(
        (row["res_model"].clone(), row["res_id"].clone()),
        (json!("res.partner"), json!(partner))
    );
    let datas = base64::engine::general_purpose::STANDARD
        .decode(row["datas"].as_str().unwrap())
        .unwrap();
    assert_eq!(datas, pdf, "the same bytes back");
    assert_eq!(
        find_attachment(api, partner, filename).await.unwrap(),
        Some(attachment)
    );

    let hostile = "<script>alert(1)</script> & \"Dubois\"";
    let body = format!(
        "<p>Relance 2 envoyée à {}</p>{}",
        html_escape(hostile),
        token_html(token)
    );
    let note = post_note(api, partner, &body, &[attachment])
        .await
        .expect("post_note");
    let m = message(db, note).await;
    assert_eq!(
        (m["model"].clone(), m["res_id"].clone()),
        (json!("res.partner"), json!(partner))
    );
    assert_eq!(m["message_type"], json!("comment"));
    assert_eq!(
        m["subtype_id"][0].as_i64(),
        Some(admin_xmlid(db, "mail", "mt_note").await)
    );
    assert_eq!(m["author_id"][0].as_i64(), Some(bot_partner), "{m}");
    assert_eq!(m["attachment_ids"], json!([attachment]));
    let text = m["body"].as_str().unwrap();
    assert!(!text.contains("<script>"), "{text}");
    assert!(
        text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
        "{text}"
    );
    assert!(text.contains("relanced:run7/c42/standard/note"), "{text}");
    assert_eq!(find_note(api, partner, token).await.unwrap(), Some(note));
    // Another customer's token is not this one's.
    assert_eq!(
        find_note(api, book.customer("tagged"), token)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        find_note(api, partner, "run7/c42/standard/other")
            .await
            .unwrap(),
        None
    );
}
on_each_target!(a_letter_and_its_note_are_found_again_by_name_and_token);

async fn a_call_activity_goes_to_the_salesperson(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let partner = book.customer("contacts");
    let seller = book.user("seller")["uid"].as_i64().unwrap();
    let token = "run3/c7/urgent/call";

    let call = xmlid(api, "mail", "mail_activity_data_call")
        .await
        .expect("xmlid");
    assert_eq!(
        call,
        admin_xmlid(db, "mail", "mail_activity_data_call").await
    );
    let missing = xmlid(api, "mail", "no_such_record").await;
    assert!(missing.is_err(), "{missing:?}");

    assert_eq!(find_activity(api, partner, token).await.unwrap(), None);
    let note = format!(
        "<p>Appeler au sujet de INV/2026/00001</p>{}",
        token_html(token)
    );
    let deadline = chrono::NaiveDate::from_ymd_opt(2026, 12, 26).unwrap();
    let new = NewActivity {
        partner_id: partner,
        activity_type_id: call,
        user_id: seller,
        summary: "Appeler le client",
        note_html: &note,
        deadline,
    };
    let id = create_activity(api, &new).await.expect("create_activity");
    let rows = db.activities_on("res.partner", partner).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let a = &rows[0];
    assert_eq!(a["id"], json!(id));
    assert_eq!(a["activity_type_id"][0].as_i64(), Some(call));
    assert_eq!(a["user_id"][0].as_i64(), Some(seller));
    assert_eq!(a["date_deadline"], json!("2026-12-26"));
    assert_eq!(a["summary"], json!("Appeler le client"));
    let text = a["note"].as_str().unwrap();
    assert!(
        text.contains("Appeler au sujet de INV/2026/00001"),
        "{text}"
    );
    assert!(text.contains("relanced:run3/c7/urgent/call"), "{text}");
    assert_eq!(find_activity(api, partner, token).await.unwrap(), Some(id));
    assert_eq!(
        find_activity(api, book.customer("plain"), token)
            .await
            .unwrap(),
        None
    );
}
on_each_target!(a_call_activity_goes_to_the_salesperson);

async fn an_email_through_odoo_goes_to_the_invoice_contact_with_its_letter(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("bot", 80);
    let (db, api) = (&book.db, &bot.client);
    let partner = book.customer("contacts");
    let contact = book.json["billing"].as_i64().unwrap();
    let bot_partner = book.user("bot")["partner_id"].as_i64().unwrap();

    let letter = attach_pdf(api, "res.partner", partner, "lettre.pdf", &tiny_pdf())
        .await
        .expect("attach_pdf");
    let body = "<p>Madame, Monsieur, votre facture INV/2026/00001 reste impayée.</p>";
    let id = post_email(
        api,
        partner,
        &[contact],
        "Rappel : facture impayée",
        body,
        &[letter],
    )
    .await
    .expect("post_email");
    let m = message(db, id).await;
    assert_eq!(m["message_type"], json!("comment"));
    assert_eq!(
        m["subtype_id"][0].as_i64(),
        Some(admin_xmlid(db, "mail", "mt_comment").await)
    );
    assert_eq!(m["author_id"][0].as_i64(), Some(bot_partner));
    assert_eq!(m["partner_ids"], json!([contact]));
    assert_eq!(m["attachment_ids"], json!([letter]));
    assert_eq!(m["subject"], json!("Rappel : facture impayée"));
    assert!(m["body"].as_str().unwrap().contains("reste impayée"));
    // Odoo will send it: an email notification to the contact, its mail queued.
    let notifications = db
        .search_read(
            "mail.notification",
            json!([["mail_message_id", "=", id]]),
            &["res_partner_id", "notification_type"],
        )
        .await;
    let to: Vec<(Value, Value)> = notifications
        .iter()
        .map(|n| {
            (
                n["res_partner_id"][0].clone(),
                n["notification_type"].clone(),
            )
        })
        .collect();
    assert_eq!(
        to,
        vec![(json!(contact), json!("email"))],
        "{notifications:?}"
    );
    let mails = db
        .search_read(
            "mail.mail",
            json!([["mail_message_id", "=", id]]),
            &["recipient_ids", "attachment_ids"],
        )
        .await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["recipient_ids"], json!([contact]));
}
on_each_target!(an_email_through_odoo_goes_to_the_invoice_contact_with_its_letter);

/// What `relanced check` says of a user without email, seen: Odoo 18 refuses its notes;
/// Odoo 19 posts them, and its emails through Odoo carry no sender address.
async fn a_user_without_email_posts_notes_on_19_only(target: Target) {
    let book = Book::copy(target);
    let bot = book.bot("nomail", 80);
    let partner = book.customer("plain");
    let author = book.user("nomail")["partner_id"].as_i64().unwrap();
    let posted = post_note(&bot.client, partner, "<p>Relance</p>", &[]).await;
    if target.major() <= 18 {
        match posted {
            Err(e) => {
                assert_eq!(e.kind, ErrorKind::Validation, "{e}");
                assert!(
                    e.message.contains("configure the sender's email address"),
                    "{e}"
                );
            }
            Ok(id) => panic!("Odoo 18 took a note from a user without email: {id}"),
        }
        assert!(book.db.messages_on(partner, author).await.is_empty());
        return;
    }
    let note = posted.expect("Odoo 19 posts notes from a user without email");
    let contact = book.customer("contacts");
    let email = post_email(
        &bot.client,
        contact,
        &[contact],
        "Rappel",
        "<p>Rappel</p>",
        &[],
    )
    .await
    .expect("post_email");
    let rows = book
        .db
        .search_read(
            "mail.message",
            json!([["id", "in", [note, email]]]),
            &["author_id", "email_from"],
        )
        .await;
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row["author_id"][0].as_i64(), Some(author), "{row}");
        assert_eq!(row["email_from"], json!(false), "no sender address: {row}");
    }
}
on_each_target!(a_user_without_email_posts_notes_on_19_only);
