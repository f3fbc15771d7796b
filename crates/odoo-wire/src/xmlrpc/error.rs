//! Redacted excerpts for codec errors.
//!
//! A decode error must say where the document went wrong without repeating it:
//! the excerpt is a few dozen characters around the offset, with every digit
//! and every word that is not XML-RPC vocabulary masked, so no amount, key,
//! password or name reaches a log. It must never return more than
//! [`EXCERPT_RADIUS`] bytes on each side of the offset.

use super::DecodeError;

/// Bytes of context kept on each side of the error offset.
pub const EXCERPT_RADIUS: usize = 24;

/// Words that may appear unmasked: the element names of XML-RPC and the XML
/// declaration, which say where the error is without saying anything about the data.
const VOCABULARY: &[&str] = &[
    "xml",
    "version",
    "encoding",
    "methodCall",
    "methodName",
    "methodResponse",
    "params",
    "param",
    "fault",
    "value",
    "string",
    "int",
    "i4",
    "i8",
    "boolean",
    "double",
    "dateTime.iso8601",
    "dateTime",
    "iso8601",
    "base64",
    "array",
    "data",
    "struct",
    "member",
    "name",
    "nil",
    "faultCode",
    "faultString",
    "amp",
    "lt",
    "gt",
    "quot",
    "apos",
];

/// Builds a [`DecodeError`] at `offset` of `input`.
pub fn decode_error(input: &[u8], offset: usize, message: impl Into<String>) -> DecodeError {
    let offset = offset.min(input.len());
    DecodeError {
        offset,
        message: message.into(),
        excerpt: redacted_excerpt(input, offset),
    }
}

/// The text around `offset` with digits and non-vocabulary words masked.
pub fn redacted_excerpt(input: &[u8], offset: usize) -> String {
    let start = offset.saturating_sub(EXCERPT_RADIUS);
    let end = offset.saturating_add(EXCERPT_RADIUS).min(input.len());
    let window = String::from_utf8_lossy(&input[start.min(end)..end]);
    let mut out = String::with_capacity(window.len());
    let mut word = String::new();
    for c in window.chars() {
        if c.is_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
            continue;
        }
        flush_word(&mut word, &mut out);
        out.push(match c {
            '<' | '>' | '/' | '=' | '"' | '\'' | '?' | '&' | ';' | '#' | ' ' => c,
            '\n' | '\r' | '\t' => ' ',
            _ if c.is_control() => '?',
            _ => '*',
        });
    }
    flush_word(&mut word, &mut out);
    out
}

/// Appends `word` to `out` as it is when it is XML-RPC vocabulary, masked otherwise.
fn flush_word(word: &mut String, out: &mut String) {
    if word.is_empty() {
        return;
    }
    if VOCABULARY.contains(&word.as_str()) {
        out.push_str(word);
    } else {
        for c in word.chars() {
            out.push(if c.is_ascii_digit() { '#' } else { '*' });
        }
    }
    word.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_masks_amounts_and_names_but_keeps_tags() {
        let doc = b"<value><double>41750.0</double></value><string>Deco Addict</string>";
        let excerpt = redacted_excerpt(doc, 20);
        assert!(excerpt.contains("<double>"), "{excerpt}");
        assert!(!excerpt.contains("41750"), "{excerpt}");
        assert!(excerpt.contains("#####*#"), "{excerpt}");
        let excerpt = redacted_excerpt(doc, 60);
        assert!(!excerpt.contains("Deco"), "{excerpt}");
        assert!(!excerpt.contains("Addict"), "{excerpt}");
    }

    #[test]
    fn excerpt_is_bounded_whatever_the_input() {
        let doc = vec![b'a'; 10_000];
        assert!(redacted_excerpt(&doc, 5_000).len() <= 2 * EXCERPT_RADIUS);
        assert!(redacted_excerpt(&doc, 50_000).is_empty());
        assert_eq!(redacted_excerpt(b"", 0), "");
    }
}
