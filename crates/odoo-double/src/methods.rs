//! The methods the double answers, protocol-neutral: arguments arrive named
//! (XML-RPC positional arguments are named here first, as Odoo's signatures
//! name them), results leave as values or recordsets that each protocol
//! marshals its own way.
//!
//! Access rights are checked here before the ORM runs; the special methods
//! (`message_post`, `activity_schedule`, `address_get`,
//! `check_object_reference`, `context_get`) live in `special`.

use crate::OdooVersion;
use crate::access;
use crate::faults::{self, Fault};
use crate::fields::Schema;
use crate::orm::{self, Env};
use crate::special;
use crate::world::World;
use odoo_wire::{Struct, Value};

/// One call, arguments named.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub model: String,
    pub method: String,
    /// Record ids for record methods (`read`, `write`…), `None` for model methods.
    pub ids: Option<Vec<i64>>,
    pub named: Struct,
    pub context: Struct,
}

/// How a recordset result is marshalled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Returns {
    /// `@api.returns(..., lambda value: value.id)`: XML-RPC gets an int on 18 (19 a list).
    Id,
    /// No `@api.returns`: Odoo 18's XML-RPC cannot marshal it (fault 1 after the
    /// effect); 19 answers the ids.
    Unmarshallable,
}

/// What a method returns.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    Value(Value),
    Records {
        model: String,
        ids: Vec<i64>,
        returns: Returns,
    },
}

/// Methods that change data (counted by the call log).
pub const WRITE_METHODS: &[&str] = &[
    "create",
    "write",
    "unlink",
    "message_post",
    "activity_schedule",
];

/// Model methods: positional parameter names. Record methods take `ids` first.
pub fn signature(method: &str) -> Option<(bool, &'static [&'static str])> {
    Some(match method {
        "search" => (false, &["domain", "offset", "limit", "order"]),
        "search_read" => (false, &["domain", "fields", "offset", "limit", "order"]),
        "search_count" => (false, &["domain", "limit"]),
        "create" => (false, &["vals_list"]),
        "fields_get" => (false, &["allfields", "attributes"]),
        "check_object_reference" => (false, &["module", "xml_id", "raise_on_access_error"]),
        "context_get" => (false, &[]),
        "read" => (true, &["fields", "load"]),
        "write" => (true, &["vals"]),
        "unlink" => (true, &[]),
        "message_post" => (true, &[]),
        "activity_schedule" => (
            true,
            &["act_type_xmlid", "date_deadline", "summary", "note"],
        ),
        "address_get" => (true, &["adr_pref"]),
        "has_access" => (true, &["operation"]),
        _ => return None,
    })
}

/// Whether `method` is a model method (JSON-2 refuses `ids` for those).
pub fn is_model_method(method: &str) -> bool {
    signature(method).is_some_and(|(record, _)| !record)
}

/// Names XML-RPC's positional `args` and `kwargs`.
pub fn from_positional(model: &str, method: &str, args: &[Value], kwargs: &Struct) -> Call {
    let (record, names) = signature(method).unwrap_or((false, &[]));
    let mut rest = args;
    let mut ids = None;
    if record {
        ids = Some(match args.first() {
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_i64).collect(),
            Some(v) => v.as_i64().into_iter().collect(),
            None => Vec::new(),
        });
        rest = args.get(1..).unwrap_or(&[]);
    }
    let mut named = Struct::new();
    for (name, value) in names.iter().zip(rest) {
        named.insert(*name, value.clone());
    }
    let mut context = Struct::new();
    for (k, v) in kwargs.iter() {
        if k == "context" {
            context = v.as_struct().cloned().unwrap_or_default();
        } else {
            named.insert(k, v.clone());
        }
    }
    Call {
        model: model.to_owned(),
        method: method.to_owned(),
        ids,
        named,
        context,
    }
}

