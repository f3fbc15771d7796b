//! Internal notes on many customers in one `mail.message.create`, each stored as
//! `post_note`'s `message_post(body_is_html, message_type='comment',
//! subtype_xmlid='mail.mt_note', attachment_ids)` stores it (proven field by field on
//! real 18.0 and 19.0 in `tests/real_odoo_calls/batch.rs`). What `message_post` computes
//! on the server is computed here from a few reads (once per run with a [`NoteCache`],
//! except the partners' companies, read per batch): the author (the API user's
//! partner), the record's company and alias domain (no thread parent: `res.partner`
//! threads are not flat, `message_post` leaves `parent_id` empty); `create` itself fills `email_from`,
//! `reply_to`, `message_id` and (18) `record_name`, and sanitises the body as the Html
//! field always does. Unlike `message_post`, it never notifies anyone: no follower
//! subscribed to internal notes gets an inbox entry or an email (no `mail.notification`,
//! no `mail.mail`), which is what a dunning note wants. It must not be used for emails.

use super::batch::created;
use crate::odoo::api::{Call, OdooApi};
use crate::odoo::error::{CallSite, ErrorKind, OdooError};
use crate::odoo::{Struct, Value};
use std::collections::{BTreeMap, BTreeSet};

/// An internal note to put on a customer's chatter.
#[derive(Clone, Debug, PartialEq)]
pub struct NewNote<'a> {
    pub partner_id: i64,
    /// HTML, kept as HTML (then sanitised by Odoo, as `message_post` leaves it).
    pub body_html: &'a str,
    /// Attachments already on the partner (`attach_pdf`, `attach_pdfs`).
    pub attachment_ids: &'a [i64],
}

/// Who posts: the API user, its partner and company.
#[derive(Clone, Copy, Debug)]
struct Poster {
    partner_id: i64,
    company_id: i64,
    major: u32,
}

/// What every batch of notes of a run is posted with, read by its first batch and kept:
/// the poster, the note subtype, and each company's alias domain met so far. A later
/// batch then reads only its partners' companies before its `create`.
#[derive(Debug, Default)]
pub struct NoteCache {
    setup: Option<(Poster, i64)>,
    aliases: BTreeMap<i64, Option<i64>>,
}

