//! The XML-RPC decoder: `<methodResponse>` and `<methodCall>` into [`Value`]s.
//!
//! It walks quick-xml's pull events over the borrowed input, allocating only
//! for the values it returns (text is borrowed until it becomes a `String`).
//! It must never panic or recurse without bound on hostile input, and its
//! errors carry an offset and a redacted excerpt, never the document.

use std::borrow::Cow;

use super::lexer::{El, Lexer, Result, Tok, append};
use super::scalar::{check_datetime, decode_base64, is_blank, parse_bool, parse_double, parse_int};
use super::{MethodCall, Response};
use crate::value::{Struct, Value};

/// Arrays and structs nested deeper than this are refused (Odoo domains nest a few levels).
pub const MAX_DEPTH: usize = 128;

/// A pull decoder over one document.
pub struct Decoder<'a> {
    lex: Lexer<'a>,
    depth: usize,
    /// Members of the last struct: records of one answer have the same fields,
    /// so the next struct is allocated at that size once.
    struct_hint: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Decoder {
            lex: Lexer::new(input),
            depth: 0,
            struct_hint: 0,
        }
    }

    /// A `<value>` whose start has been read, up to and including its end.
    fn value(&mut self) -> Result<Value> {
        let start = self.lex.at;
        let mut text = Cow::Borrowed("");
        loop {
            match self.lex.next()? {
                Tok::Text(t) => append(&mut text, t),
                Tok::Char(c) => text.to_mut().push(c),
                Tok::Close(El::Value) => return Ok(Value::String(text.into_owned())),
                Tok::Open(el) => {
                    self.only_space(&text, start)?;
                    let value = self.typed(el)?;
                    self.lex.close(El::Value)?;
                    return Ok(value);
                }
                Tok::Empty(el) => {
                    self.only_space(&text, start)?;
                    let value = self.empty_typed(el)?;
                    self.lex.close(El::Value)?;
                    return Ok(value);
                }
                tok => return Err(self.lex.unexpected(&tok, "the content of a <value>")),
            }
        }
    }

    fn only_space(&self, text: &str, start: usize) -> Result<()> {
        if is_blank(text) {
            Ok(())
        } else {
            Err(self
                .lex
                .error_at(start, "a <value> mixes text and an element"))
        }
    }

    /// The typed element `el` inside a `<value>`, its start having been read.
    fn typed(&mut self, el: El) -> Result<Value> {
        let start = self.lex.at;
        let scalar = |r: std::result::Result<Value, &'static str>, d: &Self| {
            r.map_err(|m| d.lex.error_at(start, m))
        };
        match el {
            El::String => Ok(Value::String(self.lex.text(el)?.into_owned())),
            El::Int => {
                let t = self.lex.text(el)?;
                scalar(parse_int(&t).map(Value::Int), self)
            }
            El::Double => {
                let t = self.lex.text(el)?;
                scalar(parse_double(&t).map(Value::Double), self)
            }
            El::Boolean => {
                let t = self.lex.text(el)?;
                scalar(parse_bool(&t).map(Value::Bool), self)
            }
            El::DateTime => {
                let t = self.lex.text(el)?;
                scalar(check_datetime(&t).map(Value::DateTime), self)
            }
            El::Base64 => {
                let t = self.lex.text(el)?;
                scalar(decode_base64(&t).map(Value::Base64), self)
            }
            El::Nil => {
                let t = self.lex.text(el)?;
                if is_blank(&t) {
                    Ok(Value::Nil)
                } else {
                    Err(self.lex.error_at(start, "a <nil> must be empty"))
                }
            }
            El::Array => self.nested(Self::array),
            El::Struct => self.nested(Self::structure).map(Value::Struct),
            other => Err(self
                .lex
                .error(format!("{} is not a value type", other.tag()))),
        }
    }

    /// A self-closed typed element such as `<string/>` or `<array/>`.
    fn empty_typed(&mut self, el: El) -> Result<Value> {
        match el {
            El::String => Ok(Value::String(String::new())),
            El::Nil => Ok(Value::Nil),
            El::Base64 => Ok(Value::Base64(Vec::new())),
            El::Array => Ok(Value::Array(Vec::new())),
            El::Struct => Ok(Value::Struct(Struct::new())),
            El::Int | El::Double | El::Boolean | El::DateTime => Err(self
                .lex
                .error(format!("an empty {} has no value", el.tag()))),
            other => Err(self
                .lex
                .error(format!("{} is not a value type", other.tag()))),
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self
                .lex
                .error(format!("arrays and structs nested deeper than {MAX_DEPTH}")));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn array(&mut self) -> Result<Value> {
        let mut items = Vec::new();
        match self.lex.next_tag()? {
            Tok::Close(El::Array) => return Ok(Value::Array(items)),
            Tok::Empty(El::Data) => {}
            Tok::Open(El::Data) => loop {
                match self.lex.next_tag()? {
                    Tok::Open(El::Value) => items.push(self.value()?),
                    Tok::Empty(El::Value) => items.push(Value::String(String::new())),
                    Tok::Close(El::Data) => break,
                    tok => return Err(self.lex.unexpected(&tok, "a <value> or the end of <data>")),
                }
            },
            tok => return Err(self.lex.unexpected(&tok, "<data>")),
        }
        self.lex.close(El::Array)?;
        Ok(Value::Array(items))
    }

    fn structure(&mut self) -> Result<Struct> {
        let mut members = Vec::with_capacity(self.struct_hint);
        loop {
            match self.lex.next_tag()? {
                Tok::Open(El::Member) => {}
                Tok::Close(El::Struct) => {
                    self.struct_hint = members.len().min(64);
                    return Ok(Struct(members));
                }
                tok => {
                    return Err(self
                        .lex
                        .unexpected(&tok, "a <member> or the end of <struct>"));
                }
            }
            let name = match self.lex.next_tag()? {
                Tok::Open(El::Name) => self.lex.text(El::Name)?.into_owned(),
                Tok::Empty(El::Name) => String::new(),
                tok => return Err(self.lex.unexpected(&tok, "<name>")),
            };
            let value = self.member_value()?;
            self.lex.close(El::Member)?;
            members.push((name, value));
        }
    }

    /// The `<value>` that must come next, whole.
    fn member_value(&mut self) -> Result<Value> {
        match self.lex.next_tag()? {
            Tok::Open(El::Value) => self.value(),
            Tok::Empty(El::Value) => Ok(Value::String(String::new())),
            tok => Err(self.lex.unexpected(&tok, "<value>")),
        }
    }

    /// Only whitespace, comments and processing instructions may follow the root.
    fn end(&mut self) -> Result<()> {
        match self.lex.next_tag()? {
            Tok::Eof => Ok(()),
            tok => Err(self.lex.unexpected(&tok, "nothing after the root element")),
        }
    }

    pub fn response(mut self) -> Result<Response> {
        self.lex.open(El::MethodResponse)?;
        let response = match self.lex.next_tag()? {
            Tok::Open(El::Params) => {
                self.lex.open(El::Param)?;
                let value = self.member_value()?;
                self.lex.close(El::Param)?;
                match self.lex.next_tag()? {
                    Tok::Close(El::Params) => Response::Value(value),
                    Tok::Open(El::Param) => {
                        return Err(self.lex.error("a response must hold exactly one <param>"));
                    }
                    tok => return Err(self.lex.unexpected(&tok, "the end of <params>")),
                }
            }
            Tok::Open(El::Fault) => {
                let start = self.lex.at;
                let value = self.member_value()?;
                self.lex.close(El::Fault)?;
                self.fault(value).map_err(|m| self.lex.error_at(start, m))?
            }
            tok => return Err(self.lex.unexpected(&tok, "<params> or <fault>")),
        };
        self.lex.close(El::MethodResponse)?;
        self.end()?;
        Ok(response)
    }

    fn fault(&self, value: Value) -> std::result::Result<Response, &'static str> {
        let Value::Struct(fault) = value else {
            return Err("a <fault> must hold a struct");
        };
        let code = match fault.get("faultCode") {
            Some(Value::Int(code)) => *code,
            Some(_) => return Err("faultCode is not an int (is the URL /xmlrpc/2/...?)"),
            None => return Err("a <fault> without faultCode"),
        };
        match fault.0.into_iter().find(|(k, _)| k == "faultString") {
            Some((_, Value::String(string))) => Ok(Response::Fault { code, string }),
            Some(_) => Err("faultString is not a string"),
            None => Err("a <fault> without faultString"),
        }
    }

    pub fn call(mut self) -> Result<MethodCall> {
        self.lex.open(El::MethodCall)?;
        self.lex.open(El::MethodName)?;
        let method = self.lex.text(El::MethodName)?.into_owned();
        let mut params = Vec::new();
        match self.lex.next_tag()? {
            Tok::Close(El::MethodCall) => {
                return self.end().map(|()| MethodCall { method, params });
            }
            Tok::Empty(El::Params) => {}
            Tok::Open(El::Params) => loop {
                match self.lex.next_tag()? {
                    Tok::Open(El::Param) => {
                        params.push(self.member_value()?);
                        self.lex.close(El::Param)?;
                    }
                    Tok::Close(El::Params) => break,
                    tok => {
                        return Err(self
                            .lex
                            .unexpected(&tok, "a <param> or the end of <params>"));
                    }
                }
            },
            tok => return Err(self.lex.unexpected(&tok, "<params>")),
        }
        self.lex.close(El::MethodCall)?;
        self.end()?;
        Ok(MethodCall { method, params })
    }
}