/// Runs `call` as user `uid`.
pub fn execute(
    world: &mut World,
    version: OdooVersion,
    uid: i64,
    call: &Call,
) -> Result<Reply, Fault> {
    let schema = Schema::get(version);
    let model = call.model.as_str();
    if schema.model(model).is_none() {
        return Err(Fault::UnknownModel(call.model.clone()));
    }
    if call.method.starts_with('_') {
        return Err(faults::private_method(version, model, &call.method));
    }
    let user = world.user(uid).cloned().ok_or(Fault::AccessDenied)?;
    let ctx_value = Value::Struct(call.context.clone());
    let companies = access::companies(&user, Some(&ctx_value))?;
    let env = Env {
        version,
        uid,
        companies,
        context: call.context.clone(),
    };
    let arg = |name: &str| call.named.get(name);
    let ids = call.ids.clone().unwrap_or_default();
    let domain = arg("domain").cloned().unwrap_or(Value::Array(Vec::new()));
    let offset = arg("offset").and_then(Value::as_i64).unwrap_or(0).max(0) as usize;
    let limit = arg("limit")
        .and_then(Value::as_i64)
        .filter(|l| *l > 0)
        .map(|l| l as usize);
    let order = arg("order").and_then(Value::as_str);
    let fields = || -> Vec<String> {
        match arg("fields").and_then(Value::as_array) {
            Some(list) if !list.is_empty() => list
                .iter()
                .filter_map(|f| f.as_str().map(str::to_owned))
                .collect(),
            _ => orm::all_fields(&env, model),
        }
    };
    // Odoo names many2one values only for `load = "_classic_read"` (the default).
    let names = arg("load").is_none_or(|l| l.as_str() == Some("_classic_read"));
    let check = |op: &str| access::check_model(version, &user, model, op);
    let value = |v: Value| Ok(Reply::Value(v));
    match call.method.as_str() {
        "search" => {
            check("read")?;
            let found = orm::search(world, &env, model, &domain, offset, limit, order)?;
            value(Value::Array(found.into_iter().map(Value::Int).collect()))
        }
        "search_count" => {
            check("read")?;
            let found = orm::search(world, &env, model, &domain, 0, limit, None)?;
            value(Value::Int(found.len() as i64))
        }
        "search_read" => {
            check("read")?;
            let fields = fields();
            orm::check_fields(&env, model, &fields)?;
            let found = orm::search(world, &env, model, &domain, offset, limit, order)?;
            value(Value::Array(orm::read(
                world, &env, model, &found, &fields, names,
            )?))
        }
        "read" => {
            check("read")?;
            value(Value::Array(orm::read(
                world,
                &env,
                model,
                &ids,
                &fields(),
                names,
            )?))
        }
        "create" => {
            check("create")?;
            let vals = arg("vals_list")
                .cloned()
                .unwrap_or(Value::Struct(Struct::new()));
            match vals {
                Value::Struct(one) => value(Value::Int(orm::create(world, &env, model, &one)?)),
                Value::Array(list) => {
                    let mut created = Vec::new();
                    for v in &list {
                        let one = v.as_struct().cloned().unwrap_or_default();
                        created.push(Value::Int(orm::create(world, &env, model, &one)?));
                    }
                    value(Value::Array(created))
                }
                other => Err(Fault::Server {
                    name: "builtins.TypeError".into(),
                    message: format!("create() expects dictionaries, got {}", other.kind()),
                    traceback: format!(
                        "Traceback (most recent call last):\nTypeError: create() expects dictionaries, got {}\n",
                        other.kind()
                    ),
                }),
            }
        }
        "write" => {
            check("write")?;
            let vals = arg("vals")
                .and_then(Value::as_struct)
                .cloned()
                .unwrap_or_default();
            orm::write(world, &env, model, &ids, &vals)?;
            value(Value::Bool(true))
        }
        "unlink" => {
            check("unlink")?;
            orm::unlink(world, &env, model, &ids)?;
            value(Value::Bool(true))
        }
        "fields_get" => {
            let attributes: Vec<String> = arg("attributes")
                .and_then(Value::as_strings)
                .unwrap_or_default();
            let allfields: Vec<String> = arg("allfields")
                .and_then(Value::as_strings)
                .unwrap_or_default();
            let mut out = Struct::new();
            for f in schema
                .model(model)
                .map(|m| m.fields.as_slice())
                .unwrap_or(&[])
            {
                if allfields.is_empty() || allfields.contains(&f.name) {
                    out.0
                        .push((f.name.clone(), Value::Struct(f.describe(&attributes))));
                }
            }
            value(Value::Struct(out))
        }
        "message_post" => {
            check("read")?;
            special::message_post(world, &env, model, &ids, &call.named)
        }
        "activity_schedule" => {
            check("read")?;
            access::check_model(version, &user, "mail.activity", "create")?;
            special::activity_schedule(world, &env, model, &ids, &call.named)
        }
        "address_get" => {
            check("read")?;
            special::address_get(world, &env, &ids, arg("adr_pref"))
        }
        "check_object_reference" => {
            check("read")?;
            special::check_object_reference(world, version, &user, arg("module"), arg("xml_id"))
        }
        // Odoo ≥ 18: whether the user may perform `operation` on the model (a boolean,
        // never a fault); `check_access` is private since 19.
        "has_access" => {
            let operation = arg("operation").and_then(Value::as_str).unwrap_or("read");
            value(Value::Bool(
                access::check_model(version, &user, model, operation).is_ok(),
            ))
        }
        "context_get" => {
            let mut ctx = Struct::new();
            ctx.insert("lang", Value::from(user.lang.as_str()));
            // A user without a time zone has `tz = False`.
            let tz = Some(user.tz.as_str()).filter(|t| !t.is_empty());
            ctx.insert("tz", tz.map_or(Value::Bool(false), Value::from));
            ctx.insert("uid", Value::Int(uid));
            value(Value::Struct(ctx))
        }
        other => Err(faults::unknown_method(version, model, other)),
    }
}
