//! The non-CRUD methods relanced calls, with the behaviours the recordings
//! show: `message_post` escapes a plain body and (on 18) refuses an author
//! without email; `activity_schedule` creates its activities *before* XML-RPC fails to
//! marshal them; `address_get` walks contacts like Odoo; xmlids resolve
//! through `ir.model.data`.
//!
//! Access rights are checked by the caller (`methods`).

use crate::OdooVersion;
use crate::access;
use crate::compute::View;
use crate::faults::{self, Fault};
use crate::methods::{Reply, Returns};
use crate::orm::{self, Env};
use crate::sanitize;
use crate::world::{Row, UserAccess, World};
use odoo_wire::{Struct, Value};

/// Models that inherit `mail.thread` among those the double plays.
const THREADS: &[&str] = &["res.partner", "account.move"];

fn ids_of(v: Option<&Value>) -> Vec<i64> {
    v.and_then(Value::as_ids).unwrap_or_default()
}

/// `mail.thread.message_post` on each record of `ids` (Odoo posts on one).
pub fn message_post(
    world: &mut World,
    env: &Env,
    model: &str,
    ids: &[i64],
    named: &Struct,
) -> Result<Reply, Fault> {
    if !THREADS.contains(&model) {
        return Err(faults::unknown_method(env.version, model, "message_post"));
    }
    let Some(&res_id) = ids.first() else {
        return Err(Fault::Server {
            name: "builtins.ValueError".into(),
            message: "Expected singleton: ".to_owned() + model + "()",
            traceback: format!(
                "Traceback (most recent call last):\nValueError: Expected singleton: {model}()\n"
            ),
        });
    };
    if world.row(model, res_id).is_none() {
        return Err(crate::faults::missing_record(model, &[res_id], env.uid));
    }
    let author = world.user_partner(env.uid);
    let email = author
        .and_then(|p| world.stored("res.partner", p, "email"))
        .and_then(Value::as_str);
    // Odoo 18 refuses a message from an author without email; 19 posts it.
    if email.is_none_or(str::is_empty) && env.version == OdooVersion::V18 {
        return Err(Fault::User(
            "Unable to send message, please configure the sender's email address.".into(),
        ));
    }
    let body = named.get("body").and_then(Value::as_str).unwrap_or("");
    let html = named
        .get("body_is_html")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let stored_body = if html {
        sanitize::sanitize_html(body)
    } else {
        sanitize::plaintext_to_html(body)
    };
    // Without `subtype_xmlid` Odoo posts a note.
    let subtype = match named.get("subtype_xmlid").and_then(Value::as_str) {
        Some("mail.mt_comment") => xmlid_target(world, "mail", "mt_comment").unwrap_or(1),
        _ => xmlid_target(world, "mail", "mt_note").unwrap_or(2),
    };
    let attachments = ids_of(named.get("attachment_ids"));
    let record_name = View::new(world, env.version).display_name(model, res_id);
    let mut row = Row::new();
    row.insert("model", Value::from(model));
    row.insert("res_id", Value::Int(res_id));
    row.insert("body", Value::String(stored_body));
    row.insert(
        "message_type",
        named
            .get("message_type")
            .cloned()
            .unwrap_or(Value::from("notification")),
    );
    row.insert("subtype_id", Value::Int(subtype));
    row.insert(
        "attachment_ids",
        Value::Array(attachments.iter().map(|a| Value::Int(*a)).collect()),
    );
    row.insert(
        "partner_ids",
        Value::Array(
            ids_of(named.get("partner_ids"))
                .into_iter()
                .map(Value::Int)
                .collect(),
        ),
    );
    row.insert("author_id", author.map_or(Value::Bool(false), Value::Int));
    row.insert("date", Value::from(world.now.as_str()));
    row.insert("record_name", Value::String(record_name));
    if let Some(subject) = named.get("subject") {
        row.insert("subject", subject.clone());
    }
    let id = world.insert("mail.message", row);
    // Odoo re-attaches to the thread record only the attachments pending in a composer
    // of the poster; one already linked to a record stays where it is.
    for a in attachments {
        if let Some(att) = world.row_mut("ir.attachment", a) {
            let pending = matches!(
                att.get("res_model").and_then(Value::as_str),
                Some("mail.compose.message" | "mail.scheduled.message")
            ) && att.get("create_uid").and_then(Value::as_i64) == Some(env.uid);
            if pending {
                att.insert("res_model", Value::from(model));
                att.insert("res_id", Value::Int(res_id));
            }
        }
    }
    Ok(Reply::Records {
        model: "mail.message".into(),
        ids: vec![id],
        returns: Returns::Id,
    })
}

