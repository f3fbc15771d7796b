//! Odoo search domains: parsing the prefix notation (`&`, `|`, `!`, leaves
//! `[path, operator, value]`), checking fields against the schema, and
//! evaluating a domain on one record.
//!
//! Evaluation reads values through [`Resolver`], so this module knows no
//! storage. It mirrors Odoo's SQL semantics where relanced depends on them:
//! `= False` matches empty values, `!=`/`not in`/`not ilike` also match empty
//! values, dotted paths match when any related record matches.

use crate::OdooVersion;
use crate::faults::{self, Fault};
use crate::fields::Schema;
use crate::like;
use odoo_wire::Value;
use std::cmp::Ordering;
use std::collections::HashSet;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Like,
    NotLike,
    ILike,
    NotILike,
    EqLike,
    EqILike,
    ChildOf,
}

impl Op {
    fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "in" => Op::In,
            "not in" => Op::NotIn,
            "like" => Op::Like,
            "not like" => Op::NotLike,
            "ilike" => Op::ILike,
            "not ilike" => Op::NotILike,
            "=like" => Op::EqLike,
            "=ilike" => Op::EqILike,
            "child_of" => Op::ChildOf,
            _ => return None,
        })
    }
}

/// A parsed domain.
#[derive(Clone, Debug, PartialEq)]
pub enum Domain {
    True,
    False,
    And(Vec<Domain>),
    Or(Vec<Domain>),
    Not(Box<Domain>),
    Leaf {
        path: Vec<String>,
        op: Op,
        value: Value,
    },
}

/// Reads values for evaluation.
pub trait Resolver {
    /// The value of `field` on a record: many2one as `Int`/`False`, x2many as
    /// an array of ids, everything else as Odoo reads it.
    fn value(&self, model: &str, id: i64, field: &str) -> Value;
    /// The comodel of a relational field.
    fn comodel(&self, model: &str, field: &str) -> Option<String>;
    /// `ids` and all their descendants through `parent_id`.
    fn descendants(&self, model: &str, ids: &[i64]) -> HashSet<i64>;
    /// A record's `display_name` (text comparisons on relational fields).
    fn display_name(&self, model: &str, id: i64) -> String;
}

/// Parses and checks `domain` for `model`. Unknown fields give Odoo's fault.
pub fn parse(version: OdooVersion, model: &str, domain: &Value) -> Result<Domain, Fault> {
    let items: &[Value] = match domain {
        Value::Array(a) => a,
        Value::Bool(false) | Value::Nil => &[],
        other => return Err(bad_domain(other)),
    };
    let schema = Schema::get(version);
    // Prefix notation: read right to left with a stack.
    let mut stack: Vec<Domain> = Vec::new();
    for item in items.iter().rev() {
        match item {
            Value::String(s) if s == "&" || s == "|" => {
                let (a, b) = (stack.pop(), stack.pop());
                let (Some(a), Some(b)) = (a, b) else {
                    return Err(bad_domain(domain));
                };
                stack.push(if s == "&" {
                    Domain::And(vec![a, b])
                } else {
                    Domain::Or(vec![a, b])
                });
            }
            Value::String(s) if s == "!" => {
                let a = stack.pop().ok_or_else(|| bad_domain(domain))?;
                stack.push(Domain::Not(Box::new(a)));
            }
            Value::Array(leaf) => stack.push(parse_leaf(version, schema, model, leaf)?),
            other => return Err(bad_domain(other)),
        }
    }
    stack.reverse();
    Ok(match stack.len() {
        0 => Domain::True,
        1 => stack.remove(0),
        _ => Domain::And(stack),
    })
}

