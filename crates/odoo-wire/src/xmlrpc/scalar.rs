//! The text of XML-RPC scalar elements, read the way CPython's `xmlrpc.client` reads it.
//!
//! Each function takes the (already unescaped) text of one element and returns
//! the value or a short message saying what is wrong, never the text itself
//! (it may be an amount or a secret). It must not know about XML structure.

use base64::Engine;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;

/// `<int>`, `<i4>`, `<i8>`: decimal, optional sign, surrounding whitespace allowed.
pub fn parse_int(text: &str) -> Result<i64, &'static str> {
    let t = text.trim_matches(is_xml_space);
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("an <int> must hold a decimal integer");
    }
    t.parse::<i64>()
        .map_err(|_| "integer outside the 64-bit range (Odoo sends such numbers as <double>)")
}

/// `<boolean>`: `0` or `1`, as CPython accepts it.
pub fn parse_bool(text: &str) -> Result<bool, &'static str> {
    match text.trim_matches(is_xml_space) {
        "0" => Ok(false),
        "1" => Ok(true),
        _ => Err("a <boolean> must be 0 or 1"),
    }
}

/// `<double>`: Python float syntax (`750.0`, `1e-05`, `-1.5E+16`); `inf` and `nan`
/// are refused, since no amount can be infinite.
pub fn parse_double(text: &str) -> Result<f64, &'static str> {
    let t = text.trim_matches(is_xml_space);
    let plain = t
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if !plain || !t.bytes().any(|b| b.is_ascii_digit()) {
        return Err("a <double> must hold a finite decimal number (inf and nan are refused)");
    }
    match t.parse::<f64>() {
        Ok(d) if d.is_finite() => Ok(d),
        Ok(_) => Err("a <double> is beyond the range of a 64-bit float"),
        Err(_) => Err("a <double> must hold a decimal number like 750.0 or 1e-05"),
    }
}

/// `<dateTime.iso8601>`, checked loosely and kept as text: `20261122T10:00:00`,
/// `2026-11-22T10:00:00`, `20261122T100000`, optional fraction, optional `Z` or offset.
pub fn check_datetime(text: &str) -> Result<String, &'static str> {
    const MSG: &str =
        "a <dateTime.iso8601> must look like 20261122T10:00:00 or 2026-11-22T10:00:00Z";
    let t = text.trim_matches(is_xml_space);
    let (date, time) = t.split_once('T').ok_or(MSG)?;
    let date_ok = match date.len() {
        8 => date.bytes().all(|b| b.is_ascii_digit()),
        10 => date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        }),
        _ => false,
    };
    let zone_at = time.find(['Z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let clock = clock.split_once('.').map_or(clock, |(hms, frac)| {
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            hms
        } else {
            "?"
        }
    });
    let clock_ok = match clock.len() {
        6 => clock.bytes().all(|b| b.is_ascii_digit()),
        8 => clock.bytes().enumerate().all(|(i, b)| {
            if i == 2 || i == 5 {
                b == b':'
            } else {
                b.is_ascii_digit()
            }
        }),
        _ => false,
    };
    let digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    let zone_ok = match zone.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', hh @ ..] if hh.len() == 2 || hh.len() == 4 => digits(hh),
        [b'+' | b'-', hh @ .., b':', _, _] if hh.len() == 2 => {
            digits(hh) && digits(&zone.as_bytes()[4..])
        }
        _ => false,
    };
    if date_ok && clock_ok && zone_ok {
        Ok(t.to_owned())
    } else {
        Err(MSG)
    }
}

/// `<base64>`: standard alphabet, whitespace and line breaks anywhere, padding optional.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, &'static str> {
    const MSG: &str = "a <base64> must hold standard base64 (A-Z a-z 0-9 + / =)";
    if text.bytes().any(|b| is_xml_space(b as char)) {
        let compact: Vec<u8> = text.bytes().filter(|&b| !is_xml_space(b as char)).collect();
        STANDARD_PAD_INDIFFERENT.decode(compact).map_err(|_| MSG)
    } else {
        STANDARD_PAD_INDIFFERENT.decode(text).map_err(|_| MSG)
    }
}

/// Whether `text` is only XML whitespace (or empty).
pub fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// XML's whitespace: space, tab, line feed, carriage return.
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_follow_python_int() {
        assert_eq!(parse_int(" 42\n"), Ok(42));
        assert_eq!(parse_int("-7"), Ok(-7));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("9223372036854775807"), Ok(i64::MAX));
        assert!(parse_int("9223372036854775808").is_err());
        assert!(parse_int("").is_err());
        assert!(parse_int("1.0").is_err());
        assert!(parse_int("--1").is_err());
    }

    #[test]
    fn doubles_accept_exponents_and_refuse_non_finite() {
        assert_eq!(parse_double("1e-05"), Ok(1e-05));
        assert_eq!(parse_double(" 750.0 "), Ok(750.0));
        assert_eq!(parse_double("-1.5E+16"), Ok(-1.5e16));
        assert!(parse_double("inf").is_err());
        assert!(parse_double("nan").is_err());
        assert!(parse_double("-infinity").is_err());
        assert!(parse_double("").is_err());
        assert!(parse_double("1e").is_err());
        assert!(parse_double("1e999").is_err());
    }

    #[test]
    fn datetimes_are_checked_loosely() {
        for ok in [
            "20261122T10:00:00",
            "2026-11-22T10:00:00",
            "2026-11-22T10:00:00Z",
            "20261122T100000",
            "2026-11-22T10:00:00.123+01:00",
            "2026-11-22T10:00:00-0500",
            "2026-11-22T10:00:00+01",
        ] {
            assert_eq!(check_datetime(ok).as_deref(), Ok(ok), "{ok}");
        }
        for bad in [
            "",
            "2026-11-22",
            "2026-11-22 10:00:00",
            "20261122T10:00",
            "x0261122T10:00:00",
            "2026-11-22T10:00:00+1",
        ] {
            assert!(check_datetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base64_tolerates_line_breaks() {
        assert_eq!(
            decode_base64("JVBE\nRi0x\r\nLjQg dGVzdA==\n"),
            Ok(b"%PDF-1.4 test".to_vec())
        );
        assert_eq!(decode_base64(""), Ok(vec![]));
        assert!(decode_base64("JVB!").is_err());
    }
}
