//! The fast path of the decoder: a byte scanner for the canonical layout that
//! CPython and Odoo write (no attributes, no comments, no CDATA, no `\r`, only
//! the five named entities).
//!
//! Profiling showed quick-xml's general event loop alone costs more than the
//! whole budget for large `search_read` answers, so documents in that exact
//! layout are read here directly. It must never decide anything on its own:
//! on the first byte it does not expect, it answers `None` and the caller
//! decodes the document again with the general quick-xml decoder, which also
//! produces every error message. The scalar rules are shared with that decoder.

use std::borrow::Cow;

use super::decode::MAX_DEPTH;
use super::scalar::{check_datetime, decode_base64, parse_bool, parse_double, parse_int};
use super::{MethodCall, Response};
use crate::value::{Struct, Value};

/// A successful `<methodResponse>` in canonical layout, or `None`.
pub fn response(input: &[u8]) -> Option<Response> {
    let mut s = Scanner::new(input)?;
    s.lit(b"<methodResponse>")?;
    s.tag(b"<params>")?;
    s.tag(b"<param>")?;
    s.tag(b"<value>")?;
    let value = s.value()?;
    s.tag(b"</param>")?;
    s.tag(b"</params>")?;
    s.tag(b"</methodResponse>")?;
    s.finish()?;
    Some(Response::Value(value))
}

/// A `<methodCall>` in canonical layout, or `None`.
pub fn call(input: &[u8]) -> Option<MethodCall> {
    let mut s = Scanner::new(input)?;
    s.lit(b"<methodCall>")?;
    s.tag(b"<methodName>")?;
    let method = s.text()?.into_owned();
    s.lit(b"</methodName>")?;
    s.tag(b"<params>")?;
    let mut params = Vec::new();
    loop {
        s.skip_ws();
        if s.eat(b"</params>") {
            break;
        }
        s.lit(b"<param>")?;
        s.tag(b"<value>")?;
        params.push(s.value()?);
        s.tag(b"</param>")?;
    }
    s.tag(b"</methodCall>")?;
    s.finish()?;
    Some(MethodCall { method, params })
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    struct_hint: usize,
}