fn parse_leaf(
    version: OdooVersion,
    schema: &Schema,
    model: &str,
    leaf: &[Value],
) -> Result<Domain, Fault> {
    let [left, op, value] = leaf else {
        return Err(bad_domain(&Value::Array(leaf.to_vec())));
    };
    // (1, '=', 1) and (0, '=', 1): Odoo's TRUE_LEAF / FALSE_LEAF.
    if let Some(i) = left.as_i64() {
        return Ok(if i == 1 { Domain::True } else { Domain::False });
    }
    let Some(path_text) = left.as_str() else {
        return Err(bad_domain(left));
    };
    let op = op
        .as_str()
        .and_then(Op::parse)
        .ok_or_else(|| Fault::Server {
            name: "builtins.ValueError".into(),
            message: format!("Invalid leaf {}", faults::py_tuple(leaf)),
            traceback: format!(
                "Traceback (most recent call last):\nValueError: Invalid leaf {}\n",
                faults::py_tuple(leaf)
            ),
        })?;
    let path: Vec<String> = path_text.split('.').map(str::to_owned).collect();
    let mut current = model.to_owned();
    for (i, name) in path.iter().enumerate() {
        let Some(field) = schema.field(&current, name) else {
            return Err(faults::invalid_domain_field(version, &current, name, leaf));
        };
        if i + 1 < path.len() {
            match &field.relation {
                Some(r) => current = r.clone(),
                None => return Err(faults::invalid_domain_field(version, &current, name, leaf)),
            }
        }
    }
    Ok(Domain::Leaf {
        path,
        op,
        value: value.clone(),
    })
}

fn bad_domain(v: &Value) -> Fault {
    let message = format!("Invalid domain term {}", faults::py_repr(v));
    Fault::Server {
        name: "builtins.ValueError".into(),
        traceback: format!("Traceback (most recent call last):\nValueError: {message}\n"),
        message,
    }
}

impl Domain {
    /// Replaces `child_of` leaves by `in` over the expanded ids.
    pub fn prepare(&mut self, model: &str, r: &dyn Resolver) {
        match self {
            Domain::And(v) | Domain::Or(v) => v.iter_mut().for_each(|d| d.prepare(model, r)),
            Domain::Not(d) => d.prepare(model, r),
            Domain::Leaf { path, op, value } if *op == Op::ChildOf => {
                let mut target = model.to_owned();
                for name in path.iter() {
                    if name != "id" {
                        target = r.comodel(&target, name).unwrap_or(target);
                    }
                }
                let roots = match &*value {
                    Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
                    v => v.as_i64().into_iter().collect::<Vec<_>>(),
                };
                let mut all: Vec<i64> = r.descendants(&target, &roots).into_iter().collect();
                all.sort_unstable();
                *op = Op::In;
                *value = Value::Array(all.into_iter().map(Value::Int).collect());
            }
            _ => {}
        }
    }

    /// Whether record `id` of `model` satisfies the domain.
    pub fn matches(&self, model: &str, id: i64, r: &dyn Resolver) -> bool {
        match self {
            Domain::True => true,
            Domain::False => false,
            Domain::And(v) => v.iter().all(|d| d.matches(model, id, r)),
            Domain::Or(v) => v.iter().any(|d| d.matches(model, id, r)),
            Domain::Not(d) => !d.matches(model, id, r),
            Domain::Leaf { path, op, value } => leaf_matches(model, id, path, *op, value, r),
        }
    }
}

fn leaf_matches(
    model: &str,
    id: i64,
    path: &[String],
    op: Op,
    value: &Value,
    r: &dyn Resolver,
) -> bool {
    let field = &path[0];
    if path.len() > 1 {
        let Some(comodel) = r.comodel(model, field) else {
            return false;
        };
        return related_ids(&r.value(model, id, field))
            .into_iter()
            .any(|cid| leaf_matches(&comodel, cid, &path[1..], op, value, r));
    }
    let actual = if field == "id" {
        Value::Int(id)
    } else {
        r.value(model, id, field)
    };
    // A text compared with a relational field is matched on display names,
    // as Odoo's name_search does (`partner_id ilike 'azure'`).
    if let (Value::String(_), Some(comodel)) = (value, r.comodel(model, field)) {
        let names: Vec<Value> = related_ids(&actual)
            .into_iter()
            .map(|cid| Value::String(r.display_name(&comodel, cid)))
            .collect();
        let negative = matches!(op, Op::Ne | Op::NotIn | Op::NotLike | Op::NotILike);
        return if names.is_empty() {
            negative
        } else {
            compare(&Value::Array(names), op, value)
        };
    }
    compare(&actual, op, value)
}

