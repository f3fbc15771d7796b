//! Helpers of the Odoo double's tests: a minimal XML-RPC and JSON-2 client on
//! reqwest and the codec. Test support only: it must not hide a failure.

use odoo_double::SimHandle;
use odoo_wire::xmlrpc::{Response, decode_response, encode_call};
use odoo_wire::{Struct, Value};
use std::path::PathBuf;

/// Calls `service` (`common` or `object`) and decodes the answer.
pub async fn call(
    sim: &SimHandle,
    service: &str,
    method: &str,
    params: Vec<Value>,
) -> Result<Response, reqwest::Error> {
    let body = encode_call(method, &params).expect("encodable call");
    let reply = reqwest::Client::new()
        .post(format!("{}/xmlrpc/2/{service}", sim.url()))
        .header("Content-Type", "text/xml")
        .body(body)
        .send()
        .await?
        .error_for_status()?;
    let bytes = reply.bytes().await?;
    Ok(decode_response(&bytes).expect("decodable answer"))
}

/// `execute_kw` as `uid` with `secret`.
#[allow(clippy::too_many_arguments)]
pub async fn execute_kw(
    sim: &SimHandle,
    db: &str,
    uid: i64,
    secret: &str,
    model: &str,
    method: &str,
    args: Vec<Value>,
    kwargs: Struct,
) -> Result<Response, reqwest::Error> {
    let params = vec![
        Value::from(db),
        Value::Int(uid),
        Value::from(secret),
        Value::from(model),
        Value::from(method),
        Value::Array(args),
        Value::Struct(kwargs),
    ];
    call(sim, "object", "execute_kw", params).await
}

/// The value of a successful answer; panics with the fault otherwise.
pub fn value(r: Response) -> Value {
    match r {
        Response::Value(v) => v,
        Response::Fault { code, string } => panic!("fault {code}: {string}"),
    }
}

/// The fault of a failed answer; panics on a value.
pub fn fault(r: Response) -> (i64, String) {
    match r {
        Response::Fault { code, string } => (code, string),
        Response::Value(v) => panic!("expected a fault, got {v:?}"),
    }
}

/// A domain leaf.
pub fn leaf(f: &str, op: &str, v: impl Into<Value>) -> Value {
    Value::Array(vec![Value::from(f), Value::from(op), v.into()])
}

/// The `shared/` folder with the Odoo recordings: `RELANCED_SHARED`, else `../shared`
/// next to the workspace.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("RELANCED_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    assert!(
        dir.join("odoo-18.0/wire").is_dir(),
        "Odoo recordings not found in {}: set RELANCED_SHARED to the shared/ folder",
        dir.display()
    );
    dir
}
