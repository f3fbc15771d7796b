//! The generic ORM operations of the double: `search`, `read`, `create`,
//! `write`, `unlink`, with Odoo's defaults, many2many commands and record
//! rules. Protocol-neutral: callers pass an [`Env`] (user, companies,
//! context) and get values or a [`Fault`].
//!
//! It does not check access rights per model (`methods` does, before calling
//! in) and never formats wire output.

use crate::OdooVersion;
use crate::access;
use crate::compute::{View, default_order};
use crate::defaults;
use crate::domain::{self, Domain, Op};
use crate::faults::{self, Fault};
use crate::fields::Schema;
use crate::world::{Row, World};
use odoo_wire::{Struct, Value};

/// Who calls, in which companies, with which context.
#[derive(Clone, Debug)]
pub struct Env {
    pub version: OdooVersion,
    pub uid: i64,
    pub companies: Vec<i64>,
    pub context: Struct,
}

/// `search`: ids matching `domain`, ordered, paged.
pub fn search(
    world: &World,
    env: &Env,
    model: &str,
    domain: &Value,
    offset: usize,
    limit: Option<usize>,
    order: Option<&str>,
) -> Result<Vec<i64>, Fault> {
    let mut parsed = domain::parse(env.version, model, domain)?;
    let view = View::new(world, env.version);
    parsed.prepare(model, &view);
    let Some(table) = world.table(model) else {
        return Ok(Vec::new());
    };
    let order = order
        .filter(|o| !o.trim().is_empty())
        .unwrap_or(default_order(model));
    let schema = Schema::get(env.version);
    for part in order.split(',') {
        let name = part
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches('"');
        if !name.is_empty() && schema.field(model, name).is_none() {
            return Err(faults::invalid_order_field(model, name));
        }
    }
    let by_id = matches!(order.trim().to_ascii_lowercase().as_str(), "id" | "id asc");
    let active_filter = schema.field(model, "active").is_some() && !mentions(&parsed, "active");
    let lower = id_lower_bound(&parsed);
    let mut found = Vec::new();
    let wanted = limit.map(|l| l.saturating_add(offset));
    for (id, row) in table.rows.range(lower..) {
        if active_filter && row.get("active") == Some(&Value::Bool(false)) {
            continue;
        }
        if !access::visible(world, model, *id, &env.companies) || !parsed.matches(model, *id, &view)
        {
            continue;
        }
        found.push(*id);
        if by_id && wanted.is_some_and(|w| found.len() >= w) {
            break;
        }
    }
    let sorted = if by_id {
        found
    } else {
        view.sorted(model, found, order)
    };
    let page = sorted.into_iter().skip(offset);
    Ok(match limit {
        Some(l) => page.take(l).collect(),
        None => page.collect(),
    })
}

/// `active` is filtered implicitly unless the domain speaks of it.
fn mentions(d: &Domain, field: &str) -> bool {
    match d {
        Domain::And(v) | Domain::Or(v) => v.iter().any(|x| mentions(x, field)),
        Domain::Not(x) => mentions(x, field),
        Domain::Leaf { path, .. } => path[0] == field,
        _ => false,
    }
}

/// A top-level `('id', '>', n)` lets the scan start at `n + 1`.
fn id_lower_bound(d: &Domain) -> i64 {
    let leaf = |x: &Domain| match x {
        Domain::Leaf { path, op, value } if path.len() == 1 && path[0] == "id" => {
            match (op, value.as_i64()) {
                (Op::Gt, Some(n)) => n.saturating_add(1),
                (Op::Ge, Some(n)) => n,
                _ => i64::MIN,
            }
        }
        _ => i64::MIN,
    };
    match d {
        Domain::And(v) => v.iter().map(leaf).max().unwrap_or(i64::MIN),
        other => leaf(other),
    }
}

/// Checks that every name in `fields` exists on `model`.
pub fn check_fields(env: &Env, model: &str, fields: &[String]) -> Result<(), Fault> {
    let schema = Schema::get(env.version);
    match fields.iter().find(|f| schema.field(model, f).is_none()) {
        Some(bad) => Err(faults::invalid_fetch_field(env.version, model, bad)),
        None => Ok(()),
    }
}

/// All field names of a model (what `read` returns without `fields`).
pub fn all_fields(env: &Env, model: &str) -> Vec<String> {
    Schema::get(env.version)
        .model(model)
        .map(|m| m.fields.iter().map(|f| f.name.clone()).collect())
        .unwrap_or_default()
}

/// `read`: existing, visible records among `ids`, in the order given; many2one values
/// with their names when `names` (`load = "_classic_read"`, Odoo's default).
pub fn read(
    world: &World,
    env: &Env,
    model: &str,
    ids: &[i64],
    fields: &[String],
    names: bool,
) -> Result<Vec<Value>, Fault> {
    check_fields(env, model, fields)?;
    let view = View::new(world, env.version);
    let mut seen = std::collections::HashSet::new();
    Ok(ids
        .iter()
        .filter(|id| seen.insert(**id))
        .filter(|id| {
            world.row(model, **id).is_some() && access::visible(world, model, **id, &env.companies)
        })
        .map(|id| Value::Struct(view.read_record(model, *id, fields, names)))
        .collect())
}

