//! What relanced writes into Odoo, each in the form real servers accept (see the
//! `asuser_*` recordings): marker tags (created once, added with `[4, id]`, removed with
//! `[3, id]`, other tags untouched), letters attached first as `ir.attachment` with a
//! base64 string, chatter notes with `message_post(body_is_html, subtype_xmlid=mail.mt_note)`,
//! activities created with `mail.activity.create` and `default_res_model` in the context
//! (never `activity_schedule`, which fails after committing), and lookups by the token
//! relanced puts in every note and activity, for crash reconciliation. The same writes
//! for many customers in a few calls are in `batch` (markers, letters, activities) and
//! `notes` (internal notes through `mail.message.create`, stored as `message_post` stores
//! them); the one-customer functions here stay as they are.

use crate::odoo::api::{Call, OdooApi, ids_of, leaf};
use crate::odoo::error::OdooError;
use crate::odoo::{Struct, Value};
use chrono::NaiveDate;
use std::collections::BTreeMap;

mod batch;
mod notes;

pub use batch::{MarkerChange, NewAttachment, attach_pdfs, create_activities, set_markers};
pub use notes::{NewNote, NoteCache, post_notes, post_notes_with};

/// The text relanced puts in a note or activity to find it again: `relanced:<key>`.
pub fn token_text(token: &str) -> String {
    format!("relanced:{token}")
}

/// The token as an unobtrusive HTML footer (escaped: tokens are ours, but stay safe).
pub fn token_html(token: &str) -> String {
    format!(
        "<p style=\"color:#999999;font-size:9px\">{}</p>",
        html_escape(&token_text(token))
    )
}

/// Minimal HTML escaping for text placed in notes.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Ids of the tags named, creating the missing ones with their colour (one search,
/// at most one create).
pub async fn ensure_tags(
    api: &impl OdooApi,
    wanted: &[(String, i64)],
) -> Result<BTreeMap<String, i64>, OdooError> {
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let names: Vec<Value> = wanted
        .iter()
        .map(|(n, _)| Value::from(n.as_str()))
        .collect();
    let found = api
        .search_read(
            "res.partner.category",
            vec![leaf("name", "in", Value::Array(names))],
            &["name"],
            Default::default(),
        )
        .await?;
    let mut ids: BTreeMap<String, i64> = found
        .iter()
        .filter_map(|r| Some((r.get("name")?.as_str()?.to_owned(), r.get("id")?.as_i64()?)))
        .collect();
    let missing: Vec<&(String, i64)> = wanted
        .iter()
        .filter(|(n, _)| !ids.contains_key(n))
        .collect();
    if !missing.is_empty() {
        let vals: Vec<Struct> = missing
            .iter()
            .map(|(n, color)| Struct::new().with("name", n.as_str()).with("color", *color))
            .collect();
        let created = api.create("res.partner.category", vals, None).await?;
        for ((name, _), id) in missing.iter().zip(created) {
            ids.insert(name.clone(), id);
        }
    }
    Ok(ids)
}

/// Adds `add` and removes `remove` from a partner's tags, in one write; other tags are
/// never touched.
pub async fn set_marker(
    api: &impl OdooApi,
    partner_id: i64,
    add: Option<i64>,
    remove: &[i64],
) -> Result<(), OdooError> {
    let mut commands: Vec<Value> = remove
        .iter()
        .filter(|id| Some(**id) != add)
        .map(|id| Value::from(vec![3i64, *id]))
        .collect();
    if let Some(id) = add {
        commands.push(Value::from(vec![4i64, id]));
    }
    if commands.is_empty() {
        return Ok(());
    }
    api.write(
        "res.partner",
        &[partner_id],
        Struct::new().with("category_id", Value::Array(commands)),
        None,
    )
    .await
}

/// Attaches a PDF to a record; returns the attachment id.
pub async fn attach_pdf(
    api: &impl OdooApi,
    res_model: &str,
    res_id: i64,
    filename: &str,
    pdf: &[u8],
) -> Result<i64, OdooError> {
    let vals = attachment_vals(res_model, res_id, filename, pdf);
    first_id(
        api.create("ir.attachment", vec![vals], None).await?,
        "ir.attachment",
        "create",
    )
}

fn attachment_vals(res_model: &str, res_id: i64, filename: &str, pdf: &[u8]) -> Struct {
    Struct::new()
        .with("name", filename)
        .with("datas", batch::base64(pdf))
        .with("res_model", res_model)
        .with("res_id", res_id)
        .with("mimetype", "application/pdf")
}

/// Posts an internal note (HTML) on a partner, with attachments; returns the message id.
pub async fn post_note(
    api: &impl OdooApi,
    partner_id: i64,
    body_html: &str,
    attachment_ids: &[i64],
) -> Result<i64, OdooError> {
    let call = Call::write("res.partner", "message_post")
        .ids(&[partner_id])
        .arg("body", body_html)
        .arg("body_is_html", true)
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_note")
        .arg("attachment_ids", attachment_ids.to_vec());
    message_id(api.call(call).await?, partner_id)
}

