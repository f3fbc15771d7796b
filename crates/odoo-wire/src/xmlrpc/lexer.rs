//! The token layer of the decoder: quick-xml events as XML-RPC elements and text.
//!
//! It turns the borrowed events into [`Tok`]s (known element names, unescaped
//! text, resolved references), skipping comments and processing instructions,
//! and builds positioned, redacted errors. It must not know the XML-RPC grammar
//! beyond element names, and must never copy text it can borrow.

use std::borrow::Cow;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::DecodeError;
use super::error::decode_error;
use super::scalar::is_blank;

pub type Result<T> = std::result::Result<T, DecodeError>;

/// The element names of XML-RPC; anything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum El {
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
    pub fn of(name: &str) -> El {
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

    pub fn tag(self) -> &'static str {
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
pub enum Tok<'a> {
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

/// A pull reader of [`Tok`]s over one document.
pub struct Lexer<'a> {
    input: &'a [u8],
    reader: Reader<&'a [u8]>,
    /// Offset of the event being handled, for error messages.
    pub at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(input: &'a [u8]) -> Self {
        Lexer {
            input,
            reader: Reader::from_reader(input),
            at: 0,
        }
    }

    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> DecodeError {
        decode_error(self.input, offset, message)
    }

    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        self.error_at(self.at, message)
    }

    pub fn unexpected(&self, found: &Tok<'_>, wanted: &str) -> DecodeError {
        self.error(format!("expected {wanted}, found {}", found.describe()))
    }

    pub fn next(&mut self) -> Result<Tok<'a>> {
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
    pub fn next_tag(&mut self) -> Result<Tok<'a>> {
        loop {
            match self.next()? {
                Tok::Text(t) if is_blank(&t) => continue,
                Tok::Text(_) | Tok::Char(_) => {
                    return Err(self.error("text where an element was expected"));
                }
                tok => return Ok(tok),
            }
        }
    }

    pub fn open(&mut self, el: El) -> Result<()> {
        match self.next_tag()? {
            Tok::Open(found) if found == el => Ok(()),
            tok => Err(self.unexpected(&tok, el.tag())),
        }
    }

    pub fn close(&mut self, el: El) -> Result<()> {
        match self.next_tag()? {
            Tok::Close(found) if found == el => Ok(()),
            tok => Err(self.unexpected(&tok, &format!("the end of {}", el.tag()))),
        }
    }

    /// The unescaped text up to the end of `el`, which holds no element.
    pub fn text(&mut self, el: El) -> Result<Cow<'a, str>> {
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
}

pub fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
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
