//! The `OdooApi` trait: what relanced asks of Odoo, independent of the protocol.
//!
//! A call is a model, a method, optional record ids and named arguments (JSON-2's
//! form). XML-RPC passes the ids positionally and the rest as keyword arguments, except
//! the arguments a call marks positional: Odoo's XML-RPC dispatcher (`call_kw`) reads
//! `create`'s records from `args[0]` and fails (`IndexError`, transaction rolled back)
//! when they come as the keyword `vals_list`; and `write` is overridden by models that
//! name its argument `values`, not `vals` (Odoo 18's `res.partner` among them). Typed conveniences (`search_read` paged by id,
//! `read` by id sets, `create` returning ids on both protocols) are built on [`OdooApi::call`].

use crate::odoo::error::OdooError;
use crate::odoo::{Struct, Value};
use std::future::Future;

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

fn fields_value(fields: &[&str]) -> Value {
    Value::Array(fields.iter().map(|f| Value::from(*f)).collect())
}

/// The records of a `search_read`/`read` answer.
fn records(value: Value, call: &str) -> Result<Vec<Struct>, OdooError> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::Struct(s) => Ok(s),
                other => Err(protocol_error(
                    call,
                    &format!("a record is a {}", other.kind()),
                )),
            })
            .collect(),
        other => Err(protocol_error(
            call,
            &format!("expected a list of records, got a {}", other.kind()),
        )),
    }
}

fn protocol_error(call: &str, what: &str) -> OdooError {
    let (model, method) = call.rsplit_once('.').unwrap_or(("", call));
    OdooError::new(
        crate::odoo::error::ErrorKind::Protocol,
        crate::odoo::error::CallSite {
            model: model.into(),
            method: method.into(),
            ids: vec![],
        },
        what,
    )
}

/// Everything relanced asks of Odoo. Implemented by [`crate::odoo::OdooClient`].
pub trait OdooApi: Send + Sync {
    /// Performs one call, with the implementation's retry policy.
    fn call(&self, call: Call) -> impl Future<Output = Result<Value, OdooError>> + Send;

    /// `common.version()` (or `/web/version`).
    fn version(&self) -> impl Future<Output = Result<ServerVersion, OdooError>> + Send;

    /// The circuit breaker of this server, when the implementation has one.
    fn breaker(&self) -> Option<&crate::breaker::Breaker> {
        None
    }

    /// One page of `search_read`.
    fn search_read(
        &self,
        model: &str,
        domain: Vec<Value>,
        fields: &[&str],
        options: SearchOptions,
    ) -> impl Future<Output = Result<Vec<Struct>, OdooError>> + Send {
        let mut call = Call::read(model, "search_read")
            .arg("domain", Value::Array(domain))
            .arg("fields", fields_value(fields))
            .context(options.context);
        if let Some(limit) = options.limit {
            call = call.arg("limit", limit as i64);
        }
        if let Some(offset) = options.offset {
            call = call.arg("offset", offset as i64);
        }
        if let Some(order) = options.order {
            call = call.arg("order", order);
        }
        let name = format!("{model}.search_read");
        async move { records(self.call(call).await?, &name) }
    }

    /// Every record matching `domain`, paged by id (`id > last`, `order id`): stable
    /// while records are added, and each page is a cheap indexed query for Odoo.
    fn search_read_all(
        &self,
        model: &str,
        domain: Vec<Value>,
        fields: &[&str],
        page_size: usize,
        context: Option<Struct>,
    ) -> impl Future<Output = Result<Vec<Struct>, OdooError>> + Send {
        async move {
            let mut out = Vec::new();
            let mut last = 0i64;
            loop {
                let mut page_domain = domain.clone();
                page_domain.push(leaf("id", ">", last));
                let options = SearchOptions {
                    limit: Some(page_size),
                    order: Some("id asc".into()),
                    context: context.clone(),
                    ..Default::default()
                };
                let page = self
                    .search_read(model, page_domain, fields, options)
                    .await?;
                let n = page.len();
                if let Some(id) = page
                    .last()
                    .and_then(|r| r.get("id"))
                    .and_then(Value::as_i64)
                {
                    last = id;
                }
                out.extend(page);
                if n < page_size {
                    return Ok(out);
                }
            }
        }
    }

