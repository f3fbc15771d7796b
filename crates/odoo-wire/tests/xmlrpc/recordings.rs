//! The codec against every real Odoo 18/19 exchange recorded in `shared/`:
//! responses decode to what CPython reads, requests and responses re-encode to
//! the very bytes CPython and Odoo wrote.

use crate::support::{Described, described, python, recordings, shared_dir};
use odoo_wire::value::Value;
use odoo_wire::xmlrpc::{
    Response, decode_call, decode_call_general, decode_response, decode_response_general,
    encode_call, encode_fault, encode_response,
};
use rust_decimal::Decimal;
use serde_json::json;
use std::str::FromStr;

fn read(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn recorded(version: &str, name: &str) -> Response {
    let path = shared_dir().join(version).join("wire").join(name);
    decode_response(&read(&path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn money(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal literal")
}

#[test]
fn every_recorded_response_decodes_to_what_cpython_reads() {
    let files = recordings(".response.xml");
    let docs: Vec<String> = files
        .iter()
        .map(|p| String::from_utf8(read(p)).expect("recordings are UTF-8"))
        .collect();
    let reference = python("describe", &json!(docs));
    for (path, expected) in files.iter().zip(reference.as_array().expect("list")) {
        let ours =
            decode_response(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let general = decode_response_general(&read(path));
        assert_eq!(Ok(&ours), general.as_ref(), "{}", path.display());
        let ours = match ours {
            Response::Value(v) => Described::Value(v),
            Response::Fault { code, string } => Described::Fault(code, string),
        };
        assert_eq!(ours, described(expected), "{}", path.display());
    }
}

#[test]
fn every_recorded_request_reencodes_to_the_bytes_cpython_sent() {
    for path in recordings(".request.xml") {
        let bytes = read(&path);
        let call = decode_call(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            Ok(&call),
            decode_call_general(&bytes).as_ref(),
            "{}",
            path.display()
        );
        let again = encode_call(&call.method, &call.params).expect("encodable");
        pretty_assertions::assert_eq!(
            again,
            String::from_utf8(bytes).expect("UTF-8"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn every_recorded_response_reencodes_to_the_bytes_odoo_wrote() {
    for path in recordings(".response.xml") {
        let bytes = read(&path);
        let again = match decode_response(&bytes).expect("decodes") {
            Response::Value(v) => encode_response(&v).expect("encodable"),
            Response::Fault { code, string } => encode_fault(code, &string),
        };
        pretty_assertions::assert_eq!(
            again,
            String::from_utf8(bytes).expect("UTF-8"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn search_read_invoices_gives_ids_many2ones_amounts_and_false() {
    let Response::Value(Value::Array(records)) =
        recorded("odoo-18.0", "search_read_invoices.response.xml")
    else {
        panic!("expected an array of records");
    };
    assert_eq!(records.len(), 5);
    let first = records[0].as_struct().expect("a record");
    assert_eq!(first.get("id"), Some(&Value::Int(13)));
    assert_eq!(
        first.get("name").and_then(Value::as_str),
        Some("RINV/2026/00004")
    );
    assert_eq!(
        first.get("partner_id").and_then(Value::as_many2one),
        Some((10, "Deco Addict"))
    );
    assert_eq!(
        first.get("currency_id").and_then(Value::as_many2one),
        Some((1, "USD"))
    );
    assert_eq!(
        first.get("invoice_date_due").and_then(Value::as_str),
        Some("2026-11-22")
    );
    assert_eq!(
        first.get("amount_total").and_then(Value::as_decimal),
        Some(money("41750.0"))
    );
    assert_eq!(first.get("ref"), Some(&Value::Bool(false)));
    assert!(
        first
            .get("invoice_payment_term_id")
            .is_some_and(Value::is_empty_odoo)
    );
    let ids: Vec<i64> = records
        .iter()
        .map(|r| {
            r.as_struct()
                .and_then(|s| s.get("id"))
                .and_then(Value::as_i64)
                .expect("id")
        })
        .collect();
    assert_eq!(ids, vec![13, 14, 2, 3, 12]);
}

#[test]
fn amounts_convert_to_the_decimal_text_odoo_wrote() {
    let Response::Value(Value::Array(records)) =
        recorded("odoo-19.0", "search_read_invoices.response.xml")
    else {
        panic!("expected an array of records");
    };
    let residuals: Vec<Decimal> = records
        .iter()
        .map(|r| {
            r.as_struct()
                .and_then(|s| s.get("amount_residual"))
                .and_then(Value::as_decimal)
                .expect("amount")
        })
        .collect();
    let expected: Vec<Decimal> = ["750.0", "750.0", "19681.25", "20375.0", "43475.0"]
        .map(money)
        .to_vec();
    assert_eq!(residuals, expected);
    assert_eq!(
        records[2]
            .as_struct()
            .and_then(|s| s.get("partner_id"))
            .and_then(Value::as_many2one),
        Some((9, "Acme Corporation"))
    );
}

#[test]
fn paid_invoice_line_keeps_its_residual_and_reconciled_false() {
    let Response::Value(Value::Array(lines)) = recorded(
        "odoo-18.0",
        "asuser_search_read_paid_invoice_open_line_items.response.xml",
    ) else {
        panic!("expected an array");
    };
    let line = lines[0].as_struct().expect("record");
    assert_eq!(
        line.get("partner_id").and_then(Value::as_many2one),
        Some((55, "Payé Comptant SA"))
    );
    assert_eq!(
        line.get("amount_residual").and_then(Value::as_decimal),
        Some(money("750"))
    );
    assert_eq!(line.get("reconciled"), Some(&Value::Bool(false)));
}

#[test]
fn faults_give_odoo_codes_and_the_last_line_of_the_message() {
    let cases = [
        (
            "odoo-18.0",
            "authenticate_unknown_db",
            1,
            "psycopg2.OperationalError: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"no_such_db\" does not exist",
        ),
        (
            "odoo-18.0",
            "fault_invalid_field",
            1,
            "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)",
        ),
        (
            "odoo-18.0",
            "search_read_receivable_lines",
            1,
            "ValueError: Invalid field 'blocked' on model 'account.move.line'",
        ),
        (
            "odoo-18.0",
            "fault_unknown_model",
            2,
            "Object no.such.model doesn't exist",
        ),
        (
            "odoo-18.0",
            "fault_write_missing_record",
            2,
            "(Record: res.partner(999999999,), User: 2)",
        ),
        (
            "odoo-18.0",
            "fault_wrong_password_object",
            3,
            "Access Denied",
        ),
        (
            "odoo-18.0",
            "fault_private_method",
            4,
            "Private methods (such as _private_method) cannot be called remotely.",
        ),
        (
            "odoo-18.0",
            "asuser_fault_unauthorized_company",
            4,
            "Access to unauthorized or invalid companies.",
        ),
        (
            "odoo-19.0",
            "fault_private_method",
            4,
            "Private methods (such as 'res.partner._private_method') cannot be called remotely.",
        ),
    ];
    for (version, name, code, last_line) in cases {
        match recorded(version, &format!("{name}.response.xml")) {
            Response::Fault { code: c, string } => {
                assert_eq!(c, code, "{name}");
                assert_eq!(string.trim_end().lines().last(), Some(last_line), "{name}");
            }
            other => panic!("{name}: expected a fault, got {other:?}"),
        }
    }
}

#[test]
fn wrong_password_at_login_is_false_not_a_fault() {
    assert_eq!(
        recorded("odoo-18.0", "authenticate_wrong_password.response.xml"),
        Response::Value(Value::Bool(false))
    );
    assert_eq!(
        recorded("odoo-19.0", "read_missing_record.response.xml"),
        Response::Value(Value::Array(vec![]))
    );
}

#[test]
fn escaped_html_in_message_bodies_is_unescaped_once() {
    let Response::Value(Value::Array(messages)) =
        recorded("odoo-18.0", "asuser_message_search_read.response.xml")
    else {
        panic!("expected an array");
    };
    let body = messages[0]
        .as_struct()
        .and_then(|m| m.get("body"))
        .and_then(Value::as_str);
    assert_eq!(body, Some("<p>&lt;b&gt;not html&lt;/b&gt; &amp; plain</p>"));
}
