//! The XML-RPC dialect in detail: the tolerant forms the decoder accepts, the
//! errors it gives (positioned, redacted), money through `as_decimal`, and the
//! paths the encoder names when a value cannot be carried.

use odoo_wire::value::{Struct, Value};
use odoo_wire::xmlrpc::{
    EncodeError, MethodCall, Response, decode_call, decode_response, encode_call, encode_fault,
    encode_response,
};
use rust_decimal::Decimal;
use std::str::FromStr;

fn response_value(inner: &str) -> Result<Value, String> {
    let doc = format!("<methodResponse><params><param>{inner}</param></params></methodResponse>");
    match decode_response(doc.as_bytes()) {
        Ok(Response::Value(v)) => Ok(v),
        Ok(fault) => Err(format!("unexpected {fault:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn value(inner: &str) -> Value {
    response_value(inner).unwrap_or_else(|e| panic!("{inner}: {e}"))
}

fn decimal(text: &str) -> Decimal {
    Decimal::from_str(text).expect("decimal")
}

#[test]
fn strings_come_typed_bare_or_empty() {
    assert_eq!(
        value("<value><string>a &amp; b</string></value>"),
        Value::from("a & b")
    );
    assert_eq!(
        value("<value>  bare text </value>"),
        Value::from("  bare text ")
    );
    assert_eq!(value("<value/>"), Value::from(""));
    assert_eq!(value("<value></value>"), Value::from(""));
    assert_eq!(value("<value><string/></value>"), Value::from(""));
    assert_eq!(value("<value><string></string></value>"), Value::from(""));
    assert_eq!(
        value("<value><string>&#10;&#x1F600;&lt;&gt;&quot;&apos;</string></value>"),
        Value::from("\n😀<>\"'")
    );
    assert_eq!(
        value("<value><string><![CDATA[<b>]]></string></value>"),
        Value::from("<b>")
    );
    assert_eq!(
        value("<value><string>a\r\nb\rc</string></value>"),
        Value::from("a\nb\nc")
    );
}

#[test]
fn whitespace_declaration_and_comments_are_optional() {
    let doc = "\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n<methodResponse>\n <params>\n  <param>\n   <value>\n    <i4> 42 </i4>\n   </value>\n  </param>\n </params>\n</methodResponse>\n\n";
    assert_eq!(
        decode_response(doc.as_bytes()),
        Ok(Response::Value(Value::Int(42)))
    );
    assert_eq!(
        value("<value><i8>-9223372036854775808</i8></value>"),
        Value::Int(i64::MIN)
    );
    assert_eq!(
        value("<value><boolean>1</boolean></value>"),
        Value::Bool(true)
    );
    assert_eq!(value("<value><nil/></value>"), Value::Nil);
    assert_eq!(
        value("<value><array><data/></array></value>"),
        Value::Array(vec![])
    );
    assert_eq!(
        value("<value><struct/></value>"),
        Value::Struct(Struct::new())
    );
}

#[test]
fn money_as_decimal_keeps_the_digits_on_the_wire() {
    assert_eq!(
        value("<value><double>1.1</double></value>").as_decimal(),
        Some(decimal("1.1"))
    );
    assert_eq!(
        value("<value><double>1e-05</double></value>").as_decimal(),
        Some(decimal("0.00001"))
    );
    assert_eq!(
        value("<value><double>19681.25</double></value>").as_decimal(),
        Some(decimal("19681.25"))
    );
    assert_eq!(
        value("<value><double>-0.3</double></value>").as_decimal(),
        Some(decimal("-0.3"))
    );
}

#[test]
fn big_integers_odoo_sends_as_double_stay_doubles() {
    let v = value("<value><double>3000000000.0</double></value>");
    assert_eq!(v, Value::Double(3e9));
    assert_eq!(v.as_i64(), Some(3_000_000_000));
    let e =
        response_value("<value><int>9223372036854775808</int></value>").expect_err("out of range");
    assert!(e.contains("64-bit range"), "{e}");
}

#[test]
fn non_finite_doubles_and_bad_scalars_are_refused() {
    for bad in [
        "<value><double>nan</double></value>",
        "<value><double>-inf</double></value>",
        "<value><double>1e999</double></value>",
        "<value><int>12x</int></value>",
        "<value><int/></value>",
        "<value><boolean>true</boolean></value>",
        "<value><dateTime.iso8601>yesterday</dateTime.iso8601></value>",
        "<value><base64>!!!</base64></value>",
        "<value><unknown>1</unknown></value>",
        "<value>text<int>1</int></value>",
    ] {
        assert!(response_value(bad).is_err(), "{bad} was accepted");
    }
}

#[test]
fn datetimes_stay_text_and_base64_tolerates_line_breaks() {
    for dt in [
        "20261122T10:00:00",
        "2026-11-22T10:00:00",
        "2026-11-22T10:00:00Z",
        "2026-11-22T10:00:00+01:00",
    ] {
        let v = value(&format!(
            "<value><dateTime.iso8601>{dt}</dateTime.iso8601></value>"
        ));
        assert_eq!(v, Value::DateTime(dt.to_owned()));
    }
    let v = value("<value><base64>\nJVBERi0x\nLjQgdGVz\r\n dA==\n</base64></value>");
    assert_eq!(v, Value::Base64(b"%PDF-1.4 test".to_vec()));
}

#[test]
fn faults_and_malformed_responses() {
    let fault = encode_fault(3, "Access Denied");
    assert_eq!(
        decode_response(fault.as_bytes()),
        Ok(Response::Fault {
            code: 3,
            string: "Access Denied".into()
        })
    );
    let old_style = fault.replace("<int>3</int>", "<string>warning -- Access Denied</string>");
    let e = decode_response(old_style.as_bytes()).expect_err("string faultCode");
    assert!(e.message.contains("/xmlrpc/2"), "{e}");
    let two = "<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>";
    assert!(
        decode_response(two.as_bytes())
            .expect_err("two params")
            .message
            .contains("exactly one")
    );
    assert!(decode_response(b"<methodResponse><params></params></methodResponse>").is_err());
    assert!(decode_response(b"").is_err());
    assert!(decode_response(b"<methodResponse><params><param><value>1</value></param></params></methodResponse><x/>").is_err());
}

#[test]
fn errors_point_at_the_byte_without_leaking_the_payload() {
    let doc = "<methodResponse><params><param><value><struct><member><name>password</name><value><string>hunter2-secret</string></value></member><member><name>amount</name><value><double>41750.0.1</double></value></member></struct></value></param></params></methodResponse>";
    let e = decode_response(doc.as_bytes()).expect_err("bad double");
    assert_eq!(&doc[e.offset..e.offset + 8], "<double>");
    let shown = e.to_string();
    assert!(shown.contains(&format!("at byte {}", e.offset)), "{shown}");
    for leak in ["41750", "hunter", "secret", "password"] {
        assert!(!shown.contains(leak), "{leak} leaked: {shown}");
    }
    assert!(e.excerpt.contains("<double>"), "{}", e.excerpt);
}

#[test]
fn calls_decode_with_or_without_params() {
    let call = decode_call(b"<?xml version='1.0'?>\n<methodCall>\n<methodName>version</methodName>\n<params>\n</params>\n</methodCall>\n");
    assert_eq!(
        call,
        Ok(MethodCall {
            method: "version".into(),
            params: vec![]
        })
    );
    let call = decode_call(b"<methodCall><methodName>a&amp;b</methodName></methodCall>");
    assert_eq!(call.map(|c| c.method), Ok("a&b".to_owned()));
    assert!(decode_call(b"<methodResponse/>").is_err());
}

#[test]
fn encoder_names_the_path_of_a_character_xml_cannot_carry() {
    let mut params: Vec<Value> = (0..5).map(Value::Int).collect();
    params.push(Value::Array(vec![Value::Array(vec![
        Value::from("ok"),
        Value::from("bad\u{1}"),
    ])]));
    assert_eq!(
        encode_call("execute_kw", &params),
        Err(EncodeError::InvalidChar {
            codepoint: 1,
            path: "params[5][0][1]".into()
        })
    );
    let mut params: Vec<Value> = (0..6).map(Value::Int).collect();
    let fields = vec![
        Value::from("name"),
        Value::from("id"),
        Value::from("x\u{FFFF}"),
    ];
    params.push(Value::Struct(Struct::new().with("fields", fields)));
    assert_eq!(
        encode_call("execute_kw", &params),
        Err(EncodeError::InvalidChar {
            codepoint: 0xFFFF,
            path: "params[6].fields[2]".into()
        })
    );
    assert_eq!(
        encode_call("m", &[Value::Struct(Struct::new().with("a b\u{8}", 1))]),
        Err(EncodeError::InvalidChar {
            codepoint: 8,
            path: "params[0][\"a b\\u{8}\"]".into()
        })
    );
    assert_eq!(
        encode_response(&Value::Array(vec![Value::Double(f64::NAN)])),
        Err(EncodeError::NonFiniteDouble {
            path: "result[0]".into()
        })
    );
    let e = encode_call("bad\u{0}", &[]).expect_err("method name");
    assert!(e.to_string().contains("methodName"), "{e}");
}

#[test]
fn encoder_writes_integers_and_binary_like_cpython_and_odoo() {
    let call = encode_call(
        "m",
        &[
            Value::Int(3_000_000_000),
            Value::Double(1e-05),
            Value::Base64(vec![0u8; 60]),
        ],
    )
    .expect("encodable");
    assert!(
        call.contains("<value><int>3000000000</int></value>\n"),
        "{call}"
    );
    assert!(
        call.contains("<value><double>1e-05</double></value>\n"),
        "{call}"
    );
    let line = "A".repeat(76);
    assert!(
        call.contains(&format!(
            "<value><base64>\n{line}\nAAAA\n</base64></value>\n"
        )),
        "{call}"
    );
    let response = encode_response(&Value::Int(3_000_000_000)).expect("encodable");
    assert!(
        response.contains("<value><double>3000000000.0</double></value>"),
        "{response}"
    );
    let fault = encode_fault(1, "bad \u{1} char & <tag>");
    let Ok(Response::Fault { string, .. }) = decode_response(fault.as_bytes()) else {
        panic!("fault must decode: {fault}");
    };
    assert_eq!(string, "bad \u{FFFD} char & <tag>");
}
