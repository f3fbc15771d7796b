//! One call to Odoo, independent of the protocol: a model, a method, optional record ids
//! and named arguments (JSON-2's form). XML-RPC passes the ids positionally and the rest
//! as keyword arguments, except the arguments a call marks positional: Odoo's XML-RPC
//! dispatcher (`call_kw`) reads `create`'s records from `args[0]` and fails
//! (`IndexError`, transaction rolled back) when they come as the keyword `vals_list`;
//! and `write` is overridden by models that name its argument `values`, not `vals`
//! (Odoo 18's `res.partner` among them).

use crate::{Struct, Value};

/// Whether a call changes data: writes are never retried blindly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Read,
    Write,
}

/// One method call on one model.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub model: String,
    pub method: String,
    /// Records the method applies to (`write`, `read`, `message_post`…).
    pub ids: Option<Vec<i64>>,
    /// Named arguments (`domain`, `fields`, `vals`, `vals_list`, `limit`…).
    pub kwargs: Struct,
    /// Names of `kwargs` that XML-RPC must send positionally, after the ids, in this
    /// order (JSON-2 sends every argument by name).
    pub positional: Vec<&'static str>,
    /// Odoo context (`allowed_company_ids`, `lang`, `default_res_model`…).
    pub context: Option<Struct>,
    pub effect: Effect,
}

impl Call {
    pub fn read(model: &str, method: &str) -> Self {
        Self {
            model: model.to_owned(),
            method: method.to_owned(),
            ids: None,
            kwargs: Struct::new(),
            positional: Vec::new(),
            context: None,
            effect: Effect::Read,
        }
    }

    pub fn write(model: &str, method: &str) -> Self {
        Self {
            effect: Effect::Write,
            ..Self::read(model, method)
        }
    }

    pub fn ids(mut self, ids: &[i64]) -> Self {
        self.ids = Some(ids.to_vec());
        self
    }

    pub fn arg(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.kwargs.insert(name, value.into());
        self
    }

    /// An argument XML-RPC passes positionally (after the ids and the earlier
    /// positional ones); JSON-2 by name.
    pub fn positional_arg(mut self, name: &'static str, value: impl Into<Value>) -> Self {
        self.kwargs.insert(name, value.into());
        self.positional.push(name);
        self
    }

    pub fn context(mut self, context: Option<Struct>) -> Self {
        self.context = context;
        self
    }
}

/// What the server says it is (`common.version()`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ServerVersion {
    /// `18.0+e-20241005`
    pub server_version: String,
    /// `18.0`
    pub serie: String,
    pub major: u32,
    /// Enterprise when the version says `+e`.
    pub enterprise: bool,
}

impl ServerVersion {
    pub fn from_value(v: &Value) -> Option<Self> {
        let s = v.as_struct()?;
        let server_version = s.get("server_version")?.as_str()?.to_owned();
        let major = s
            .get("server_version_info")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_i64)
            .map(|m| m as u32)
            .or_else(|| {
                server_version
                    .split('.')
                    .next()?
                    .trim_start_matches("saas~")
                    .parse()
                    .ok()
            })?;
        let serie = s
            .get("server_serie")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{major}.0"));
        let enterprise = server_version.contains("+e");
        Some(Self {
            server_version,
            serie,
            major,
            enterprise,
        })
    }
}

/// A domain leaf `(field, operator, value)`.
pub fn leaf(field: &str, op: &str, value: impl Into<Value>) -> Value {
    Value::Array(vec![Value::from(field), Value::from(op), value.into()])
}

/// Options of a `search_read`.
#[derive(Clone, Debug, Default)]
pub struct SearchOptions {
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    pub order: Option<String>,
    pub context: Option<Struct>,
}

/// Ids from an int, a list of ints (JSON-2 and `vals_list`), as methods answer them.
pub fn ids_of(v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::Int(id) => Some(vec![*id]),
        Value::Array(_) => v.as_ids(),
        _ => None,
    }
}
