//! Tera filters for the templates: `money`, `ldate`, `percent` and the test `nonzero`, formatting in the
//! customer's locale (see `format.rs` for the conventions).
//!
//! Filters read the locale and the currency table from the rendering context
//! (`locale`, `currencies`, both put there by `context.rs`); they never see the clock
//! or the environment, and never parse amounts as binary floats.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

use super::format::{Locale, format_date, format_money, round_half_up};
use super::model::{CurrencyInfo, SymbolPosition};

/// Registers the filters on a tera environment.
pub fn register(tera: &mut Tera) {
    tera.register_filter("money", money);
    tera.register_filter("ldate", ldate);
    tera.register_filter("percent", percent);
    tera.register_filter("paragraph", paragraph);
    tera.register_test("nonzero", nonzero);
}

fn locale_of(state: &State) -> TeraResult<Locale> {
    let lang: Option<String> = state.get("locale")?;
    Ok(Locale::from_lang(lang.as_deref().unwrap_or("en")))
}

/// Decimals arrive as strings (rust_decimal's `serde-with-str`) or as numbers.
fn decimal_of(value: &Value) -> TeraResult<Decimal> {
    if let Some(s) = value.as_str() {
        return Decimal::from_str(s.trim())
            .map_err(|e| Error::message(format!("`{s}` is not an amount: {e}")));
    }
    if let Some(i) = value.as_i128() {
        return i64::try_from(i)
            .map(Decimal::from)
            .map_err(|_| Error::message(format!("amount {i} is out of range")));
    }
    if let Some(f) = value.as_f64() {
        // Literals written in a template; data from the model is never a float.
        return Decimal::from_str(&f.to_string())
            .map_err(|e| Error::message(format!("`{f}` is not an amount: {e}")));
    }
    Err(Error::message(format!(
        "expected an amount, got a {}",
        value.name()
    )))
}

fn currency_of(state: &State, code: &str) -> TeraResult<CurrencyInfo> {
    let table: Option<Value> = state.get("currencies")?;
    let entry = table.as_ref().and_then(|t| t.get_from_path(code));
    let Some(entry) = entry else {
        // Unknown currency: ISO code as symbol, 2 decimals, rather than failing a letter.
        return Ok(CurrencyInfo::new(code, code, 2, SymbolPosition::After));
    };
    let symbol = entry
        .get_from_path("symbol")
        .and_then(Value::as_str)
        .unwrap_or(code);
    let decimals = entry
        .get_from_path("decimal_places")
        .and_then(Value::as_u64)
        .unwrap_or(2);
    Ok(CurrencyInfo::new(
        code,
        symbol,
        u32::try_from(decimals).unwrap_or(2),
        SymbolPosition::After,
    ))
}

/// `{{ amount | money(currency="EUR") }}` → `1 234,56 €` (fr).
fn money(value: &Value, kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let code: String = kwargs.must_get("currency")?;
    let amount = decimal_of(value)?;
    let currency = currency_of(state, &code)?;
    Ok(format_money(amount, &currency, locale_of(state)?))
}

/// `{{ date | ldate }}` → `22/11/2026` (fr); `ldate(long=true)` → `22 novembre 2026`.
fn ldate(value: &str, kwargs: Kwargs, state: &State) -> TeraResult<String> {
    let long: bool = kwargs.get("long")?.unwrap_or(false);
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|e| Error::message(format!("`{value}` is not a date (YYYY-MM-DD): {e}")))?;
    Ok(format_date(date, locale_of(state)?, long))
}

/// `{{ rate | percent }}` → `12,15 %` (fr), `12.15%` (en): a rate in percent, 2 decimals.
fn percent(value: &Value, _: Kwargs, state: &State) -> TeraResult<String> {
    let rate = round_half_up(decimal_of(value)?, 2).normalize();
    let text = rate.to_string();
    Ok(match locale_of(state)? {
        Locale::Fr => format!("{}\u{A0}%", text.replace('.', ",")),
        Locale::Nl => format!("{}%", text.replace('.', ",")),
        Locale::En => format!("{text}%"),
    })
}

/// `{{ personal_paragraph | paragraph }}` in HTML and MJML: the text escaped (markup a
/// person typed shows as text), each line break as `<br />`, control characters gone.
fn paragraph(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = value
        .as_str()
        .ok_or_else(|| Error::message(format!("expected a text, got a {}", value.name())))?;
    Ok(Value::safe_string(&paragraph_html(text)))
}

/// The HTML of a plain-text paragraph: escaped, `\r\n`/`\n` as `<br />`.
pub fn paragraph_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.replace("\r\n", "\n").split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br />");
        }
        for c in line.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
    }
    out
}

/// `{% if amount is nonzero %}`: an amount (decimal string or number) other than zero.
fn nonzero(value: &Value, _: Kwargs, _: &State) -> TeraResult<bool> {
    Ok(!decimal_of(value)?.is_zero())
}
