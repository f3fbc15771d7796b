//! The chatter (notes, emails, attachments) and activities, as relanced writes them,
//! and what Odoo stores of them, read back on both sides.

use crate::cases_write::{Created, bot, create, ids_of, strings};
use crate::pair::{BOT_UID, Norm, Pair};
use relanced::odoo::api::Call;
use relanced::odoo::{Struct, Value};

const RELANCED_NOTE: &str = "<p><b>Relance 2 · Rappel standard</b></p><ul><li>Email to a@x.example</li><li>Letter (PDF attached) — no usable email</li></ul><table><tr><th>Item</th><th>Due</th><th>Days</th><th>Residual</th><th>Level</th></tr><tr><td>INV/2026/00003</td><td>2026-08-01</td><td>114</td><td>1 200,00 EUR</td><td>2</td></tr></table><p>Total due: 1 200,00 EUR</p><p>Why: O&#39;Brien &quot;SA&quot; &lt;script&gt; is 114 days overdue (≥ 15)</p><p style=\"color:#999999;font-size:9px\">[relanced:r1-c5000-l2]</p>";

/// Attachments, notes and emails in the chatter, activities; read back.
pub async fn chatter(p: &mut Pair, ids: &Created) {
    let n = Norm {
        user_ids: true,
        ..Norm::default()
    };
    // relanced's `attach_pdf`: base64 text, linked to the partner.
    let pdf = Struct::new()
        .with("name", "relance-1.pdf")
        .with("datas", "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDM+PgpzdHJlYW0KZW5kc3RyZWFtCmVuZG9iagolJUVPRgo=")
        .with("res_model", "res.partner")
        .with("res_id", ids.b)
        .with("mimetype", "application/pdf");
    let (real, _) = p
        .same(
            "create an attachment",
            create("ir.attachment", Value::Array(vec![pdf.into()])),
            Some("ir.attachment"),
            n,
        )
        .await;
    let att = ids_of(&real)[0];
    let post = |body: &str| {
        Call::write("res.partner", "message_post")
            .ids(&[ids.a])
            .arg("body", body)
    };
    // relanced's `post_note` and `post_email`, then without `body_is_html`.
    let note = post("<p>Relance 1 &middot; <b>Rappel amical</b> envoy&eacute; &amp; re&ccedil;u</p><ul><li>FAC/2026/0001 : 1&nbsp;200,00&nbsp;&euro;</li></ul>")
        .arg("body_is_html", true)
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_note")
        .arg("attachment_ids", vec![att]);
    let email = post("<p>Madame, Monsieur,</p><p>Sauf erreur&nbsp;: <b>1 200,00 €</b></p>")
        .arg("body_is_html", true)
        .arg("subject", "Rappel amical")
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_comment")
        .arg("partner_ids", vec![ids.c])
        .arg("attachment_ids", Vec::<i64>::new());
    let plain = post("Texte <b>brut</b> & suite\nligne 2").arg("message_type", "comment");
    // A note as `execute::note::note_html` writes it (table, escaped quotes, token).
    let relanced_note = post(RELANCED_NOTE)
        .arg("body_is_html", true)
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_note")
        .arg("attachment_ids", Vec::<i64>::new());
    let mut messages = Vec::new();
    for (name, call) in [
        ("message_post note html", note),
        ("message_post email", email),
        ("message_post plain text", plain),
        ("message_post relanced's note", relanced_note),
        ("message_post body only", post("<p>juste</p>")),
    ] {
        let (real, _) = p.same(name, bot(call), Some("mail.message"), n).await;
        messages.extend(ids_of(&real));
    }
    // The default activity type of the double's world and of the real base are both 2
    // ("Call"), checked by the xmlid comparison.
    let deadline = (chrono::Utc::now().date_naive() + chrono::Days::new(3)).to_string();
    let activity = Struct::new()
        .with("res_id", ids.a)
        .with("activity_type_id", 2i64)
        .with("summary", "Appeler Diff A")
        .with("note", "<p>Relance 3 : appeler</p>")
        .with("date_deadline", deadline.as_str())
        .with("user_id", BOT_UID);
    let unassigned = Struct::new()
        .with("res_id", ids.a)
        .with("summary", "Sans responsable");
    let on_partner = Some(Struct::new().with("default_res_model", "res.partner"));
    let mut activities = Vec::new();
    for (name, vals, context) in [
        (
            "activity with default_res_model",
            activity.clone(),
            on_partner.clone(),
        ),
        ("activity without user", unassigned, on_partner),
        ("activity without model", activity, None),
    ] {
        let call = Call::write("mail.activity", "create")
            .positional_arg("vals_list", Value::Array(vec![vals.into()]))
            .context(context);
        let (real, _) = p.same(name, bot(call), Some("mail.activity"), n).await;
        if real.get("fault").is_none() && real["status"] != 422 {
            activities.extend(ids_of(&real));
        }
    }
    let schedule = Call::write("res.partner", "activity_schedule")
        .ids(&[ids.a])
        .arg("act_type_xmlid", "mail.mail_activity_data_call")
        .arg("summary", "Planifiée");
    p.same("activity_schedule", bot(schedule), Some("mail.activity"), n)
        .await;
    let act = activities[0];
    let write = |model: &str, id: i64, vals: Struct, positional: bool| {
        let call = Call::write(model, "write").ids(&[id]);
        bot(if positional {
            call.positional_arg("vals", Value::Struct(vals))
        } else {
            call.arg("vals", Value::Struct(vals))
        })
    };
    let summary = |s: &str| Struct::new().with("summary", s);
    let read = |model: &str, list: &[i64], fields: &[&str]| {
        bot(Call::read(model, "read")
            .ids(list)
            .arg("fields", strings(fields)))
    };
    let cases = [
        (
            "write activity positional",
            write("mail.activity", act, summary("Rappeler"), true),
        ),
        (
            "write activity keyword vals",
            write("mail.activity", act, summary("Re-rappeler"), false),
        ),
        (
            "write attachment keyword vals",
            write(
                "ir.attachment",
                att,
                Struct::new().with("description", "lettre"),
                false,
            ),
        ),
        (
            "read back the messages",
            read(
                "mail.message",
                &messages,
                &[
                    "body",
                    "subtype_id",
                    "message_type",
                    "model",
                    "res_id",
                    "author_id",
                    "attachment_ids",
                    "partner_ids",
                    "subject",
                    "record_name",
                ],
            ),
        ),
        (
            "read back the attachment",
            read(
                "ir.attachment",
                &[att],
                &[
                    "name",
                    "res_model",
                    "res_id",
                    "mimetype",
                    "description",
                    "type",
                ],
            ),
        ),
        (
            "read back the activities",
            read(
                "mail.activity",
                &activities,
                &[
                    "res_model",
                    "res_id",
                    "summary",
                    "note",
                    "date_deadline",
                    "user_id",
                    "activity_type_id",
                    "state",
                    "res_name",
                ],
            ),
        ),
    ];
    for (name, request) in cases {
        p.same(name, request, None, n).await;
    }
}
