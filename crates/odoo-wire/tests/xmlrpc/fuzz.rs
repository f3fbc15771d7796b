//! Hostile input: arbitrary bytes and mutated valid documents fed to the
//! decoders must give a value or a positioned error, never a panic, a stack
//! overflow or an excerpt that repeats the document.

use odoo_wire::value::{Struct, Value};
use odoo_wire::xmlrpc::{
    DecodeError, decode_call, decode_call_general, decode_response, decode_response_general,
    encode_call, encode_fault, encode_response,
};
use proptest::prelude::*;

fn samples() -> Vec<Vec<u8>> {
    let record = Struct::new()
        .with("id", 13)
        .with(
            "partner_id",
            vec![Value::Int(10), Value::from("Deco & <Addict>")],
        )
        .with("amount_residual", 41750.25)
        .with("tiny", 1e-05)
        .with("ref", false)
        .with("blob", Value::Base64(b"%PDF-1.4 test".to_vec()))
        .with("when", Value::DateTime("20261122T10:00:00".into()))
        .with("none", Value::Nil)
        .with("text", "é 😀 \r\n end");
    let params = vec![
        Value::from("fu18"),
        Value::Int(2),
        Value::Array(vec![Value::Struct(record.clone()), Value::Array(vec![])]),
    ];
    vec![
        encode_call("execute_kw", &params).expect("encodable").into_bytes(),
        encode_response(&Value::Array(vec![Value::Struct(record)]))
            .expect("encodable")
            .into_bytes(),
        encode_fault(2, "Object no.such.model doesn't exist").into_bytes(),
        b"<methodResponse><params><param><value>bare &amp; &#x1F600;</value></param></params></methodResponse>".to_vec(),
    ]
}

fn check_error(input: &[u8], e: &DecodeError) {
    assert!(
        e.offset <= input.len(),
        "offset {} beyond {} bytes",
        e.offset,
        input.len()
    );
    assert!(
        e.excerpt.chars().count() <= 64,
        "excerpt too long: {:?}",
        e.excerpt
    );
    assert!(!e.message.is_empty());
}

/// Decodes `input` both ways; the fast path must agree with the general
/// decoder exactly (same value, or the same error).
fn decode_both(input: &[u8]) {
    let response = decode_response(input);
    if let Err(e) = &response {
        check_error(input, e);
    }
    assert_eq!(
        response,
        decode_response_general(input),
        "{}",
        String::from_utf8_lossy(input)
    );
    let call = decode_call(input);
    if let Err(e) = &call {
        check_error(input, e);
    }
    assert_eq!(
        call,
        decode_call_general(input),
        "{}",
        String::from_utf8_lossy(input)
    );
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
}