/// Posts internal notes on many partners in one `mail.message.create` (plus a few reads
/// and, on Odoo 18, one `message_subscribe`); the message ids in input order.
pub async fn post_notes(api: &impl OdooApi, notes: &[NewNote<'_>]) -> Result<Vec<i64>, OdooError> {
    post_notes_with(api, notes, &mut NoteCache::default()).await
}

/// [`post_notes`], with what `cache` already knows not read again.
pub async fn post_notes_with(
    api: &impl OdooApi,
    notes: &[NewNote<'_>],
    cache: &mut NoteCache,
) -> Result<Vec<i64>, OdooError> {
    if notes.is_empty() {
        return Ok(Vec::new());
    }
    let (poster, note_subtype) = match cache.setup {
        Some(setup) => setup,
        None => {
            let setup = (
                poster(api).await?,
                super::xmlid(api, "mail", "mt_note").await?,
            );
            cache.setup = Some(setup);
            setup
        }
    };
    let partners: Vec<i64> = notes
        .iter()
        .map(|n| n.partner_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let companies = companies(api, &partners, poster.company_id).await?;
    let unknown: BTreeMap<i64, i64> = companies
        .iter()
        .filter(|(_, company)| !cache.aliases.contains_key(company))
        .map(|(p, c)| (*p, *c))
        .collect();
    if !unknown.is_empty() {
        let found = alias_domains(api, &unknown, poster.company_id).await?;
        cache.aliases.extend(found);
    }
    let aliases = &cache.aliases;
    let mut vals = Vec::with_capacity(notes.len());
    for note in notes {
        let company = *companies.get(&note.partner_id).ok_or_else(|| {
            OdooError::protocol(
                "res.partner",
                "read",
                &[note.partner_id],
                "the partner to post on was not found",
            )
        })?;
        let attachments: Vec<Value> = note
            .attachment_ids
            .iter()
            .map(|id| Value::from(vec![4i64, *id]))
            .collect();
        vals.push(
            Struct::new()
                .with("model", "res.partner")
                .with("res_id", note.partner_id)
                .with("body", note.body_html)
                .with("message_type", "comment")
                .with("subtype_id", note_subtype)
                .with("author_id", poster.partner_id)
                .with("record_company_id", company)
                .with(
                    "record_alias_domain_id",
                    optional(aliases.get(&company).copied().flatten()),
                )
                .with("attachment_ids", Value::Array(attachments)),
        );
    }
    let ids = created(api, "mail.message", vals, None, notes.len()).await?;
    // Odoo 18's `message_post` subscribes the posting user to the record for any
    // non-notification message, notes included (`author_subscribe`); Odoo 19 only for
    // `mt_comment`. Do the same so that a batch leaves the followers a one-by-one run
    // leaves: one call for every partner (`message_subscribe` takes many records and
    // skips existing followers).
    if poster.major <= 18 {
        let call = Call::write("res.partner", "message_subscribe")
            .ids(&partners)
            .arg("partner_ids", vec![poster.partner_id]);
        api.call(call).await?;
    }
    Ok(ids)
}

fn optional(id: Option<i64>) -> Value {
    id.map(Value::from).unwrap_or(Value::Bool(false))
}

fn many2one(record: &Struct, field: &str) -> Option<i64> {
    record
        .get(field)
        .and_then(Value::as_many2one)
        .map(|(id, _)| id)
}

/// The API user (`context_get` names it on both protocols), its partner and company.
async fn poster(api: &impl OdooApi) -> Result<Poster, OdooError> {
    let context = api.call(Call::read("res.users", "context_get")).await?;
    let uid = context
        .as_struct()
        .and_then(|c| c.get("uid"))
        .and_then(Value::as_i64)
        .ok_or_else(|| OdooError::protocol("res.users", "context_get", &[], "no uid"))?;
    let users = api
        .read(
            "res.users",
            &[uid],
            &["partner_id", "company_id", "email"],
            None,
        )
        .await?;
    let user = users.first();
    let field = |name| user.and_then(|u| many2one(u, name));
    let (Some(partner_id), Some(company_id)) = (field("partner_id"), field("company_id")) else {
        return Err(OdooError::protocol(
            "res.users",
            "read",
            &[uid],
            "the API user has no partner or company",
        ));
    };
    let major = api.version().await?.major;
    // Odoo 18's `message_post` refuses a sender without email (`raise_on_email`), its
    // `mail.message.create` does not: refuse as `post_note` would, before writing.
    let email = user.and_then(|u| u.get("email")).and_then(Value::as_str);
    if major <= 18 && email.is_none_or(str::is_empty) {
        return Err(OdooError::new(
            ErrorKind::Validation,
            CallSite {
                model: "res.partner".into(),
                method: "message_post".into(),
                ids: vec![],
            },
            "Unable to send message, please configure the sender's email address \
             (the API user has none; Odoo 18 refuses its notes)",
        ));
    }
    Ok(Poster {
        partner_id,
        company_id,
        major,
    })
}

/// Each partner's company, the user's when it has none (as `_mail_get_companies`).
async fn companies(
    api: &impl OdooApi,
    partners: &[i64],
    user_company: i64,
) -> Result<BTreeMap<i64, i64>, OdooError> {
    let rows = api
        .read("res.partner", partners, &["company_id"], None)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id = r.get("id")?.as_i64()?;
            Some((id, many2one(r, "company_id").unwrap_or(user_company)))
        })
        .collect())
}

/// Each company's alias domain as `_mail_get_alias_domains` picks it: the company's,
/// else the user's company's, else (when one is missing) the first alias domain.
async fn alias_domains(
    api: &impl OdooApi,
    companies: &BTreeMap<i64, i64>,
    user_company: i64,
) -> Result<BTreeMap<i64, Option<i64>>, OdooError> {
    let companies: BTreeSet<i64> = companies.values().copied().chain([user_company]).collect();
    let ids: Vec<i64> = companies.into_iter().collect();
    let rows = api
        .read("res.company", &ids, &["alias_domain_id"], None)
        .await?;
    let own: BTreeMap<i64, Option<i64>> = rows
        .iter()
        .filter_map(|r| Some((r.get("id")?.as_i64()?, many2one(r, "alias_domain_id"))))
        .collect();
    let mut default = own.get(&user_company).copied().flatten();
    if default.is_none() && own.values().any(Option::is_none) {
        let options = crate::odoo::api::SearchOptions {
            limit: Some(1),
            ..Default::default()
        };
        let first = api
            .search_read("mail.alias.domain", vec![], &["id"], options)
            .await?;
        default = first
            .first()
            .and_then(|r| r.get("id"))
            .and_then(Value::as_i64);
    }
    Ok(own
        .into_iter()
        .map(|(company, alias)| (company, alias.or(default)))
        .collect())
}
