//! Odoo 19's JSON-2 endpoint `POST /json/2/<model>/<method>`: bearer API
//! key, `X-Odoo-Database`, named arguments with `ids` and `context`, errors as
//! HTTP statuses with `{name, message, arguments, context, debug}` bodies,
//! recordsets answered as id lists.
//!
//! Must not implement methods itself: it calls `methods::execute`.

use crate::access;
use crate::faults::{self, Fault};
use crate::fields::Schema;
use crate::methods::{self, Call, Reply, WRITE_METHODS};
use crate::server::{Answer, Shared};
use crate::switches::CallRecord;
use hyper::StatusCode;
use hyper::header::{AUTHORIZATION, HeaderMap};
use odoo_wire::json::{from_json, to_json};
use odoo_wire::{Struct, Value};
use serde_json::json;

const JSON: &str = "application/json; charset=utf-8";

fn http(status: u16, name: &str, message: &str) -> Fault {
    Fault::Http {
        status,
        name: name.into(),
        message: message.into(),
    }
}

/// The error body Odoo writes.
pub fn error_answer(fault: &Fault) -> Answer {
    let (status, name, message) = fault.json2();
    let arguments = match fault {
        Fault::Http { .. } | Fault::UnknownModel(_) => json!([message, status]),
        _ => json!([message]),
    };
    let body = json!({
        "name": name,
        "message": message,
        "arguments": arguments,
        "context": {},
        "debug": fault.debug(),
    });
    Answer {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        content_type: JSON,
        body: body.to_string(),
        records: 0,
    }
}

/// A database that does not exist: Odoo finds no route for the request and answers
/// its HTML 404 page.
fn unknown_database() -> Answer {
    Answer {
        status: StatusCode::NOT_FOUND,
        content_type: "text/html; charset=utf-8",
        body: "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n".into(),
        records: 0,
    }
}

/// Serves one JSON-2 call.
pub fn handle(
    shared: &Shared,
    model: &str,
    method: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Answer {
    let db = headers.get("x-odoo-database").and_then(|h| h.to_str().ok());
    let known = shared.world().db.clone();
    if db.is_some_and(|db| db != known) {
        return unknown_database();
    }
    let result = serve(shared, model, method, headers, body).map_err(|f| match f {
        // A method the model does not have is a route that does not exist.
        Fault::Server { name, message, .. } if name == "builtins.AttributeError" => {
            http(404, "werkzeug.exceptions.NotFound", &message)
        }
        other => other,
    });
    let (answer, records) = match result {
        Ok(v) => {
            let records = v.as_array().map_or(1, <[Value]>::len);
            let answer = Answer {
                status: StatusCode::OK,
                content_type: JSON,
                body: to_json(&v).to_string(),
                records,
            };
            (answer, records)
        }
        Err(f) => (error_answer(&f), 0),
    };
    shared.switches.log(
        CallRecord {
            protocol: "json2",
            model: model.to_owned(),
            method: method.to_owned(),
            count: records,
        },
        WRITE_METHODS.contains(&method),
    );
    answer
}

fn serve(
    shared: &Shared,
    model: &str,
    method: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Value, Fault> {
    let unauthenticated = || {
        http(
            401,
            "werkzeug.exceptions.Unauthorized",
            "User not authenticated, use an API Key with a Bearer Authorization header.",
        )
    };
    let auth = headers
        .get(AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .ok_or_else(unauthenticated)?;
    let key = match auth.split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") => key.trim(),
        _ => return Err(unauthenticated()),
    };
    let mut world = shared.world();
    let uid = access::by_api_key(&world, key)
        .map(|u| u.uid)
        .ok_or_else(|| http(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey"))?;
    if Schema::get(shared.version).model(model).is_none() {
        return Err(Fault::UnknownModel(model.to_owned()));
    }
    if method.starts_with('_') {
        return Err(faults::private_method(shared.version, model, method));
    }
    let json: serde_json::Value = if body.is_empty() {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| {
            http(
                400,
                "werkzeug.exceptions.BadRequest",
                &format!("could not parse the body as json: {e}"),
            )
        })?
    };
    let Value::Struct(args) = from_json(&json) else {
        return Err(http(
            400,
            "werkzeug.exceptions.BadRequest",
            "the body must be a json object",
        ));
    };
    let mut ids = None;
    let mut context = Struct::new();
    let mut named = Struct::new();
    for (k, v) in args.iter() {
        match k {
            "ids" => ids = Some(v.as_ids().unwrap_or_default()),
            "context" => context = v.as_struct().cloned().unwrap_or_default(),
            _ => named.insert(k, v.clone()),
        }
    }
    if ids.is_some() && methods::is_model_method(method) {
        return Err(http(
            422,
            "werkzeug.exceptions.UnprocessableEntity",
            &format!("cannot call {model}.{method} with ids"),
        ));
    }
    let call = Call {
        model: model.to_owned(),
        method: method.to_owned(),
        ids: ids
            .clone()
            .or_else(|| Some(Vec::new()).filter(|_| !methods::is_model_method(method))),
        named,
        context,
    };
    if let Some(f) = shared
        .switches
        .injected(model, method, &ids.unwrap_or_default())
    {
        return Err(f);
    }
    match methods::execute(&mut world, shared.version, uid, &call)? {
        // `create` answers a list of ids even for one dict.
        Reply::Value(Value::Int(id)) if method == "create" => {
            Ok(Value::Array(vec![Value::Int(id)]))
        }
        Reply::Value(v) => Ok(v),
        Reply::Records { ids, .. } => Ok(Value::Array(ids.into_iter().map(Value::Int).collect())),
    }
}