fn apply(doc: &[u8], m: &Mutation) -> Vec<u8> {
    let at = |i: usize| {
        if doc.is_empty() {
            0
        } else {
            i % (doc.len() + 1)
        }
    };
    let mut out = doc.to_vec();
    match m {
        Mutation::Truncate(i) => out.truncate(at(*i)),
        Mutation::Flip(i, b) => {
            if !out.is_empty() {
                let i = i % out.len();
                out[i] ^= b | 1;
            }
        }
        Mutation::Insert(i, bytes) => {
            let i = at(*i);
            out.splice(i..i, bytes.iter().copied());
        }
        Mutation::Delete(i, n) => {
            let i = at(*i);
            let end = (i + n).min(out.len());
            out.drain(i..end);
        }
        Mutation::Duplicate(i, n) => {
            let i = at(*i);
            let end = (i + n).min(out.len());
            let copy = out[i..end].to_vec();
            out.splice(i..i, copy);
        }
    }
    out
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let markup = prop::sample::select(vec![
        b"<".to_vec(),
        b">".to_vec(),
        b"</value>".to_vec(),
        b"<value>".to_vec(),
        b"<array><data>".to_vec(),
        b"&".to_vec(),
        b"&#0;".to_vec(),
        b"&#xD800;".to_vec(),
        b"&bogus;".to_vec(),
        b"\xff\xfe".to_vec(),
        b"<![CDATA[x".to_vec(),
        b"<!--".to_vec(),
        b"<!DOCTYPE x [<!ENTITY a 'b'>]>".to_vec(),
        b"\x01".to_vec(),
        b"<int>99999999999999999999</int>".to_vec(),
        b"<double>nan</double>".to_vec(),
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), markup).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

proptest! {
    // Failures persist next to this file (`fuzz.proptest-regressions`), not in the
    // default `../proptest-regressions/` that `main.rs` in this folder would select.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..ProptestConfig::with_cases(2000)
    })]

    #[test]
    fn arbitrary_bytes_never_panic(input in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_both(&input);
    }

    #[test]
    fn mutated_documents_never_panic(
        which in 0usize..4,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let mut doc = samples().swap_remove(which);
        for m in &mutations {
            doc = apply(&doc, m);
        }
        decode_both(&doc);
    }

    #[test]
    fn truncated_documents_are_errors(which in 0usize..4, cut in any::<usize>()) {
        let doc = samples().swap_remove(which);
        let root_end = doc.iter().rposition(|&b| b == b'>').expect("a closing bracket");
        let cut = cut % (root_end + 1);
        let truncated = &doc[..cut];
        let result = if which == 0 { decode_call(truncated).map(|_| ()) } else { decode_response(truncated).map(|_| ()) };
        prop_assert!(result.is_err(), "a document cut at {} was accepted", cut);
    }
}

#[test]
fn the_unmutated_samples_decode() {
    for (i, doc) in samples().iter().enumerate() {
        let ok = if i == 0 {
            decode_call(doc).is_ok()
        } else {
            decode_response(doc).is_ok()
        };
        assert!(ok, "sample {i}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut doc = String::from("<methodResponse><params><param>");
    doc.push_str(&"<value><array><data>".repeat(depth));
    doc.push_str(&"</data></array></value>".repeat(depth));
    doc.push_str("</param></params></methodResponse>");
    let e = decode_response(doc.as_bytes()).expect_err("too deep");
    assert!(e.message.contains("nested deeper"), "{e}");
    let mut structs = String::from("<methodCall><methodName>m</methodName><params><param>");
    structs.push_str(&"<value><struct><member><name>k</name>".repeat(depth));
    assert!(decode_call(structs.as_bytes()).is_err());
}

#[test]
fn fast_path_and_general_decoder_agree_on_edge_documents() {
    let wrap = |inner: &str| {
        format!(
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n{inner}</param>\n</params>\n</methodResponse>\n"
        )
    };
    let cases = [
        "<value>a]]>b</value>",
        "<value>a>b</value>",
        "<value>\u{FFFE}</value>",
        "<value><string>a&amp;b&bogus;</string></value>",
        "<value><string>a&#38;b</string></value>",
        "<value><string>a & b</string></value>",
        "<value><struct>\n<member>\n<name></name>\n<value><int>1</int></value>\n</member>\n</struct></value>",
        "<value><int> 1 </int></value>",
        "<value><int>1</i4></value>",
        "<value><i4>1</int></value>",
        "<value> <int>1</int> </value>",
        "<value> x <int>1</int></value>",
        "<value><array><data>\n</data></array></value>\n<value>2</value>",
        "<value><nil/></value>",
        "<value><string>\t</string></value>",
    ];
    for inner in cases {
        let doc = wrap(inner);
        decode_both(doc.as_bytes());
    }
    decode_both(b"<?xml version='1.0'?>\n<methodCall>\n<methodName></methodName>\n<params>\n</params>\n</methodCall>\n");
    decode_both(b"<?xml version='1.0'>\n<methodCall>\n<methodName>m</methodName>\n<params>\n</params>\n</methodCall>\n");
    decode_both(
        b"<?xml-stylesheet x?><methodCall><methodName>m</methodName><params></params></methodCall>",
    );
}
