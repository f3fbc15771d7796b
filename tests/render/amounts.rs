//! Amounts and dates as the customer reads them: per-locale separators and symbol
//! position, rounding half-up to the currency's decimals (all Decimal, no floats).

use chrono::NaiveDate;
use relanced::render::format::{Locale, format_date, format_money, round_half_up};
use relanced::render::{CurrencyInfo, SymbolPosition};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn eur() -> CurrencyInfo {
    CurrencyInfo::new("EUR", "€", 2, SymbolPosition::After)
}
fn jpy() -> CurrencyInfo {
    CurrencyInfo::new("JPY", "¥", 0, SymbolPosition::Before)
}

#[test]
fn euros_are_written_the_french_dutch_and_english_way() {
    assert_eq!(
        format_money(dec!(1234.56), &eur(), Locale::Fr),
        "1\u{202F}234,56\u{A0}€"
    );
    assert_eq!(
        format_money(dec!(1234.56), &eur(), Locale::Nl),
        "€\u{A0}1.234,56"
    );
    assert_eq!(format_money(dec!(1234.56), &eur(), Locale::En), "€1,234.56");
}

#[test]
fn the_locale_comes_from_the_language_code() {
    assert_eq!(Locale::from_lang("fr_BE"), Locale::Fr);
    assert_eq!(Locale::from_lang("nl_BE"), Locale::Nl);
    assert_eq!(Locale::from_lang("en_US"), Locale::En);
    assert_eq!(Locale::from_lang("de_DE"), Locale::En);
}

#[test]
fn rounding_is_half_up_to_the_currency_decimals() {
    assert_eq!(format_money(dec!(2.345), &eur(), Locale::Fr), "2,35\u{A0}€");
    assert_eq!(format_money(dec!(2.344999), &eur(), Locale::En), "€2.34");
    assert_eq!(format_money(dec!(-2.345), &eur(), Locale::En), "-€2.35");
    assert_eq!(format_money(dec!(1234.5), &jpy(), Locale::En), "¥1,235");
    assert_eq!(
        format_money(dec!(1233.4), &jpy(), Locale::Fr),
        "1\u{202F}233\u{A0}¥"
    );
    assert_eq!(round_half_up(dec!(0.125), 2), dec!(0.13));
    assert_eq!(format_money(dec!(7), &eur(), Locale::Nl), "€\u{A0}7,00");
}

#[test]
fn negative_amounts_keep_their_sign_in_every_locale() {
    assert_eq!(
        format_money(dec!(-1234.5), &eur(), Locale::Fr),
        "-1\u{202F}234,50\u{A0}€"
    );
    assert_eq!(
        format_money(dec!(-1234.5), &eur(), Locale::Nl),
        "€\u{A0}-1.234,50"
    );
    assert_eq!(
        format_money(dec!(-0.004), &eur(), Locale::Fr),
        "0,00\u{A0}€"
    );
}

#[test]
fn huge_amounts_keep_every_digit() {
    let huge = Decimal::from_str_exact("12345678901234567890.125").expect("decimal");
    assert_eq!(
        format_money(huge, &eur(), Locale::En),
        "€12,345,678,901,234,567,890.13"
    );
    assert_eq!(
        format_money(huge, &eur(), Locale::Nl),
        "€\u{A0}12.345.678.901.234.567.890,13"
    );
}

#[test]
fn a_currency_symbol_made_of_letters_is_separated_in_english() {
    let chf = CurrencyInfo::new("CHF", "CHF", 2, SymbolPosition::Before);
    assert_eq!(
        format_money(dec!(1500), &chf, Locale::En),
        "CHF\u{A0}1,500.00"
    );
}

#[test]
fn dates_are_written_per_locale() {
    let d = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    assert_eq!(format_date(d, Locale::Fr, false), "22/11/2026");
    assert_eq!(format_date(d, Locale::Nl, false), "22-11-2026");
    assert_eq!(format_date(d, Locale::En, false), "22 November 2026");
    assert_eq!(format_date(d, Locale::Fr, true), "22 novembre 2026");
    assert_eq!(format_date(d, Locale::Nl, true), "22 november 2026");
}

#[test]
fn templates_format_amounts_with_the_currency_table_of_the_communication() {
    let templates = relanced::render::Templates::builtin().expect("loads");
    let mut comm = relanced::render::sample_communication("en", "amical");
    comm.items.truncate(1);
    comm.items[0].currency = "JPY".into();
    comm.items[0].residual = dec!(1234567.5);
    comm.totals = relanced::render::totals_of(&comm.items, &comm.charges);
    let email = templates.render_email(&comm).expect("renders");
    assert!(email.text.contains("¥1,234,568"), "{}", email.text);
}