/// `mail.activity.mixin.activity_schedule`: one activity per record.
pub fn activity_schedule(
    world: &mut World,
    env: &Env,
    model: &str,
    ids: &[i64],
    named: &Struct,
) -> Result<Reply, Fault> {
    if !THREADS.contains(&model) {
        return Err(faults::unknown_method(
            env.version,
            model,
            "activity_schedule",
        ));
    }
    let type_id = match named
        .get("act_type_xmlid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(xmlid) => {
            let (module, name) = xmlid.split_once('.').unwrap_or(("", xmlid));
            Some(xmlid_target(world, module, name).ok_or_else(|| external_id_not_found(xmlid))?)
        }
        None => None,
    };
    let mut created = Vec::new();
    for id in ids {
        let mut vals = Struct::new();
        vals.insert("res_model", Value::from(model));
        vals.insert("res_id", Value::Int(*id));
        if let Some(t) = type_id {
            vals.insert("activity_type_id", Value::Int(t));
        }
        for key in ["summary", "note", "date_deadline", "user_id"] {
            if let Some(v) = named.get(key).filter(|v| !v.is_empty_odoo()) {
                vals.insert(key, v.clone());
            }
        }
        created.push(orm::create(world, env, "mail.activity", &vals)?);
    }
    Ok(Reply::Records {
        model: "mail.activity".into(),
        ids: created,
        returns: Returns::Unmarshallable,
    })
}

/// `res.partner.address_get(adr_pref)`: the first contact of each wanted
/// type, searching the partner, its descendants, then up its parents.
pub fn address_get(
    world: &World,
    env: &Env,
    ids: &[i64],
    adr_pref: Option<&Value>,
) -> Result<Reply, Fault> {
    let mut wanted: Vec<String> = adr_pref.and_then(Value::as_strings).unwrap_or_default();
    if !wanted.iter().any(|w| w == "contact") {
        wanted.push("contact".into());
    }
    let view = View::new(world, env.version);
    let mut found: Vec<(String, i64)> = Vec::new();
    let start = ids.first().copied();
    let mut current = start;
    let mut visited = std::collections::HashSet::new();
    while let Some(pid) = current {
        let mut queue = vec![pid];
        while let Some(p) = queue.first().copied() {
            queue.remove(0);
            if !visited.insert(p) {
                continue;
            }
            let typ = view.raw("res.partner", p, "type");
            let typ = typ.as_str().unwrap_or("contact").to_owned();
            if wanted.contains(&typ) && !found.iter().any(|(t, _)| *t == typ) {
                found.push((typ, p));
            }
            if found.len() == wanted.len() {
                break;
            }
            let children = view
                .read_value("res.partner", p, "child_ids", true)
                .as_ids()
                .unwrap_or_default();
            queue.extend(children.into_iter().filter(|c| {
                !view
                    .raw("res.partner", *c, "is_company")
                    .as_bool()
                    .unwrap_or(false)
            }));
        }
        let is_company = view
            .raw("res.partner", pid, "is_company")
            .as_bool()
            .unwrap_or(false);
        current = if is_company || found.len() == wanted.len() {
            None
        } else {
            view.raw("res.partner", pid, "parent_id").as_i64()
        };
    }
    let default = found
        .iter()
        .find(|(t, _)| t == "contact")
        .map(|(_, p)| *p)
        .or(start);
    let mut out = Struct::new();
    for w in &wanted {
        let id = found
            .iter()
            .find(|(t, _)| t == w)
            .map(|(_, p)| *p)
            .or(default);
        out.insert(w.as_str(), id.map_or(Value::Bool(false), Value::Int));
    }
    Ok(Reply::Value(Value::Struct(out)))
}

/// `ir.model.data.check_object_reference(module, xml_id)` → `[model, res_id]`.
pub fn check_object_reference(
    world: &World,
    version: OdooVersion,
    user: &UserAccess,
    module: Option<&Value>,
    name: Option<&Value>,
) -> Result<Reply, Fault> {
    let module = module.and_then(Value::as_str).unwrap_or("");
    let name = name.and_then(Value::as_str).unwrap_or("");
    let row = world
        .table("ir.model.data")
        .and_then(|t| {
            t.rows.values().find(|r| {
                r.get("module").and_then(Value::as_str) == Some(module)
                    && r.get("name").and_then(Value::as_str) == Some(name)
            })
        })
        .ok_or_else(|| external_id_not_found(&format!("{module}.{name}")))?;
    let model = row
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    access::check_model(version, user, &model, "read")?;
    let res_id = row.get("res_id").cloned().unwrap_or(Value::Bool(false));
    Ok(Reply::Value(Value::Array(vec![
        Value::String(model),
        res_id,
    ])))
}

/// The record an xmlid points to.
pub fn xmlid_target(world: &World, module: &str, name: &str) -> Option<i64> {
    world.table("ir.model.data")?.rows.values().find_map(|r| {
        let hit = r.get("module").and_then(Value::as_str) == Some(module)
            && r.get("name").and_then(Value::as_str) == Some(name);
        if hit {
            r.get("res_id").and_then(Value::as_i64)
        } else {
            None
        }
    })
}

fn external_id_not_found(xmlid: &str) -> Fault {
    let message = format!("External ID not found in the system: {xmlid}");
    Fault::Server {
        name: "builtins.ValueError".into(),
        traceback: format!("Traceback (most recent call last):\nValueError: {message}\n"),
        message,
    }
}
