//! The `OdooApi` trait: what relanced asks of Odoo, independent of the protocol.
//!
//! Typed conveniences (`search_read` paged by id, `read` by id sets, `create` returning
//! ids on both protocols) are built on [`OdooApi::call`]; the call itself and its
//! encoding live in the `odoo_wire` crate.

pub use odoo_wire::call::{Call, Effect, SearchOptions, ServerVersion, ids_of, leaf};
use odoo_wire::error::OdooError;
use odoo_wire::{Struct, Value};
use std::future::Future;

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
    OdooError::protocol(model, method, &[], what)
}

/// How `read` answers many2one fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Many2oneAs {
    /// `[id, display_name]`, Odoo's default (`load = "_classic_read"`).
    IdAndName,
    /// The bare id (`load = false`): Odoo computes no `display_name`, which is most of
    /// the cost of reading invoices and their lines (5× on 2 500 lines of Odoo 19). The
    /// few names a run shows are then read from the small models they live on.
    Id,
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

    /// `read` of `ids`, in chunks of 2 000; missing ids are simply absent (as in Odoo).
    fn read(
        &self,
        model: &str,
        ids: &[i64],
        fields: &[&str],
        context: Option<Struct>,
    ) -> impl Future<Output = Result<Vec<Struct>, OdooError>> + Send {
        self.read_chunked(model, ids, fields, context, 2000, Many2oneAs::IdAndName)
    }

    /// `read` of `ids`, `chunk` ids per call, many2one values as `m2o` says.
    fn read_chunked(
        &self,
        model: &str,
        ids: &[i64],
        fields: &[&str],
        context: Option<Struct>,
        chunk: usize,
        m2o: Many2oneAs,
    ) -> impl Future<Output = Result<Vec<Struct>, OdooError>> + Send {
        let name = format!("{model}.read");
        let fields = fields_value(fields);
        // The chunks are in flight together (the client's `max_concurrency` bounds them),
        // their records kept in the order of `ids`.
        let calls: Vec<_> = ids
            .chunks(chunk.max(1))
            .map(|chunk| {
                let mut call = Call::read(model, "read")
                    .ids(chunk)
                    .arg("fields", fields.clone())
                    .context(context.clone());
                if m2o == Many2oneAs::Id {
                    call = call.arg("load", false);
                }
                let name = name.clone();
                async move { records(self.call(call).await?, &name) }
            })
            .collect();
        async move {
            let chunks = futures_util::future::try_join_all(calls).await?;
            Ok(chunks.into_iter().flatten().collect())
        }
    }

    /// The ids of every record matching `domain`, in id order, in one call.
    fn search_ids(
        &self,
        model: &str,
        domain: Vec<Value>,
        context: Option<Struct>,
    ) -> impl Future<Output = Result<Vec<i64>, OdooError>> + Send {
        let call = Call::read(model, "search")
            .arg("domain", Value::Array(domain))
            .arg("order", "id asc")
            .context(context);
        let name = format!("{model}.search");
        async move {
            match self.call(call).await? {
                Value::Array(items) => items
                    .iter()
                    .map(|v| {
                        v.as_i64().ok_or_else(|| {
                            protocol_error(&name, &format!("an id is a {}", v.kind()))
                        })
                    })
                    .collect(),
                other => Err(protocol_error(
                    &name,
                    &format!("expected a list of ids, got a {}", other.kind()),
                )),
            }
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
