//! The XML-RPC codec for Odoo's dialect, on quick-xml's pull reader.
//!
//! Contract (signatures are fixed, other modules build on them):
//! - client side: [`encode_call`] and [`decode_response`];
//! - server side (the Odoo double): [`decode_call`], [`encode_response`], [`encode_fault`].
//!
//! Errors carry a byte offset and a short, redacted excerpt, never the payload.
//! Requests are written byte for byte as CPython's `xmlrpc.client.dumps` writes
//! them (except `\r`, written `&#13;` so Odoo reads it back unchanged) and
//! responses as Odoo writes them. This module knows the wire only: it must not
//! interpret Odoo's conventions (`False` for empty, many2one pairs); see [`Value`].

mod decode;
mod encode;
mod error;
mod fast;
mod lexer;
mod scalar;

pub use decode::MAX_DEPTH;
pub use encode::python_repr;
pub use error::redacted_excerpt;

use crate::Value;
use encode::{BigInt, Writer};

/// A decoded `<methodCall>`.
#[derive(Clone, Debug, PartialEq)]
pub struct MethodCall {
    pub method: String,
    pub params: Vec<Value>,
}

/// A decoded `<methodResponse>`: a value, or a fault.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    Value(Value),
    Fault { code: i64, string: String },
}

/// The bytes are not XML-RPC as Odoo writes it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("malformed XML-RPC at byte {offset}: {message} (near {excerpt:?})")]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
    /// At most a few dozen characters around `offset`, with digits and
    /// long words masked so that no secret or amount leaks into logs.
    pub excerpt: String,
}

/// A value cannot be written as XML-RPC.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EncodeError {
    #[error("character U+{codepoint:04X} cannot be carried by XML (at {path})")]
    InvalidChar { codepoint: u32, path: String },
    #[error("a double must be finite (at {path})")]
    NonFiniteDouble { path: String },
}

/// Writes `<methodCall>` for `method` with `params`, as CPython's
/// `xmlrpc.client.dumps(params, method)` does; integers beyond 32 bits are
/// written as `<int>` (CPython would refuse them; Odoo reads them).
pub fn encode_call(method: &str, params: &[Value]) -> Result<String, EncodeError> {
    let mut w = Writer::new(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>",
        BigInt::AsInt,
    );
    w.text("methodName", method)?;
    w.push("</methodName>\n<params>\n");
    for (i, param) in params.iter().enumerate() {
        w.push("<param>\n");
        w.root_value("params", Some(i), param)?;
        w.push("</param>\n");
    }
    w.push("</params>\n</methodCall>\n");
    Ok(w.finish())
}

/// Reads a `<methodResponse>`.
///
/// Documents in the exact layout CPython and Odoo write take a fast path;
/// anything else (and every error) goes through the general quick-xml decoder.
pub fn decode_response(bytes: &[u8]) -> Result<Response, DecodeError> {
    match fast::response(bytes) {
        Some(response) => Ok(response),
        None => decode_response_general(bytes),
    }
}

/// Reads a `<methodCall>` (used by the Odoo double).
pub fn decode_call(bytes: &[u8]) -> Result<MethodCall, DecodeError> {
    match fast::call(bytes) {
        Some(call) => Ok(call),
        None => decode_call_general(bytes),
    }
}

/// [`decode_response`] without the fast path: the general decoder alone, for
/// the tests proving both agree and for benchmarks.
pub fn decode_response_general(bytes: &[u8]) -> Result<Response, DecodeError> {
    decode::Decoder::new(bytes).response()
}

/// [`decode_call`] without the fast path.
pub fn decode_call_general(bytes: &[u8]) -> Result<MethodCall, DecodeError> {
    decode::Decoder::new(bytes).call()
}

const RESPONSE_HEAD: &str = "<?xml version=\"1.0\"?>\n<methodResponse>\n";
const RESPONSE_TAIL: &str = "\n</methodResponse>\n";

/// Writes a successful `<methodResponse>` (used by the Odoo double), in the
/// shape Odoo writes it; like Odoo, integers beyond 32 bits become `<double>`.
pub fn encode_response(result: &Value) -> Result<String, EncodeError> {
    let mut w = Writer::new(RESPONSE_HEAD, BigInt::AsDouble);
    w.push("<params>\n<param>\n");
    w.root_value("result", None, result)?;
    w.push("</param>\n</params>\n");
    w.push(RESPONSE_TAIL);
    Ok(w.finish())
}

/// Writes a fault `<methodResponse>` (used by the Odoo double), in the shape
/// Odoo writes it. Characters XML cannot carry are replaced by U+FFFD, since a
/// fault must always be deliverable.
pub fn encode_fault(code: i64, string: &str) -> String {
    let carried: String = string
        .chars()
        .map(|c| {
            if lexer::is_xml_char(c) && c != '\u{FFFE}' && c != '\u{FFFF}' {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect();
    let mut clean = String::with_capacity(carried.len());
    // Every character left can be carried, so escaping cannot fail.
    let _ = encode::escape_into(&mut clean, &carried);
    let mut out = String::with_capacity(clean.len() + 300);
    out.push_str(RESPONSE_HEAD);
    out.push_str("<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n");
    out.push_str(&format!("<value><int>{code}</int></value>\n"));
    out.push_str("</member>\n<member>\n<name>faultString</name>\n<value><string>");
    out.push_str(&clean);
    out.push_str("</string></value>\n</member>\n</struct></value>\n</fault>\n");
    out.push_str(RESPONSE_TAIL);
    out
}
