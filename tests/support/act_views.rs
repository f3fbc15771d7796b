//! What Odoo (the double's world) shows after a run — marker tags, relanced's chatter
//! notes, activities, attachments on a partner — and the headers of a received message,
//! read without a MIME library. Read-only helpers for the "Act" tests.
#![allow(dead_code)]

use relanced::odoo::Value;
use odoo_double::World;
use odoo_double::world::Row;
use std::collections::BTreeMap;

pub fn markers_of(w: &World, partner: i64) -> Vec<String> {
    let tags = w
        .stored("res.partner", partner, "category_id")
        .and_then(Value::as_ids)
        .unwrap_or_default();
    tags.iter()
        .filter_map(|t| {
            w.stored("res.partner.category", *t, "name")
                .and_then(Value::as_str)
        })
        .filter(|n| n.starts_with("Relance "))
        .filter(|n| !n.starts_with("Relance :"))
        .map(str::to_owned)
        .collect()
}

/// The rows of `table` that belong to a partner: `link` (`model` for messages,
/// `res_model` for activities and attachments) is `res.partner` and `res_id` the partner.
fn on_partner<'w>(
    w: &'w World,
    table: &str,
    link: &'static str,
    partner: i64,
) -> impl Iterator<Item = (i64, &'w Row)> + 'w {
    w.table(table)
        .into_iter()
        .flat_map(|t| t.rows.iter())
        .filter(move |(_, r)| {
            r.get(link).and_then(Value::as_str) == Some("res.partner")
                && r.get("res_id").and_then(Value::as_i64) == Some(partner)
        })
        .map(|(id, r)| (*id, r))
}

fn text(r: &Row, field: &str) -> String {
    r.get(field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

fn ids(r: &Row, field: &str) -> Vec<i64> {
    r.get(field).and_then(Value::as_ids).unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: i64,
    pub body: String,
    pub attachment_ids: Vec<i64>,
}

pub fn notes_of(w: &World, partner: i64) -> Vec<Note> {
    on_partner(w, "mail.message", "model", partner)
        .filter_map(|(id, r)| {
            let body = r.get("body")?.as_str()?.to_owned();
            body.contains("relanced:").then(|| Note {
                id,
                body,
                attachment_ids: ids(r, "attachment_ids"),
            })
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Activity {
    pub summary: String,
    pub user_id: Option<i64>,
    pub type_id: Option<i64>,
    pub note: String,
}

pub fn activities_of(w: &World, partner: i64) -> Vec<Activity> {
    on_partner(w, "mail.activity", "res_model", partner)
        .map(|(_, r)| Activity {
            summary: text(r, "summary"),
            user_id: r.get("user_id").and_then(Value::as_i64),
            type_id: r.get("activity_type_id").and_then(Value::as_i64),
            note: text(r, "note"),
        })
        .collect()
}

pub fn attachments_of(w: &World, partner: i64) -> Vec<(i64, String)> {
    on_partner(w, "ir.attachment", "res_model", partner)
        .map(|(id, r)| (id, text(r, "name")))
        .collect()
}

pub fn headers(raw: &[u8]) -> BTreeMap<String, String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    let head = head.split("\n\n").next().unwrap_or("");
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut last: Option<String> = None;
    for line in head.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(k) = &last
                && let Some(v) = out.get_mut(k)
            {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            out.entry(k.clone()).or_insert_with(|| v.trim().to_owned());
            last = Some(k);
        }
    }
    out
}

/// A message posted on a partner as an email (`message_type = "comment"` with
/// recipients): what Odoo's mail server sends to `partner_ids`.
#[derive(Debug, Clone)]
pub struct PostedEmail {
    pub subject: String,
    pub body: String,
    pub partner_ids: Vec<i64>,
    pub attachment_ids: Vec<i64>,
    pub subtype_id: Option<i64>,
}

pub fn emails_posted_on(w: &World, partner: i64) -> Vec<PostedEmail> {
    on_partner(w, "mail.message", "model", partner)
        // A note has no recipient; an email has its contacts.
        .filter(|(_, r)| {
            r.get("message_type").and_then(Value::as_str) == Some("comment")
                && !ids(r, "partner_ids").is_empty()
        })
        .map(|(_, r)| PostedEmail {
            subject: text(r, "subject"),
            body: text(r, "body"),
            partner_ids: ids(r, "partner_ids"),
            attachment_ids: ids(r, "attachment_ids"),
            subtype_id: r.get("subtype_id").and_then(Value::as_i64),
        })
        .collect()
}
