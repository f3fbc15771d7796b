//! Decoding speed of a 20 000-record `search_read` response shaped like Odoo's
//! `account.move.line` records, against CPython's `xmlrpc.client.loads` on the
//! same bytes in the same run (the baseline). Run: `cargo bench --bench xmlrpc_decode`.

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use relanced::odoo::value::Value;
use relanced::odoo::xmlrpc::{Response, decode_response, decode_response_general};

const RECORDS: usize = 20_000;
const RUST_ITERATIONS: usize = 15;
const PYTHON_ITERATIONS: usize = 5;
const SCRIPT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/crates/odoo-wire/tests/xmlrpc/pyxmlrpc.py"
);

fn python(mode: &str, input: serde_json::Value) -> serde_json::Value {
    let mut child = Command::new("python3")
        .args([SCRIPT, mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 is needed for the baseline");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.to_string().as_bytes())
        .expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("python3 ran");
    assert!(out.status.success(), "pyxmlrpc.py {mode} failed");
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn median(mut seconds: Vec<f64>) -> f64 {
    seconds.sort_by(f64::total_cmp);
    seconds[seconds.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("search_read.xml");
    let path_text = path.to_string_lossy().into_owned();
    python(
        "bench_doc",
        serde_json::json!({"path": path_text, "records": RECORDS}),
    );
    let bytes = std::fs::read(&path).expect("generated document");
    let mb = bytes.len() as f64 / 1e6;

    // Check once that the document decodes to what was generated.
    match decode_response(&bytes).expect("the document decodes") {
        Response::Value(Value::Array(records)) => {
            assert_eq!(records.len(), RECORDS);
            let first = records[0].as_struct().expect("record");
            assert_eq!(first.get("id"), Some(&Value::Int(100_000)));
            assert!(
                first
                    .get("amount_residual")
                    .and_then(Value::as_decimal)
                    .is_some()
            );
        }
        other => panic!("unexpected response {other:?}"),
    }

    let rust = time(&bytes, |b| drop(black_box(decode_response(b))));
    let general = time(&bytes, |b| drop(black_box(decode_response_general(b))));
    let events = time(&bytes, |b| {
        let mut reader = quick_xml::Reader::from_reader(b);
        let mut events = 0usize;
        while let Ok(event) = reader.read_event() {
            if event == quick_xml::events::Event::Eof {
                break;
            }
            events += 1;
        }
        black_box(events);
    });

    let reply = python(
        "loads_time",
        serde_json::json!({"path": path_text, "repeat": PYTHON_ITERATIONS}),
    );
    let cpython: Vec<f64> = reply["seconds"]
        .as_array()
        .expect("seconds")
        .iter()
        .map(|s| s.as_f64().expect("number"))
        .collect();
    let cpython = median(cpython);

    let line = |what: &str, seconds: f64, n: usize| {
        println!(
            "  {what:<44} median of {n:>2}: {:9.2} ms {:8.1} MB/s",
            seconds * 1e3,
            mb / seconds
        );
    };
    println!("xmlrpc_decode: {RECORDS} account.move.line records, {mb:.1} MB");
    line(
        "cpython xmlrpc.client.loads (baseline)",
        cpython,
        PYTHON_ITERATIONS,
    );
    line("rust decode_response", rust, RUST_ITERATIONS);
    line(
        "rust general decoder alone (quick-xml)",
        general,
        RUST_ITERATIONS,
    );
    line("quick-xml read_event loop alone", events, RUST_ITERATIONS);
    println!("  ratio decode_response / cpython: {:.1}x", cpython / rust);
    println!(
        "  ratio general decoder / cpython: {:.1}x",
        cpython / general
    );
}

/// Median wall time of `RUST_ITERATIONS` runs of `f` over `bytes`.
fn time(bytes: &[u8], f: impl Fn(&[u8])) -> f64 {
    let mut seconds = Vec::with_capacity(RUST_ITERATIONS);
    for _ in 0..RUST_ITERATIONS {
        let t0 = Instant::now();
        f(black_box(bytes));
        seconds.push(t0.elapsed().as_secs_f64());
    }
    median(seconds)
}
