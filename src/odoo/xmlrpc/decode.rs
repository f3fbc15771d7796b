//! The XML-RPC decoder: `<methodResponse>` and `<methodCall>` into [`Value`]s.
//!
//! It walks quick-xml's pull events over the borrowed input, allocating only
//! for the values it returns (text is borrowed until it becomes a `String`).
//! It must never panic or recurse without bound on hostile input, and its
//! errors carry an offset and a redacted excerpt, never the document.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::error::decode_error;
use super::scalar::{
    check_datetime, decode_base64, is_xml_space, parse_bool, parse_double, parse_int,
};
use super::{DecodeError, MethodCall, Response};
use crate::odoo::value::{Struct, Value};

/// Arrays and structs nested deeper than this are refused (Odoo domains nest a few levels).
pub const MAX_DEPTH: usize = 128;

type Result<T> = std::result::Result<T, DecodeError>;

/// The element names of XML-RPC; anything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum El {
    MethodCall,
    MethodName,
    MethodResponse,
    Params,
    Param,
    Fault,
    Value,
    String,
    Int,
    Boolean,
    Double,
    DateTime,
    Base64,
    Array,
    Data,
    Struct,
    Member,
    Name,
    Nil,
    Other,
}

impl El {
    fn of(name: &str) -> El {
        match name {
            "value" => El::Value,
            "string" => El::String,
            "int" | "i4" | "i8" => El::Int,
            "member" => El::Member,
            "name" => El::Name,
            "double" => El::Double,
            "boolean" => El::Boolean,
            "array" => El::Array,
            "data" => El::Data,
            "struct" => El::Struct,
            "nil" | "ex:nil" => El::Nil,
            "dateTime.iso8601" => El::DateTime,
            "base64" => El::Base64,
            "param" => El::Param,
            "params" => El::Params,
            "fault" => El::Fault,
            "methodResponse" => El::MethodResponse,
            "methodCall" => El::MethodCall,
            "methodName" => El::MethodName,
            _ => El::Other,
        }
    }

    fn tag(self) -> &'static str {
        match self {
            El::MethodCall => "<methodCall>",
            El::MethodName => "<methodName>",
            El::MethodResponse => "<methodResponse>",
            El::Params => "<params>",
            El::Param => "<param>",
            El::Fault => "<fault>",
            El::Value => "<value>",
            El::String => "<string>",
            El::Int => "<int>",
            El::Boolean => "<boolean>",
            El::Double => "<double>",
            El::DateTime => "<dateTime.iso8601>",
            El::Base64 => "<base64>",
            El::Array => "<array>",
            El::Data => "<data>",
            El::Struct => "<struct>",
            El::Member => "<member>",
            El::Name => "<name>",
            El::Nil => "<nil>",
            El::Other => "an element unknown to XML-RPC",
        }
    }
}

/// One step of the document, with comments and processing instructions skipped.
enum Tok<'a> {
    Open(El),
    Close(El),
    Empty(El),
    Text(Cow<'a, str>),
    Char(char),
    Eof,
}

impl Tok<'_> {
    fn describe(&self) -> String {
        match self {
            Tok::Open(el) | Tok::Empty(el) => el.tag().to_owned(),
            Tok::Close(el) => format!("the end of {}", el.tag()),
            Tok::Text(_) | Tok::Char(_) => "text".to_owned(),
            Tok::Eof => "the end of the document (truncated?)".to_owned(),
        }
    }
}

