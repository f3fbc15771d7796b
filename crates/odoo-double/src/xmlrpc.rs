//! The XML-RPC endpoints `/xmlrpc/2/common` and `/xmlrpc/2/object`, on the
//! shared codec (`odoo::xmlrpc`): credentials, database name, fault codes and
//! how results are marshalled (on 18, recordsets without `@api.returns` fail
//! *after* their effect; 19 answers them as lists of ids), and the dispatcher's
//! own failures on misplaced arguments (`signatures`).
//!
//! Must not implement methods itself: it names the arguments and calls
//! `methods::execute`.

use crate::access;
use crate::faults::{self, Fault};
use crate::methods::{self, Reply, Returns, WRITE_METHODS};
use crate::server::{Answer, Shared};
use crate::signatures;
use crate::switches::CallRecord;
use crate::{OdooVersion, world::World};
use hyper::StatusCode;
use odoo_wire::xmlrpc::{decode_call, encode_fault, encode_response};
use odoo_wire::{Struct, Value};

const XML: &str = "text/xml; charset=utf-8";

fn answer(result: Result<Value, Fault>, records: usize) -> Answer {
    let body = match result {
        Ok(v) => match encode_response(&v) {
            Ok(xml) => xml,
            Err(e) => encode_fault(
                1,
                &format!("Traceback (most recent call last):\nTypeError: {e}\n"),
            ),
        },
        Err(f) => encode_fault(f.code(), &f.fault_string()),
    };
    Answer {
        status: StatusCode::OK,
        content_type: XML,
        body,
        records,
    }
}

fn parse(body: &[u8]) -> Result<(String, Vec<Value>), Answer> {
    decode_call(body)
        .map(|c| (c.method, c.params))
        .map_err(|e| {
            answer(
                Err(Fault::Server {
                    name: "xml.parsers.expat.ExpatError".into(),
                    message: e.to_string(),
                    traceback: format!("Traceback (most recent call last):\nExpatError: {e}\n"),
                }),
                0,
            )
        })
}

fn text(params: &[Value], i: usize) -> &str {
    params.get(i).and_then(Value::as_str).unwrap_or("")
}

fn check_db(world: &World, version: OdooVersion, db: &str) -> Result<(), Fault> {
    if db == world.db {
        Ok(())
    } else {
        Err(faults::unknown_database(version, db))
    }
}

/// `version`, `authenticate`, `login`.
pub fn common(shared: &Shared, body: &[u8]) -> Answer {
    let (method, params) = match parse(body) {
        Ok(p) => p,
        Err(a) => return a,
    };
    let world = shared.world();
    let result = match method.as_str() {
        "version" => Ok(version_info(shared.version)),
        "authenticate" | "login" => check_db(&world, shared.version, text(&params, 0)).map(|()| {
            access::authenticate(&world, text(&params, 1), text(&params, 2))
                .map_or(Value::Bool(false), Value::Int)
        }),
        other => Err(Fault::Server {
            name: "builtins.KeyError".into(),
            message: format!("'exp_{other}'"),
            traceback: format!("Traceback (most recent call last):\nKeyError: 'exp_{other}'\n"),
        }),
    };
    answer(result, 0)
}

/// `common.version()` as recorded.
pub fn version_info(version: OdooVersion) -> Value {
    let (text, serie, major) = match version {
        OdooVersion::V18 => ("18.0+e-20241005", "18.0", 18),
        OdooVersion::V19 => ("19.0", "19.0", 19),
    };
    let info = vec![
        Value::Int(major),
        Value::Int(0),
        Value::Int(0),
        Value::from("final"),
        Value::Int(0),
        Value::from(""),
    ];
    Value::Struct(
        Struct::new()
            .with("server_version", text)
            .with("server_version_info", Value::Array(info))
            .with("server_serie", serie)
            .with("protocol_version", 1i64),
    )
}

/// `execute_kw(db, uid, secret, model, method, args, kwargs)` (and `execute`).
pub fn object(shared: &Shared, body: &[u8]) -> Answer {
    let (method, params) = match parse(body) {
        Ok(p) => p,
        Err(a) => return a,
    };
    let model = text(&params, 3).to_owned();
    let name = text(&params, 4).to_owned();
    let (args, kwargs) = match method.as_str() {
        "execute_kw" => (
            params
                .get(5)
                .and_then(Value::as_array)
                .map(<[Value]>::to_vec)
                .unwrap_or_default(),
            params
                .get(6)
                .and_then(Value::as_struct)
                .cloned()
                .unwrap_or_default(),
        ),
        _ => (
            params.get(5..).map(<[Value]>::to_vec).unwrap_or_default(),
            Struct::new(),
        ),
    };
    let call = methods::from_positional(&model, &name, &args, &kwargs);
    let mut world = shared.world();
    let result = (|| {
        check_db(&world, shared.version, text(&params, 0))?;
        let uid = params.get(1).and_then(Value::as_i64).unwrap_or(0);
        let user = world.user(uid).ok_or(Fault::AccessDenied)?;
        if !access::secret_ok(user, text(&params, 2)) {
            return Err(Fault::AccessDenied);
        }
        let ids = call.ids.clone().unwrap_or_default();
        if let Some(f) = shared.switches.injected(&model, &name, &ids) {
            return Err(f);
        }
        let (record, names) = methods::signature(&name).unwrap_or((false, &[]));
        if let Some(f) =
            signatures::check(shared.version, &model, &name, record, names, &args, &kwargs)
        {
            return Err(f);
        }
        methods::execute(&mut world, shared.version, uid, &call)
    })();
    drop(world);
    let (result, records) = match result {
        Ok(Reply::Value(v)) => {
            let n = v.as_array().map_or(1, <[Value]>::len);
            (Ok(v), n)
        }
        Ok(Reply::Records {
            model: m,
            ids,
            returns,
        }) => {
            let n = ids.len();
            match returns {
                // Odoo 19 marshals any recordset as its list of ids (no `@api.returns`).
                _ if shared.version == OdooVersion::V19 => (
                    Ok(Value::Array(ids.into_iter().map(Value::Int).collect())),
                    n,
                ),
                Returns::Id if n == 1 => (Ok(Value::Int(ids[0])), 1),
                Returns::Id => (
                    Ok(Value::Array(ids.into_iter().map(Value::Int).collect())),
                    n,
                ),
                Returns::Unmarshallable => (Err(faults::cannot_marshal(&m)), n),
            }
        }
        Err(f) => (Err(f), 0),
    };
    shared.switches.log(
        CallRecord {
            protocol: "xmlrpc",
            model,
            method: name.clone(),
            count: records,
        },
        WRITE_METHODS.contains(&name.as_str()),
    );
    answer(result, records)
}