    /// `read` of `ids`, in chunks; missing ids are simply absent (as in Odoo).
    fn read(
        &self,
        model: &str,
        ids: &[i64],
        fields: &[&str],
        context: Option<Struct>,
    ) -> impl Future<Output = Result<Vec<Struct>, OdooError>> + Send {
        let name = format!("{model}.read");
        let chunks: Vec<Vec<i64>> = ids.chunks(2000).map(<[i64]>::to_vec).collect();
        let fields = fields_value(fields);
        let model = model.to_owned();
        async move {
            let mut out = Vec::with_capacity(ids.len());
            for chunk in chunks {
                let call = Call::read(&model, "read")
                    .ids(&chunk)
                    .arg("fields", fields.clone())
                    .context(context.clone());
                out.extend(records(self.call(call).await?, &name)?);
            }
            Ok(out)
        }
    }

    fn search_count(
        &self,
        model: &str,
        domain: Vec<Value>,
        context: Option<Struct>,
    ) -> impl Future<Output = Result<i64, OdooError>> + Send {
        let call = Call::read(model, "search_count")
            .arg("domain", Value::Array(domain))
            .context(context);
        let name = format!("{model}.search_count");
        async move {
            let v = self.call(call).await?;
            v.as_i64().ok_or_else(|| {
                protocol_error(&name, &format!("expected a count, got a {}", v.kind()))
            })
        }
    }

    /// Creates records; returns their ids on both protocols (XML-RPC answers an int for
    /// one dict, JSON-2 a list).
    fn create(
        &self,
        model: &str,
        vals_list: Vec<Struct>,
        context: Option<Struct>,
    ) -> impl Future<Output = Result<Vec<i64>, OdooError>> + Send {
        let vals = Value::Array(vals_list.into_iter().map(Value::Struct).collect());
        let call = Call::write(model, "create")
            .positional_arg("vals_list", vals)
            .context(context);
        let name = format!("{model}.create");
        async move {
            let v = self.call(call).await?;
            ids_of(&v)
                .ok_or_else(|| protocol_error(&name, &format!("expected ids, got a {}", v.kind())))
        }
    }

    fn write(
        &self,
        model: &str,
        ids: &[i64],
        vals: Struct,
        context: Option<Struct>,
    ) -> impl Future<Output = Result<(), OdooError>> + Send {
        // Positional over XML-RPC: many overrides name it `values` (res.partner on 18
        // through base_vat, mail.thread…), and a keyword `vals` then fails.
        let call = Call::write(model, "write")
            .ids(ids)
            .positional_arg("vals", Value::Struct(vals))
            .context(context);
        async move { self.call(call).await.map(|_| ()) }
    }

    /// `fields_get` with the attributes relanced uses.
    fn fields_get(&self, model: &str) -> impl Future<Output = Result<Struct, OdooError>> + Send {
        let attributes = fields_value(&[
            "type", "string", "relation", "required", "readonly", "store",
        ]);
        let call = Call::read(model, "fields_get").arg("attributes", attributes);
        let name = format!("{model}.fields_get");
        async move {
            match self.call(call).await? {
                Value::Struct(s) => Ok(s),
                other => Err(protocol_error(
                    &name,
                    &format!("expected a struct, got a {}", other.kind()),
                )),
            }
        }
    }
}

/// Ids from an int, a list of ints (JSON-2 and `vals_list`), as methods answer them.
pub fn ids_of(v: &Value) -> Option<Vec<i64>> {
    match v {
        Value::Int(id) => Some(vec![*id]),
        Value::Array(_) => v.as_ids(),
        _ => None,
    }
}