/// A pull decoder over one document.
pub struct Decoder<'a> {
    input: &'a [u8],
    reader: Reader<&'a [u8]>,
    /// Offset of the event being handled, for error messages.
    at: usize,
    depth: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Decoder {
            input,
            reader: Reader::from_reader(input),
            at: 0,
            depth: 0,
        }
    }

    fn error_at(&self, offset: usize, message: impl Into<String>) -> DecodeError {
        decode_error(self.input, offset, message)
    }

    fn error(&self, message: impl Into<String>) -> DecodeError {
        self.error_at(self.at, message)
    }

    fn unexpected(&self, found: &Tok<'_>, wanted: &str) -> DecodeError {
        self.error(format!("expected {wanted}, found {}", found.describe()))
    }

    fn next(&mut self) -> Result<Tok<'a>> {
        loop {
            self.at = usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match self.reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = usize::try_from(self.reader.error_position()).unwrap_or(self.at);
                    return Err(
                        self.error_at(at, format!("not well-formed XML: {}", xml_reason(&e)))
                    );
                }
            };
            return Ok(match event {
                Event::Start(e) => Tok::Open(El::of(e.name().as_ref())),
                Event::End(e) => Tok::Close(El::of(e.name().as_ref())),
                Event::Empty(e) => Tok::Empty(El::of(e.name().as_ref())),
                Event::Text(t) => Tok::Text(self.checked(t.xml10_content())?),
                Event::CData(t) => Tok::Text(self.checked(t.xml10_content())?),
                Event::GeneralRef(r) => Tok::Char(self.resolve(&r)?),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => continue,
                Event::DocType(_) => return Err(self.error("a DOCTYPE is not accepted in XML-RPC")),
                Event::Eof => Tok::Eof,
            });
        }
    }

    /// Refuses characters XML 1.0 cannot carry (control characters other than
    /// tab, line feed and carriage return), as expat does.
    fn checked(&self, text: Cow<'a, str>) -> Result<Cow<'a, str>> {
        if text
            .bytes()
            .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
        {
            return Err(self.error("a control character that XML 1.0 forbids"));
        }
        Ok(text)
    }

    fn resolve(&self, r: &BytesRef<'_>) -> Result<char> {
        let c = match r.resolve_char_ref() {
            Ok(Some(c)) => c,
            Ok(None) => match r.as_ref() {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                _ => return Err(self.error("an entity other than &amp; &lt; &gt; &quot; &apos;")),
            },
            Err(_) => return Err(self.error("an invalid character reference")),
        };
        if is_xml_char(c) {
            Ok(c)
        } else {
            Err(self.error(format!(
                "a reference to U+{:04X}, which XML 1.0 forbids",
                c as u32
            )))
        }
    }

    /// The next element event, skipping whitespace.
    fn next_tag(&mut self) -> Result<Tok<'a>> {
        loop {
            match self.next()? {
                Tok::Text(t) if t.chars().all(is_xml_space) => continue,
                Tok::Text(_) | Tok::Char(_) => {
                    return Err(self.error("text where an element was expected"));
                }
                tok => return Ok(tok),
            }
        }
    }

    fn open(&mut self, el: El) -> Result<()> {
        match self.next_tag()? {
            Tok::Open(found) if found == el => Ok(()),
            tok => Err(self.unexpected(&tok, el.tag())),
        }
    }

    fn close(&mut self, el: El) -> Result<()> {
        match self.next_tag()? {
            Tok::Close(found) if found == el => Ok(()),
            tok => Err(self.unexpected(&tok, &format!("the end of {}", el.tag()))),
        }
    }

    /// The unescaped text up to the end of `el`, which holds no element.
    fn text(&mut self, el: El) -> Result<Cow<'a, str>> {
        let mut text = Cow::Borrowed("");
        loop {
            match self.next()? {
                Tok::Text(t) => append(&mut text, t),
                Tok::Char(c) => text.to_mut().push(c),
                Tok::Close(found) if found == el => return Ok(text),
                tok => {
                    return Err(self.unexpected(&tok, &format!("text and the end of {}", el.tag())));
                }
            }
        }
    }

    /// A `<value>` whose start has been read, up to and including its end.
    fn value(&mut self) -> Result<Value> {
        let start = self.at;
        let mut text = Cow::Borrowed("");
        loop {
            match self.next()? {
                Tok::Text(t) => append(&mut text, t),
                Tok::Char(c) => text.to_mut().push(c),
                Tok::Close(El::Value) => return Ok(Value::String(text.into_owned())),
                Tok::Open(el) => {
                    self.only_space(&text, start)?;
                    let value = self.typed(el)?;
                    self.close(El::Value)?;
                    return Ok(value);
                }
                Tok::Empty(el) => {
                    self.only_space(&text, start)?;
                    let value = self.empty_typed(el)?;
                    self.close(El::Value)?;
                    return Ok(value);
                }
                tok => return Err(self.unexpected(&tok, "the content of a <value>")),
            }
        }
    }

    fn only_space(&self, text: &str, start: usize) -> Result<()> {
        if text.chars().all(is_xml_space) {
            Ok(())
        } else {
            Err(self.error_at(start, "a <value> mixes text and an element"))
        }
    }

    /// The typed element `el` inside a `<value>`, its start having been read.
    fn typed(&mut self, el: El) -> Result<Value> {
        let start = self.at;
        let scalar = |r: std::result::Result<Value, &'static str>, d: &Self| {
            r.map_err(|m| d.error_at(start, m))
        };
        match el {
            El::String => Ok(Value::String(self.text(el)?.into_owned())),
            El::Int => {
                let t = self.text(el)?;
                scalar(parse_int(&t).map(Value::Int), self)
            }
            El::Double => {
                let t = self.text(el)?;
                scalar(parse_double(&t).map(Value::Double), self)
            }
            El::Boolean => {
                let t = self.text(el)?;
                scalar(parse_bool(&t).map(Value::Bool), self)
            }
            El::DateTime => {
                let t = self.text(el)?;
                scalar(check_datetime(&t).map(Value::DateTime), self)
            }
            El::Base64 => {
                let t = self.text(el)?;
                scalar(decode_base64(&t).map(Value::Base64), self)
            }
            El::Nil => {
                let t = self.text(el)?;
                if t.chars().all(is_xml_space) {
                    Ok(Value::Nil)
                } else {
                    Err(self.error_at(start, "a <nil> must be empty"))
                }
            }
            El::Array => self.nested(Self::array),
            El::Struct => self.nested(Self::structure).map(Value::Struct),
            other => Err(self.error(format!("{} is not a value type", other.tag()))),
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
            El::Int | El::Double | El::Boolean | El::DateTime => {
                Err(self.error(format!("an empty {} has no value", el.tag())))
            }
            other => Err(self.error(format!("{} is not a value type", other.tag()))),
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("arrays and structs nested deeper than {MAX_DEPTH}")));
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn array(&mut self) -> Result<Value> {
        let mut items = Vec::new();
        match self.next_tag()? {
            Tok::Close(El::Array) => return Ok(Value::Array(items)),
            Tok::Empty(El::Data) => {}
            Tok::Open(El::Data) => loop {
                match self.next_tag()? {
                    Tok::Open(El::Value) => items.push(self.value()?),
                    Tok::Empty(El::Value) => items.push(Value::String(String::new())),
                    Tok::Close(El::Data) => break,
                    tok => return Err(self.unexpected(&tok, "a <value> or the end of <data>")),
                }
            },
            tok => return Err(self.unexpected(&tok, "<data>")),
        }
        self.close(El::Array)?;
        Ok(Value::Array(items))
    }

    fn structure(&mut self) -> Result<Struct> {
        let mut members = Vec::new();
        loop {
            match self.next_tag()? {
                Tok::Open(El::Member) => {}
                Tok::Close(El::Struct) => return Ok(Struct(members)),
                tok => return Err(self.unexpected(&tok, "a <member> or the end of <struct>")),
            }
            let name = match self.next_tag()? {
                Tok::Open(El::Name) => self.text(El::Name)?.into_owned(),
                Tok::Empty(El::Name) => String::new(),
                tok => return Err(self.unexpected(&tok, "<name>")),
            };
            let value = self.member_value()?;
            self.close(El::Member)?;
            members.push((name, value));
        }
    }

    /// The `<value>` that must come next, whole.
    fn member_value(&mut self) -> Result<Value> {
        match self.next_tag()? {
            Tok::Open(El::Value) => self.value(),
            Tok::Empty(El::Value) => Ok(Value::String(String::new())),
            tok => Err(self.unexpected(&tok, "<value>")),
        }
    }

    /// Only whitespace, comments and processing instructions may follow the root.
    fn end(&mut self) -> Result<()> {
        match self.next_tag()? {
            Tok::Eof => Ok(()),
            tok => Err(self.unexpected(&tok, "nothing after the root element")),
        }
    }

    pub fn response(mut self) -> Result<Response> {
        self.open(El::MethodResponse)?;
        let response = match self.next_tag()? {
            Tok::Open(El::Params) => {
                self.open(El::Param)?;
                let value = self.member_value()?;
                self.close(El::Param)?;
                match self.next_tag()? {
                    Tok::Close(El::Params) => Response::Value(value),
                    Tok::Open(El::Param) => {
                        return Err(self.error("a response must hold exactly one <param>"));
                    }
                    tok => return Err(self.unexpected(&tok, "the end of <params>")),
                }
            }
            Tok::Open(El::Fault) => {
                let start = self.at;
                let value = self.member_value()?;
                self.close(El::Fault)?;
                self.fault(value).map_err(|m| self.error_at(start, m))?
            }
            tok => return Err(self.unexpected(&tok, "<params> or <fault>")),
        };
        self.close(El::MethodResponse)?;
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
        self.open(El::MethodCall)?;
        self.open(El::MethodName)?;
        let method = self.text(El::MethodName)?.into_owned();
        let mut params = Vec::new();
        match self.next_tag()? {
            Tok::Close(El::MethodCall) => {
                return self.end().map(|()| MethodCall { method, params });
            }
            Tok::Empty(El::Params) => {}
            Tok::Open(El::Params) => loop {
                match self.next_tag()? {
                    Tok::Open(El::Param) => {
                        params.push(self.member_value()?);
                        self.close(El::Param)?;
                    }
                    Tok::Close(El::Params) => break,
                    tok => return Err(self.unexpected(&tok, "a <param> or the end of <params>")),
                }
            },
            tok => return Err(self.unexpected(&tok, "<params>")),
        }
        self.close(El::MethodCall)?;
        self.end()?;
        Ok(MethodCall { method, params })
    }
}

fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

/// Whether XML 1.0 can carry `c` at all (even as a character reference).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// quick-xml's reason, without any of the document's text.
fn xml_reason(e: &quick_xml::Error) -> &'static str {
    use quick_xml::Error as E;
    match e {
        E::Syntax(_) => "syntax error (unclosed tag, comment or quote?)",
        E::IllFormed(_) => "ill-formed (mismatched or unmatched end tag?)",
        E::Encoding(_) => "the text is not valid UTF-8",
        E::Escape(_) => "a bad entity or character reference",
        _ => "unreadable XML",
    }
}
