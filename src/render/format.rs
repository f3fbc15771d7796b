//! Locale-aware formatting of amounts and dates, and removal of control characters.
//!
//! Pure functions on `Decimal` and `NaiveDate`; the tera filters in `filters.rs` call
//! them. Never uses binary floats for money: rounding is half-up (away from zero, as
//! Odoo's `float_round`) to the currency's number of decimals.
//!
//! Conventions (CLDR, chosen per language of the customer):
//! - `fr`: `1 234,56 €` — thousands separator U+202F (narrow no-break space, as CLDR),
//!   U+00A0 (no-break space) before the symbol, `-1 234,56 €` when negative; dates
//!   `22/11/2026`, long form `22 novembre 2026`.
//! - `nl` (nl_BE and nl_NL): `€ 1.234,56` (U+00A0 after the symbol), `€ -1.234,56`; dates
//!   `22-11-2026`, long form `22 november 2026`.
//! - `en` and anything else: `€1,234.56`, `-€1,234.56` (a symbol made of letters such as
//!   `CHF` gets a no-break space: `CHF 1,234.56`); dates `22 November 2026` in both forms,
//!   unambiguous for British and American readers.
//!
//! The position of the symbol follows the customer's language, not Odoo's
//! `res.currency.position`, so that one letter never mixes conventions.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::model::CurrencyInfo;

/// The formatting conventions of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Fr,
    Nl,
    En,
}

impl Locale {
    /// `fr`, `fr_BE`, `fr-FR` → `Fr`; `nl*` → `Nl`; anything else → `En`.
    pub fn from_lang(lang: &str) -> Self {
        let prefix: String = lang
            .chars()
            .take(2)
            .collect::<String>()
            .to_ascii_lowercase();
        match prefix.as_str() {
            "fr" => Locale::Fr,
            "nl" => Locale::Nl,
            _ => Locale::En,
        }
    }
}

const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{A0}';

/// Rounds half-up (away from zero) to `decimals` places, as Odoo does.
pub fn round_half_up(amount: Decimal, decimals: u32) -> Decimal {
    amount.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats an amount of a currency in the customer's locale.
pub fn format_money(amount: Decimal, currency: &CurrencyInfo, locale: Locale) -> String {
    let decimals = currency.decimal_places.min(8);
    let mut rounded = round_half_up(amount, decimals).abs();
    rounded.rescale(decimals);
    let negative = round_half_up(amount, decimals).is_sign_negative() && !rounded.is_zero();
    let digits = rounded.to_string();
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits.as_str(), ""));
    let (group_sep, dec_sep) = match locale {
        Locale::Fr => (NNBSP, ','),
        Locale::Nl => ('.', ','),
        Locale::En => (',', '.'),
    };
    let mut number = group_digits(int_part, group_sep);
    if !frac_part.is_empty() {
        number.push(dec_sep);
        number.push_str(frac_part);
    }
    let sign = if negative { "-" } else { "" };
    let symbol = currency.symbol.as_str();
    match locale {
        Locale::Fr => format!("{sign}{number}{NBSP}{symbol}"),
        Locale::Nl => format!("{symbol}{NBSP}{sign}{number}"),
        Locale::En if symbol.chars().all(char::is_alphabetic) => {
            format!("{sign}{symbol}{NBSP}{number}")
        }
        Locale::En => format!("{sign}{symbol}{number}"),
    }
}

fn group_digits(int_part: &str, sep: char) -> String {
    let len = int_part.len();
    let mut out = String::with_capacity(len + len / 3 * 3);
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Formats a date in the customer's locale; `long` spells the month out.
pub fn format_date(date: NaiveDate, locale: Locale, long: bool) -> String {
    let month = date.month0() as usize;
    match (locale, long) {
        (Locale::Fr, false) => date.format("%d/%m/%Y").to_string(),
        (Locale::Nl, false) => date.format("%d-%m-%Y").to_string(),
        (Locale::Fr, true) => format!("{} {} {}", date.day(), MONTHS_FR[month], date.year()),
        (Locale::Nl, true) => format!("{} {} {}", date.day(), MONTHS_NL[month], date.year()),
        (Locale::En, _) => date.format("%-d %B %Y").to_string(),
    }
}

/// True for characters that must never reach a document: C0/C1 controls other than
/// newline and tab, and the bidirectional overrides that can disguise text.
fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True when `strip_control` would change the text.
pub fn has_forbidden(input: &str) -> bool {
    input.chars().any(is_forbidden)
}

/// Removes control characters (keeping newlines and tabs).
pub fn strip_control(input: &str) -> String {
    if !has_forbidden(input) {
        return input.to_owned();
    }
    input.chars().filter(|c| !is_forbidden(*c)).collect()
}

/// One line of text: control characters removed, runs of whitespace collapsed
/// (used for subjects, which end up in a mail header).
pub fn single_line(input: &str) -> String {
    strip_control(input)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::model::SymbolPosition;
    use rust_decimal_macros::dec;

    fn eur() -> CurrencyInfo {
        CurrencyInfo::new("EUR", "€", 2, SymbolPosition::After)
    }

    #[test]
    fn french_amounts_use_narrow_spaces_and_comma() {
        assert_eq!(
            format_money(dec!(1234.56), &eur(), Locale::Fr),
            "1\u{202F}234,56\u{A0}€"
        );
    }

    #[test]
    fn groups_of_three_digits() {
        assert_eq!(group_digits("1", ','), "1");
        assert_eq!(group_digits("123", ','), "123");
        assert_eq!(group_digits("1234", ','), "1,234");
        assert_eq!(group_digits("1234567", ','), "1,234,567");
    }

    #[test]
    fn a_rounded_negative_zero_has_no_sign() {
        assert_eq!(format_money(dec!(-0.001), &eur(), Locale::En), "€0.00");
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_removed() {
        assert_eq!(strip_control("a\u{0}b\u{7}c\nd\u{202E}e"), "abc\nde");
        assert_eq!(single_line(" Rappel\r\n  Bcc: x "), "Rappel Bcc: x");
    }
}