/// `create` of one record from `vals`, with Odoo's defaults.
pub fn create(world: &mut World, env: &Env, model: &str, vals: &Struct) -> Result<i64, Fault> {
    let schema = Schema::get(env.version);
    let mut row = Row::new();
    let has = |f: &str| schema.field(model, f).is_some();
    if has("active") {
        row.insert("active", Value::Bool(true));
    }
    let company_owned = matches!(
        model,
        "account.move" | "account.move.line" | "ir.attachment"
    );
    if company_owned
        && has("company_id")
        && let Some(c) = env.companies.first()
    {
        row.insert("company_id", Value::Int(*c));
    }
    for f in ["create_uid", "write_uid"] {
        if has(f) {
            row.insert(f, Value::Int(env.uid));
        }
    }
    for f in ["create_date", "write_date"] {
        if has(f) {
            row.insert(f, Value::from(world.now.as_str()));
        }
    }
    for (key, value) in env.context.iter() {
        if let Some(def) = key
            .strip_prefix("default_")
            .and_then(|f| schema.field(model, f))
        {
            row.insert(def.name.as_str(), value.clone());
        }
    }
    apply_vals(world, env, model, &mut row, vals, true)?;
    defaults::model_defaults(world, env, model, &mut row)?;
    Ok(world.insert(model, row))
}

/// `write` of `vals` on existing records.
pub fn write(
    world: &mut World,
    env: &Env,
    model: &str,
    ids: &[i64],
    vals: &Struct,
) -> Result<(), Fault> {
    ensure_exist(world, env, model, ids)?;
    let now = world.now.clone();
    for id in ids {
        let mut row = world.row(model, *id).cloned().unwrap_or_default();
        apply_vals(world, env, model, &mut row, vals, false)?;
        if Schema::get(env.version)
            .field(model, "write_date")
            .is_some()
        {
            row.insert("write_date", Value::from(now.as_str()));
        }
        world.put(model, *id, row);
    }
    Ok(())
}

/// Odoo's `MissingError` when some of `ids` do not exist.
fn ensure_exist(world: &World, env: &Env, model: &str, ids: &[i64]) -> Result<(), Fault> {
    let missing: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| world.row(model, *id).is_none())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(faults::missing_record(model, &missing, env.uid))
    }
}

/// `unlink` of existing records.
pub fn unlink(world: &mut World, env: &Env, model: &str, ids: &[i64]) -> Result<(), Fault> {
    ensure_exist(world, env, model, ids)?;
    let table = world.table_mut(model);
    for id in ids {
        table.rows.remove(id);
    }
    Ok(())
}

/// Writes `vals` into `row`: checks field names, resolves x2many commands.
fn apply_vals(
    world: &mut World,
    env: &Env,
    model: &str,
    row: &mut Row,
    vals: &Struct,
    creating: bool,
) -> Result<(), Fault> {
    let schema = Schema::get(env.version);
    for (name, value) in vals.iter() {
        let Some(def) = schema.field(model, name) else {
            return Err(if creating {
                faults::invalid_create_field(env.version, model, name)
            } else {
                faults::invalid_write_field(env.version, model, name)
            });
        };
        let stored = match def.ftype.as_str() {
            "many2many" => {
                let current = row.get(name).and_then(Value::as_ids).unwrap_or_default();
                Value::Array(
                    x2many(world, env, def.relation.as_deref(), current, value)?
                        .into_iter()
                        .map(Value::Int)
                        .collect(),
                )
            }
            // one2many values are derived from their inverse many2one: relanced
            // never writes them, the double ignores them.
            "one2many" => continue,
            "many2one" => match value {
                Value::Array(a) => a.first().cloned().unwrap_or(Value::Bool(false)),
                Value::Nil => Value::Bool(false),
                v => v.clone(),
            },
            "monetary" | "float" => match value {
                Value::Int(i) => Value::Double(*i as f64),
                v => v.clone(),
            },
            "binary" => match value {
                Value::Base64(b) => {
                    use base64::Engine as _;
                    Value::String(base64::engine::general_purpose::STANDARD.encode(b))
                }
                v => v.clone(),
            },
            _ => match value {
                Value::Nil => Value::Bool(false),
                v => v.clone(),
            },
        };
        row.insert(def.name.as_str(), stored);
    }
    Ok(())
}

/// Applies Odoo's x2many commands (or a plain id list) to `current`.
fn x2many(
    world: &mut World,
    env: &Env,
    comodel: Option<&str>,
    mut current: Vec<i64>,
    value: &Value,
) -> Result<Vec<i64>, Fault> {
    let Some(items) = value.as_array() else {
        return Ok(if value.is_empty_odoo() {
            Vec::new()
        } else {
            current
        });
    };
    for item in items {
        match item {
            Value::Int(id) if !current.contains(id) => current.push(*id),
            Value::Array(cmd) => {
                let code = cmd.first().and_then(Value::as_i64).unwrap_or(-1);
                let arg = cmd.get(1).and_then(Value::as_i64);
                match (code, arg) {
                    (4, Some(id)) if !current.contains(&id) => current.push(id),
                    (3 | 2, Some(id)) => current.retain(|x| *x != id),
                    (5, _) => current.clear(),
                    (6, _) => current = cmd.get(2).and_then(Value::as_ids).unwrap_or_default(),
                    (0, _) => {
                        if let (Some(co), Some(vals)) =
                            (comodel, cmd.get(2).and_then(Value::as_struct))
                        {
                            let id = create(world, env, co, vals)?;
                            current.push(id);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    Ok(current)
}
