//! Shared helpers of the XML-RPC codec tests: where the Odoo recordings are,
//! and CPython's `xmlrpc.client` as the reference (`pyxmlrpc.py` next to this file),
//! run once per batch. Test support only: it must not hide a failure.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use odoo_wire::value::{Struct, Value};
use serde_json::Value as Json;

/// The `shared/` folder with the Odoo recordings: `RELANCED_SHARED`, else `../shared`.
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

/// All recorded files of both versions whose name ends with `suffix`, sorted.
pub fn recordings(suffix: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for version in ["odoo-18.0", "odoo-19.0"] {
        let dir = shared_dir().join(version).join("wire");
        for entry in std::fs::read_dir(&dir).expect("readable wire folder") {
            let path = entry.expect("directory entry").path();
            if path.to_string_lossy().ends_with(suffix) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 10, "too few recordings ending in {suffix}");
    files
}

/// Runs the CPython reference helper in `mode` on one JSON batch.
pub fn python(mode: &str, input: &Json) -> Json {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/xmlrpc/pyxmlrpc.py");
    let mut child = Command::new("python3")
        .args([script, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 must be installed for the differential tests");
    let mut stdin = child.stdin.take().expect("piped stdin");
    stdin
        .write_all(input.to_string().as_bytes())
        .expect("write to python");
    drop(stdin);
    let out = child.wait_with_output().expect("python3 ran");
    assert!(out.status.success(), "pyxmlrpc.py {mode} failed");
    serde_json::from_slice(&out.stdout).expect("pyxmlrpc.py wrote JSON")
}

/// What CPython read from one document.
#[derive(Debug, PartialEq)]
pub enum Described {
    Value(Value),
    Fault(i64, String),
    Call(String, Vec<Value>),
    Error,
}

pub fn described(d: &Json) -> Described {
    if let Some(v) = d.get("value") {
        Described::Value(value(v))
    } else if let Some(f) = d.get("fault") {
        Described::Fault(f[0].as_i64().expect("fault code"), text(&f[1]))
    } else if let Some(c) = d.get("call") {
        let params = c[1].as_array().expect("params").iter().map(value).collect();
        Described::Call(text(&c[0]), params)
    } else {
        Described::Error
    }
}

fn text(j: &Json) -> String {
    j.as_str().expect("a JSON string").to_owned()
}

/// A [`Value`] from the helper's tagged description.
pub fn value(d: &Json) -> Value {
    let tag = d[0].as_str().expect("tag");
    match tag {
        "int" => Value::Int(d[1].as_i64().expect("i64")),
        "bool" => Value::Bool(d[1].as_bool().expect("bool")),
        "str" => Value::String(text(&d[1])),
        "double" => Value::Double(text(&d[1]).parse().expect("python repr parses")),
        "dt" => Value::DateTime(text(&d[1])),
        "b64" => Value::Base64(hex::decode(text(&d[1])).expect("hex")),
        "nil" => Value::Nil,
        "arr" => Value::Array(d[1].as_array().expect("array").iter().map(value).collect()),
        "struct" => Value::Struct(Struct(
            d[1].as_array()
                .expect("members")
                .iter()
                .map(|m| (text(&m[0]), value(&m[1])))
                .collect(),
        )),
        other => panic!("unknown tag {other}"),
    }
}
