//! The values Odoo exchanges, independent of the wire protocol.
//!
//! XML-RPC (`odoo::xmlrpc`) and JSON-2 (`odoo::json2`) both decode into [`Value`];
//! the client, the typed records and the Odoo double all speak it. It must not
//! know about HTTP or any model: it is data only.

use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// One value as Odoo sends or receives it.
///
/// Odoo's conventions are kept as they are on the wire: an empty field is
/// `Bool(false)`, a many2one is `Array([Int(id), String(name)])`, dates are
/// strings. Typed helpers below interpret them.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `<int>`, `<i4>`, `<i8>`; JSON integers.
    Int(i64),
    /// `<boolean>`; JSON `true`/`false`.
    Bool(bool),
    /// `<string>` or a bare `<value>text</value>`; JSON strings.
    String(String),
    /// `<double>`; JSON numbers with a fraction or exponent. Money arrives
    /// this way: convert it with [`Value::as_decimal`], never through `f64` arithmetic.
    Double(f64),
    /// `<dateTime.iso8601>`, kept as the text received (Odoo itself sends
    /// dates as strings; this exists for completeness of the codec).
    DateTime(String),
    /// `<base64>`, decoded.
    Base64(Vec<u8>),
    /// `<array>`; JSON arrays.
    Array(Vec<Value>),
    /// `<struct>`; JSON objects. Member order is kept as received.
    Struct(Struct),
    /// `<nil/>`; JSON `null`. Real Odoo never sends it over XML-RPC.
    Nil,
}

/// An ordered map of members (Odoo records have few fields: a linear scan is
/// faster than hashing and keeps the order Odoo sent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Struct(pub Vec<(String, Value)>);

impl Struct {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// The member named `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Sets `key`, replacing an existing member of that name.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) {
        let key = key.into();
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// Builder form of [`Struct::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value.into());
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(String, Value)> for Struct {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Self {
        let mut s = Struct::new();
        for (k, v) in iter {
            s.insert(k, v);
        }
        s
    }
}

impl Value {
    /// Odoo's "empty": `False` (and `Nil`, which JSON-2 may carry).
    pub fn is_empty_odoo(&self) -> bool {
        matches!(self, Value::Bool(false) | Value::Nil)
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            // Integers above 2^31-1 may come as doubles from Odoo's XML-RPC.
            Value::Double(d) if d.fract() == 0.0 && d.abs() < 9.007_199_254_740_992e15 => {
                Some(*d as i64)
            }
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text of a string value; `None` for Odoo's `False` and anything else.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_struct(&self) -> Option<&Struct> {
        match self {
            Value::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Money and other decimal quantities, through the shortest decimal text
    /// of the double (the same digits Python's `repr` wrote on the wire), so
    /// that `1.1` stays exactly `1.1`.
    pub fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Value::Int(i) => Some(Decimal::from(*i)),
            Value::Double(d) if d.is_finite() => {
                // `{}` on f64 prints the shortest text that round-trips.
                let text = format!("{d}");
                Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&format!("{d:e}")))
                    .ok()
            }
            _ => None,
        }
    }

    /// A many2one as `(id, display name)`; `None` when empty (`False`).
    pub fn as_many2one(&self) -> Option<(i64, &str)> {
        match self.as_array()? {
            [id, name] => Some((id.as_i64()?, name.as_str().unwrap_or(""))),
            [id] => Some((id.as_i64()?, "")),
            _ => None,
        }
    }

    /// A list of ids (one2many / many2many, `search` results).
    pub fn as_ids(&self) -> Option<Vec<i64>> {
        self.as_array()?.iter().map(Value::as_i64).collect()
    }

    /// The strings of a list (`fields`, `attributes`…), other items skipped.
    pub fn as_strings(&self) -> Option<Vec<String>> {
        Some(
            self.as_array()?
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
        )
    }

    /// Short name of the variant, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Bool(_) => "boolean",
            Value::String(_) => "string",
            Value::Double(_) => "double",
            Value::DateTime(_) => "dateTime",
            Value::Base64(_) => "base64",
            Value::Array(_) => "array",
            Value::Struct(_) => "struct",
            Value::Nil => "nil",
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Double(v)
    }
}
impl From<Struct> for Value {
    fn from(v: Struct) -> Self {
        Value::Struct(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::Array(v.into_iter().map(Into::into).collect())
    }
}

impl fmt::Display for Value {
    /// A short, human form for messages; long strings are cut.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Value::String(s) if s.chars().count() > 60 => {
                let cut: String = s.chars().take(57).collect();
                write!(f, "{cut:?}…")
            }
            Value::String(s) => write!(f, "{s:?}"),
            Value::Double(d) => write!(f, "{d}"),
            Value::DateTime(s) => write!(f, "{s}"),
            Value::Base64(b) => write!(f, "<{} bytes>", b.len()),
            Value::Array(a) => write!(f, "[{} items]", a.len()),
            Value::Struct(s) => write!(f, "{{{} members}}", s.len()),
            Value::Nil => write!(f, "None"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_keeps_its_decimal_text() {
        assert_eq!(Value::Double(1.1).as_decimal().unwrap().to_string(), "1.1");
        assert_eq!(
            Value::Double(1e-05).as_decimal().unwrap().to_string(),
            "0.00001"
        );
        assert_eq!(
            Value::Double(20375.0).as_decimal().unwrap().to_string(),
            "20375"
        );
        assert_eq!(
            Value::Double(0.1 + 0.2).as_decimal().unwrap().to_string(),
            "0.30000000000000004"
        );
    }

    #[test]
    fn many2one_and_false() {
        let v = Value::Array(vec![Value::Int(13), Value::from("LightsUp")]);
        assert_eq!(v.as_many2one(), Some((13, "LightsUp")));
        assert_eq!(Value::Bool(false).as_many2one(), None);
        assert!(Value::Bool(false).is_empty_odoo());
    }
}
