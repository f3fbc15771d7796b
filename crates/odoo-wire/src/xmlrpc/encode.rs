//! The XML-RPC encoder, writing what CPython's `xmlrpc.client.dumps` writes
//! (requests) and what Odoo writes (responses), byte for byte.
//!
//! It refuses what XML 1.0 cannot carry instead of sending something Odoo
//! would read differently, naming the path of the offending value
//! (`params[6].fields[2]`). It must not decide anything about Odoo semantics
//! beyond the wire shape.

use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::EncodeError;
use crate::value::Value;

/// One step of the path from the root to the value being written.
#[derive(Clone, Copy)]
enum Seg<'v> {
    Root(&'static str),
    Index(usize),
    Key(&'v str),
}

/// How integers outside the 32-bit range are written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BigInt {
    /// `<int>` whatever the size (what the client sends; Odoo reads it).
    AsInt,
    /// `<double>`, as Odoo's server writes integers above 2^31-1.
    AsDouble,
}

/// Writes values into one document.
pub struct Writer<'v> {
    out: String,
    path: Vec<Seg<'v>>,
    big_int: BigInt,
}

impl<'v> Writer<'v> {
    pub fn new(header: &str, big_int: BigInt) -> Self {
        let mut out = String::with_capacity(256);
        out.push_str(header);
        Writer {
            out,
            path: Vec::new(),
            big_int,
        }
    }

    pub fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Writes `text` escaped; `root` names it in errors.
    pub fn text(&mut self, root: &'static str, text: &'v str) -> Result<(), EncodeError> {
        self.path.push(Seg::Root(root));
        escape_into(&mut self.out, text).map_err(|c| self.invalid_char(c))?;
        self.path.pop();
        Ok(())
    }

    /// Writes one top-level value; `root` is e.g. `params[3]` or `result`.
    pub fn root_value(
        &mut self,
        root: &'static str,
        index: Option<usize>,
        value: &'v Value,
    ) -> Result<(), EncodeError> {
        self.path.push(Seg::Root(root));
        if let Some(i) = index {
            self.path.push(Seg::Index(i));
        }
        self.value(value)?;
        self.path.clear();
        Ok(())
    }

    fn value(&mut self, value: &'v Value) -> Result<(), EncodeError> {
        match value {
            Value::Int(i) if self.big_int == BigInt::AsDouble && i32::try_from(*i).is_err() => {
                self.double(*i as f64)?;
            }
            Value::Int(i) => {
                let _ = writeln!(self.out, "<value><int>{i}</int></value>");
            }
            Value::Bool(b) => {
                self.out.push_str(if *b {
                    "<value><boolean>1</boolean></value>\n"
                } else {
                    "<value><boolean>0</boolean></value>\n"
                });
            }
            Value::String(s) => {
                self.out.push_str("<value><string>");
                escape_into(&mut self.out, s).map_err(|c| self.invalid_char(c))?;
                self.out.push_str("</string></value>\n");
            }
            Value::Double(d) => self.double(*d)?,
            Value::DateTime(s) => {
                self.out.push_str("<value><dateTime.iso8601>");
                escape_into(&mut self.out, s).map_err(|c| self.invalid_char(c))?;
                self.out.push_str("</dateTime.iso8601></value>\n");
            }
            Value::Base64(bytes) => {
                self.out.push_str("<value><base64>\n");
                encode_base64_lines(&mut self.out, bytes);
                self.out.push_str("</base64></value>\n");
            }
            Value::Array(items) => {
                self.out.push_str("<value><array><data>\n");
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Seg::Index(i));
                    self.value(item)?;
                    self.path.pop();
                }
                self.out.push_str("</data></array></value>\n");
            }
            Value::Struct(members) => {
                self.out.push_str("<value><struct>\n");
                for (key, item) in &members.0 {
                    self.path.push(Seg::Key(key));
                    self.out.push_str("<member>\n<name>");
                    escape_into(&mut self.out, key).map_err(|c| self.invalid_char(c))?;
                    self.out.push_str("</name>\n");
                    self.value(item)?;
                    self.out.push_str("</member>\n");
                    self.path.pop();
                }
                self.out.push_str("</struct></value>\n");
            }
            Value::Nil => self.out.push_str("<value><nil/></value>"),
        }
        Ok(())
    }

    fn double(&mut self, d: f64) -> Result<(), EncodeError> {
        if !d.is_finite() {
            return Err(EncodeError::NonFiniteDouble { path: self.path() });
        }
        self.out.push_str("<value><double>");
        write_python_repr(&mut self.out, d);
        self.out.push_str("</double></value>\n");
        Ok(())
    }

    fn invalid_char(&self, c: char) -> EncodeError {
        EncodeError::InvalidChar {
            codepoint: c as u32,
            path: self.path(),
        }
    }

    /// `params[6].fields[2]`; keys that are not plain identifiers are quoted.
    fn path(&self) -> String {
        let mut path = String::new();
        for seg in &self.path {
            match seg {
                Seg::Root(root) => path.push_str(root),
                Seg::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
                Seg::Key(key)
                    if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') =>
                {
                    let _ = write!(path, ".{key}");
                }
                Seg::Key(key) => {
                    let _ = write!(path, "[{key:?}]");
                }
            }
        }
        path
    }
}

