//! Explanations: the one-line reason of every decision, for the `plan` output and the
//! chatter note, e.g. `level 3 (urgent): INV/2026/00012 is 47 days overdue (≥ 30), last
//! reminder level 2 on 2026-10-20, 15 days ago (≥ 14); overdue 1 250,00 EUR ≥ 5,00`.
//!
//! Amounts are written the French way (space thousands, comma decimals, `−` sign), as
//! the accountants who read them expect. Formatting only; no decision is taken here.

use rust_decimal::Decimal;

use super::fees::round_cents;

/// `1250.5` → `1 250,50`; `-120` → `−120,00`.
pub fn money(amount: Decimal) -> String {
    let rounded = round_cents(amount);
    let negative = rounded < Decimal::ZERO;
    let text = format!("{:.2}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    format!("{}{grouped},{frac}", if negative { "−" } else { "" })
}

/// Days as an offset: `30`, `−3`.
pub fn days(n: i64) -> String {
    if n < 0 {
        format!("−{}", n.unsigned_abs())
    } else {
        n.to_string()
    }
}

/// `INV/1 is 47 days overdue` / `INV/1 is due in 3 days` / `INV/1 is due today`.
pub fn item_age(name: &str, days_overdue: i64) -> String {
    match days_overdue {
        0 => format!("{name} is due today"),
        1 => format!("{name} is 1 day overdue"),
        d if d > 0 => format!("{name} is {d} days overdue"),
        -1 => format!("{name} is due in 1 day"),
        d => format!("{name} is due in {} days", d.unsigned_abs()),
    }
}

/// `last reminder level 2 on 2026-10-20, 15 days ago (≥ 14)`.
pub fn last_reminder(
    level: u32,
    date: chrono::NaiveDate,
    ago: i64,
    wait: i64,
    open: bool,
) -> String {
    let cmp = if open { "≥" } else { "<" };
    format!("last reminder level {level} on {date}, {ago} days ago ({cmp} {wait})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn money_is_written_the_french_way() {
        assert_eq!(money(dec!(1250)), "1 250,00");
        assert_eq!(money(dec!(-120)), "−120,00");
        assert_eq!(money(dec!(5)), "5,00");
        assert_eq!(money(dec!(1234567.891)), "1 234 567,89");
        assert_eq!(money(dec!(999.999)), "1 000,00");
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(item_age("A", 47), "A is 47 days overdue");
        assert_eq!(item_age("A", -3), "A is due in 3 days");
    }
}
