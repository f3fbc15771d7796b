//! Conversion between [`Value`] and JSON, for the JSON-2 API of Odoo ≥ 19.
//!
//! JSON has no dates, base64 or structs-with-order distinctions: integers map
//! to `Int`, other numbers to `Double`, `null` to `Nil`, objects to `Struct`.
//! Encoding base64 or dateTime values writes them as strings, as Odoo expects.

use crate::{Struct, Value};
use base64::Engine as _;
use serde_json::Value as Json;

/// JSON → [`Value`].
pub fn from_json(json: &Json) -> Value {
    match json {
        Json::Null => Value::Nil,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::String(s.clone()),
        Json::Array(a) => Value::Array(a.iter().map(from_json).collect()),
        Json::Object(o) => Value::Struct(Struct(
            o.iter().map(|(k, v)| (k.clone(), from_json(v))).collect(),
        )),
    }
}

/// [`Value`] → JSON. Non-finite doubles (which Odoo cannot receive) become `null`.
pub fn to_json(value: &Value) -> Json {
    match value {
        Value::Nil => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Double(d) => serde_json::Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::String(s) | Value::DateTime(s) => Json::String(s.clone()),
        Value::Base64(b) => Json::String(base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Array(a) => Json::Array(a.iter().map(to_json).collect()),
        Value::Struct(s) => {
            Json::Object(s.iter().map(|(k, v)| (k.to_owned(), to_json(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_odoo_conventions() {
        let text = r#"[{"id": 10, "partner_id": [13, "LightsUp"], "amount_residual": 750.0, "x": false, "n": null}]"#;
        let json: Json = serde_json::from_str(text).unwrap();
        let value = from_json(&json);
        let rec = value.as_array().unwrap()[0].as_struct().unwrap();
        assert_eq!(rec.get("id"), Some(&Value::Int(10)));
        assert_eq!(
            rec.get("partner_id").unwrap().as_many2one(),
            Some((13, "LightsUp"))
        );
        assert_eq!(
            rec.get("amount_residual")
                .unwrap()
                .as_decimal()
                .unwrap()
                .to_string(),
            "750"
        );
        assert_eq!(rec.get("x"), Some(&Value::Bool(false)));
        assert_eq!(to_json(&value), json);
    }
}