/// Appends `text` escaped as CPython does (`&`, `<`, `>`), plus `\r` as `&#13;`
/// so that it is not read back as `\n`; returns the first character XML 1.0
/// cannot carry.
pub fn escape_into(out: &mut String, text: &str) -> Result<(), char> {
    let bytes = text.as_bytes();
    let mut done = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\r' => "&#13;",
            b'\t' | b'\n' => continue,
            0..0x20 => return Err(b as char),
            // U+FFFE and U+FFFF are EF BF BE / EF BF BF in UTF-8.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                return Err(text[i..].chars().next().unwrap_or('\u{FFFF}'));
            }
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(replacement);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    Ok(())
}

/// Base64 in lines of 76 characters, each ending in `\n`, like Python's `encodebytes`.
fn encode_base64_lines(out: &mut String, bytes: &[u8]) {
    for chunk in bytes.chunks(57) {
        STANDARD.encode_string(chunk, out);
        out.push('\n');
    }
}

/// Appends the text of Python's `repr(d)` for a finite `d`: the shortest digits
/// that round-trip, in positional form for exponents -5 < e < 16 (`750.0`,
/// `0.0001`), scientific otherwise (`1e-05`, `1.5e+16`).
pub fn write_python_repr(out: &mut String, d: f64) {
    // `{:e}` gives the shortest round-trip digits: "-1.2345e-5", "1e16", "0e0".
    let sci = format!("{d:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    out.push_str(sign);
    if !(-4..16).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(
            out,
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.unsigned_abs()
        );
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() > int_len {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        } else {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', int_len - digits.len()));
            out.push_str(".0");
        }
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(&digits);
    }
}

/// `repr(d)` as a new string.
pub fn python_repr(d: f64) -> String {
    let mut s = String::new();
    write_python_repr(&mut s, d);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_are_written_like_python_repr() {
        let cases = [
            (750.0, "750.0"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (5e-324, "5e-324"),
            (1e300, "1e+300"),
            (-19681.25, "-19681.25"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (d, text) in cases {
            assert_eq!(python_repr(d), text);
        }
    }

    #[test]
    fn escaping_matches_cpython_and_refuses_what_xml_cannot_carry() {
        let mut out = String::new();
        escape_into(&mut out, "a&b<c>d\"e'\tf\ng\rh").unwrap();
        assert_eq!(out, "a&amp;b&lt;c&gt;d\"e'\tf\ng&#13;h");
        assert_eq!(escape_into(&mut String::new(), "x\u{1}"), Err('\u{1}'));
        assert_eq!(
            escape_into(&mut String::new(), "x\u{FFFE}"),
            Err('\u{FFFE}')
        );
        assert_eq!(
            escape_into(&mut String::new(), "x\u{FFFF}y"),
            Err('\u{FFFF}')
        );
        assert!(escape_into(&mut String::new(), "é\u{FFFD}😀\u{7F}").is_ok());
    }
}
