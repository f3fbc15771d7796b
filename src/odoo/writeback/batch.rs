//! The same writes as the one-customer functions of `writeback`, for many customers in
//! a few calls: markers grouped by identical tag commands (one `write` per group),
//! activities and letters created with one `create` of a list each. Ids come back in
//! input order (Odoo's `create` answers them so). Nothing here decides what to write, and
//! nothing here retries: a failed call leaves the whole group unknown to the caller.
//! Notes live in `notes.rs`.

use super::NewActivity;
use crate::odoo::api::OdooApi;
use crate::odoo::error::OdooError;
use crate::odoo::{Struct, Value};
use base64::Engine as _;
use std::collections::BTreeMap;

/// A marker change on one customer, as `set_marker` takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerChange {
    pub partner_id: i64,
    /// The marker to add, if any.
    pub add: Option<i64>,
    /// The markers to remove (the one added is kept).
    pub remove: Vec<i64>,
}

impl MarkerChange {
    /// The `category_id` commands, normalised (removals sorted, deduplicated, then the
    /// addition) so that equal changes group together.
    fn commands(&self) -> Vec<[i64; 2]> {
        let mut remove: Vec<i64> = self
            .remove
            .iter()
            .copied()
            .filter(|id| Some(*id) != self.add)
            .collect();
        remove.sort_unstable();
        remove.dedup();
        let mut commands: Vec<[i64; 2]> = remove.into_iter().map(|id| [3, id]).collect();
        if let Some(id) = self.add {
            commands.push([4, id]);
        }
        commands
    }
}

/// Applies marker changes to many customers: one `res.partner.write` per distinct set of
/// tag commands, covering every customer that gets it; other tags are never touched.
/// Returns the number of writes made.
pub async fn set_markers(api: &impl OdooApi, changes: &[MarkerChange]) -> Result<usize, OdooError> {
    let mut groups: BTreeMap<Vec<[i64; 2]>, Vec<i64>> = BTreeMap::new();
    for change in changes {
        let commands = change.commands();
        if commands.is_empty() {
            continue;
        }
        let ids = groups.entry(commands).or_default();
        if !ids.contains(&change.partner_id) {
            ids.push(change.partner_id);
        }
    }
    for (commands, ids) in &groups {
        let commands: Vec<Value> = commands.iter().map(|c| Value::from(c.to_vec())).collect();
        api.write(
            "res.partner",
            ids,
            Struct::new().with("category_id", Value::Array(commands)),
            None,
        )
        .await?;
    }
    Ok(groups.len())
}

/// A letter to attach to a record.
#[derive(Clone, Debug, PartialEq)]
pub struct NewAttachment<'a> {
    pub res_model: &'a str,
    pub res_id: i64,
    pub filename: &'a str,
    pub pdf: &'a [u8],
}

/// Attaches many PDFs in one `ir.attachment.create`; their ids in input order.
pub async fn attach_pdfs(
    api: &impl OdooApi,
    letters: &[NewAttachment<'_>],
) -> Result<Vec<i64>, OdooError> {
    let vals = letters
        .iter()
        .map(|l| super::attachment_vals(l.res_model, l.res_id, l.filename, l.pdf))
        .collect();
    created(api, "ir.attachment", vals, None, letters.len()).await
}

/// Creates many activities on partners in one `mail.activity.create`, with
/// `default_res_model` in the context as `create_activity` does (every one is on a
/// partner; non-admin users may not read `ir.model` to name it by `res_model_id`); their
/// ids in input order.
pub async fn create_activities(
    api: &impl OdooApi,
    activities: &[NewActivity<'_>],
) -> Result<Vec<i64>, OdooError> {
    let vals = activities.iter().map(super::activity_vals).collect();
    let context = Struct::new().with("default_res_model", "res.partner");
    created(api, "mail.activity", vals, Some(context), activities.len()).await
}

/// One `create` of a list, checked to answer one id per record.
pub(super) async fn created(
    api: &impl OdooApi,
    model: &str,
    vals: Vec<Struct>,
    context: Option<Struct>,
    expected: usize,
) -> Result<Vec<i64>, OdooError> {
    if expected == 0 {
        return Ok(Vec::new());
    }
    let ids = api.create(model, vals, context).await?;
    if ids.len() != expected {
        return Err(OdooError::protocol(
            model,
            "create",
            &[],
            format!("{expected} records sent, {} ids answered", ids.len()),
        ));
    }
    Ok(ids)
}

/// `datas` as Odoo wants it: base64 text.
pub(super) fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