impl<'a> Scanner<'a> {
    /// Checks UTF-8 once and skips the XML declaration and leading whitespace.
    fn new(input: &'a [u8]) -> Option<Self> {
        let text = std::str::from_utf8(input).ok()?;
        let mut s = Scanner {
            text,
            bytes: input,
            pos: 0,
            depth: 0,
            struct_hint: 0,
        };
        s.skip_ws();
        if s.bytes[s.pos..].starts_with(b"<?xml ") {
            let end = find(&s.bytes[s.pos..], b'>')?;
            if s.bytes[s.pos + end - 1] != b'?' {
                return None;
            }
            s.pos += end + 1;
        }
        s.skip_ws();
        Some(s)
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.bytes[self.pos..].starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    fn lit(&mut self, lit: &[u8]) -> Option<()> {
        self.eat(lit).then_some(())
    }

    /// Whitespace, then `lit`.
    fn tag(&mut self, lit: &[u8]) -> Option<()> {
        self.skip_ws();
        self.lit(lit)
    }

    fn finish(&mut self) -> Option<()> {
        self.skip_ws();
        (self.pos == self.bytes.len()).then_some(())
    }

    /// Character data up to the next `<`, unescaped.
    fn text(&mut self) -> Option<Cow<'a, str>> {
        let start = self.pos;
        let len = find(&self.bytes[start..], b'<')?;
        let raw = &self.bytes[start..start + len];
        self.pos = start + len;
        let mut amp = false;
        for &b in raw {
            match b {
                b'&' => amp = true,
                b'\t' | b'\n' => {}
                // `\r` needs end-of-line normalisation and controls are errors:
                // both are left to the general decoder.
                0..0x20 => return None,
                _ => {}
            }
        }
        let text = &self.text[start..start + len];
        if amp {
            unescape(text).map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(text))
        }
    }

    /// A `<value>` whose start has been read, with its end.
    fn value(&mut self) -> Option<Value> {
        let text = self.text()?;
        if self.eat(b"</value>") {
            return Some(Value::String(text.into_owned()));
        }
        if !text.bytes().all(|b| matches!(b, b' ' | b'\n' | b'\t')) {
            return None;
        }
        let value = self.typed()?;
        self.tag(b"</value>")?;
        Some(value)
    }

    fn scalar<T>(
        &mut self,
        close: &[u8],
        parse: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let text = self.text()?;
        let value = parse(&text).ok()?;
        self.lit(close)?;
        Some(value)
    }

    fn typed(&mut self) -> Option<Value> {
        let bytes = self.bytes;
        let rest = &bytes[self.pos..];
        let (open_len, close): (usize, &[u8]) = match rest.get(1..4)? {
            b"str" if rest.starts_with(b"<string>") => (8, b"</string>"),
            b"int" if rest.starts_with(b"<int>") => (5, b"</int>"),
            b"dou" if rest.starts_with(b"<double>") => (8, b"</double>"),
            b"boo" if rest.starts_with(b"<boolean>") => (9, b"</boolean>"),
            b"arr" if rest.starts_with(b"<array>") => (7, b""),
            b"str" if rest.starts_with(b"<struct>") => (8, b""),
            b"i4>" => (4, b"</i4>"),
            b"i8>" => (4, b"</i8>"),
            b"nil" if rest.starts_with(b"<nil/>") => (6, b""),
            b"dat" if rest.starts_with(b"<dateTime.iso8601>") => (18, b"</dateTime.iso8601>"),
            b"bas" if rest.starts_with(b"<base64>") => (8, b"</base64>"),
            _ => return None,
        };
        let tag = &rest[1..open_len - 1];
        self.pos += open_len;
        match tag {
            b"string" => {
                let text = self.text()?.into_owned();
                self.lit(close)?;
                Some(Value::String(text))
            }
            b"int" | b"i4" | b"i8" => self.scalar(close, parse_int).map(Value::Int),
            b"double" => self.scalar(close, parse_double).map(Value::Double),
            b"boolean" => self.scalar(close, parse_bool).map(Value::Bool),
            b"dateTime.iso8601" => self.scalar(close, check_datetime).map(Value::DateTime),
            b"base64" => self.scalar(close, decode_base64).map(Value::Base64),
            b"nil/" => Some(Value::Nil),
            b"array" => self.nested(Self::array),
            b"struct" => self.nested(Self::structure),
            _ => None,
        }
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self) -> Option<Value>) -> Option<Value> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let value = f(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Option<Value> {
        self.tag(b"<data>")?;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.eat(b"</data>") {
                break;
            }
            self.lit(b"<value>")?;
            items.push(self.value()?);
        }
        self.tag(b"</array>")?;
        Some(Value::Array(items))
    }

    fn structure(&mut self) -> Option<Value> {
        let mut members = Vec::with_capacity(self.struct_hint);
        loop {
            self.skip_ws();
            if self.eat(b"</struct>") {
                break;
            }
            self.lit(b"<member>")?;
            self.tag(b"<name>")?;
            let name = self.text()?.into_owned();
            self.lit(b"</name>")?;
            self.tag(b"<value>")?;
            let value = self.value()?;
            self.tag(b"</member>")?;
            members.push((name, value));
        }
        self.struct_hint = members.len().min(64);
        Some(Value::Struct(Struct(members)))
    }
}

fn find(bytes: &[u8], needle: u8) -> Option<usize> {
    bytes.iter().position(|&b| b == needle)
}

/// Resolves `&amp;` `&lt;` `&gt;` `&quot;` `&apos;`; anything else is for the general decoder.
fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let semi = after.find(';')?;
        out.push(match &after[..semi] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => return None,
        });
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}