/// Sends an email through Odoo's mail server: a message to the partners, with attachments.
pub async fn post_email(
    api: &impl OdooApi,
    partner_id: i64,
    recipient_ids: &[i64],
    subject: &str,
    body_html: &str,
    attachment_ids: &[i64],
) -> Result<i64, OdooError> {
    let call = Call::write("res.partner", "message_post")
        .ids(&[partner_id])
        .arg("body", body_html)
        .arg("body_is_html", true)
        .arg("subject", subject)
        .arg("message_type", "comment")
        .arg("subtype_xmlid", "mail.mt_comment")
        .arg("partner_ids", recipient_ids.to_vec())
        .arg("attachment_ids", attachment_ids.to_vec());
    message_id(api.call(call).await?, partner_id)
}

fn message_id(v: Value, partner_id: i64) -> Result<i64, OdooError> {
    // XML-RPC answers the id, JSON-2 a list of one id.
    ids_of(&v)
        .and_then(|ids| ids.first().copied())
        .ok_or_else(|| {
            OdooError::protocol(
                "res.partner",
                "message_post",
                &[partner_id],
                format!("expected a message id, got a {}", v.kind()),
            )
        })
}

fn first_id(ids: Vec<i64>, model: &str, method: &str) -> Result<i64, OdooError> {
    ids.first()
        .copied()
        .ok_or_else(|| OdooError::protocol(model, method, &[], "no id returned"))
}

/// An activity to create on a partner.
#[derive(Clone, Debug, PartialEq)]
pub struct NewActivity<'a> {
    pub partner_id: i64,
    pub activity_type_id: i64,
    pub user_id: i64,
    pub summary: &'a str,
    pub note_html: &'a str,
    pub deadline: NaiveDate,
}

/// Creates an activity with `default_res_model` in the context (works for non-admin
/// users, who may not read `ir.model`).
pub async fn create_activity(api: &impl OdooApi, a: &NewActivity<'_>) -> Result<i64, OdooError> {
    let vals = activity_vals(a);
    let context = Struct::new().with("default_res_model", "res.partner");
    first_id(
        api.create("mail.activity", vec![vals], Some(context))
            .await?,
        "mail.activity",
        "create",
    )
}

fn activity_vals(a: &NewActivity<'_>) -> Struct {
    Struct::new()
        .with("res_id", a.partner_id)
        .with("activity_type_id", a.activity_type_id)
        .with("summary", a.summary)
        .with("note", a.note_html)
        .with("date_deadline", a.deadline.format("%Y-%m-%d").to_string())
        .with("user_id", a.user_id)
}

/// Resolves an xmlid such as `mail.mail_activity_data_call` to a record id.
pub async fn xmlid(api: &impl OdooApi, module: &str, name: &str) -> Result<i64, OdooError> {
    let call = Call::read("ir.model.data", "check_object_reference")
        .arg("module", module)
        .arg("xml_id", name);
    let v = api.call(call).await?;
    v.as_array()
        .and_then(|a| a.get(1))
        .and_then(Value::as_i64)
        .ok_or_else(|| {
            OdooError::protocol(
                "ir.model.data",
                "check_object_reference",
                &[],
                format!("{module}.{name}: expected [model, id]"),
            )
        })
}

/// Where a write on a partner leaves its trace, to look for it after a crash.
struct Trace {
    model: &'static str,
    /// The field naming the record's model (`model` on messages, `res_model` elsewhere).
    model_field: &'static str,
    field: &'static str,
    op: &'static str,
}

const NOTE: Trace = Trace {
    model: "mail.message",
    model_field: "model",
    field: "body",
    op: "ilike",
};
const ACTIVITY: Trace = Trace {
    model: "mail.activity",
    model_field: "res_model",
    field: "note",
    op: "ilike",
};
const ATTACHMENT: Trace = Trace {
    model: "ir.attachment",
    model_field: "res_model",
    field: "name",
    op: "=",
};

/// The note on `partner_id` carrying `token`, if it was posted (crash reconciliation).
pub async fn find_note(
    api: &impl OdooApi,
    partner_id: i64,
    token: &str,
) -> Result<Option<i64>, OdooError> {
    find_trace(api, &NOTE, partner_id, token_text(token)).await
}

/// The activity on `partner_id` carrying `token`, if it was created.
pub async fn find_activity(
    api: &impl OdooApi,
    partner_id: i64,
    token: &str,
) -> Result<Option<i64>, OdooError> {
    find_trace(api, &ACTIVITY, partner_id, token_text(token)).await
}

/// The attachment named `filename` on `partner_id`, if it was created.
pub async fn find_attachment(
    api: &impl OdooApi,
    partner_id: i64,
    filename: &str,
) -> Result<Option<i64>, OdooError> {
    find_trace(api, &ATTACHMENT, partner_id, filename.to_owned()).await
}

/// The first record of `trace.model` on the partner whose `trace.field` matches `text`.
async fn find_trace(
    api: &impl OdooApi,
    trace: &Trace,
    partner_id: i64,
    text: String,
) -> Result<Option<i64>, OdooError> {
    let domain = vec![
        leaf(trace.model_field, "=", "res.partner"),
        leaf("res_id", "=", partner_id),
        leaf(trace.field, trace.op, text),
    ];
    first_match(api, trace.model, domain).await
}

/// The id of the first record of `model` matching `domain`, if any.
async fn first_match(
    api: &impl OdooApi,
    model: &str,
    domain: Vec<Value>,
) -> Result<Option<i64>, OdooError> {
    let options = crate::odoo::api::SearchOptions {
        limit: Some(1),
        ..Default::default()
    };
    let rows = api.search_read(model, domain, &["id"], options).await?;
    Ok(rows
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64))
}