fn related_ids(v: &Value) -> Vec<i64> {
    match v {
        Value::Int(i) => vec![*i],
        Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
        _ => Vec::new(),
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Bool(false) | Value::Nil => true,
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Compares one stored value with a leaf's right-hand side.
pub fn compare(actual: &Value, op: Op, expected: &Value) -> bool {
    // Borrowed, never cloned: `in` lists may hold tens of thousands of ids.
    fn list(v: &Value) -> &[Value] {
        match v {
            Value::Array(a) => a.as_slice(),
            other => std::slice::from_ref(other),
        }
    }
    // x2many fields: the condition holds if it holds for some element.
    if let Value::Array(items) = actual {
        return match op {
            Op::Eq if is_empty(expected) => items.is_empty(),
            Op::Ne if is_empty(expected) => !items.is_empty(),
            Op::Ne | Op::NotIn => {
                let exp = list(expected);
                !items.iter().any(|i| exp.iter().any(|e| eq(i, e)))
            }
            _ => items.iter().any(|i| compare(i, op, expected)),
        };
    }
    match op {
        Op::Eq if is_empty(expected) => is_empty(actual) || *actual == Value::Bool(false),
        Op::Ne if is_empty(expected) => !is_empty(actual),
        Op::Eq => eq(actual, expected),
        Op::Ne => !eq(actual, expected),
        Op::In | Op::ChildOf => {
            let exp = list(expected);
            if is_empty(actual) {
                return exp.iter().any(is_empty);
            }
            exp.iter().any(|e| eq(actual, e))
        }
        Op::NotIn => {
            let exp = list(expected);
            if is_empty(actual) {
                return !exp.iter().any(is_empty);
            }
            !exp.iter().any(|e| eq(actual, e))
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            if is_empty(actual) || is_empty(expected) {
                return false;
            }
            match order(actual, expected) {
                Some(o) => match op {
                    Op::Lt => o == Ordering::Less,
                    Op::Le => o != Ordering::Greater,
                    Op::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None => false,
            }
        }
        Op::Like | Op::ILike | Op::EqLike | Op::EqILike => {
            let (Some(text), Some(pattern)) = (actual.as_str(), expected.as_str()) else {
                return false;
            };
            like::matches(
                text,
                pattern,
                matches!(op, Op::ILike | Op::EqILike),
                matches!(op, Op::EqLike | Op::EqILike),
            )
        }
        Op::NotLike | Op::NotILike => {
            let (Some(text), Some(pattern)) = (actual.as_str(), expected.as_str()) else {
                return true;
            };
            let pos = if op == Op::NotLike {
                Op::Like
            } else {
                Op::ILike
            };
            !like::matches(text, pattern, pos == Op::ILike, false)
        }
    }
}

fn eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Double(y)) | (Value::Double(y), Value::Int(x)) => (*x as f64) == *y,
        (Value::Bool(false), Value::Nil) | (Value::Nil, Value::Bool(false)) => true,
        (Value::String(x), Value::DateTime(y)) | (Value::DateTime(y), Value::String(x)) => x == y,
        _ => a == b,
    }
}

/// Total order used by comparisons and `order`: numbers numerically, texts
/// case-insensitively (then bytewise), booleans false < true.
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    let num = |v: &Value| match v {
        Value::Int(i) => Some(*i as f64),
        Value::Double(d) => Some(*d),
        _ => None,
    };
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return x.partial_cmp(&y);
    }
    match (a, b) {
        (Value::String(x) | Value::DateTime(x), Value::String(y) | Value::DateTime(y)) => Some(
            x.to_lowercase()
                .cmp(&y.to_lowercase())
                .then_with(|| x.cmp(y)),
        ),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
