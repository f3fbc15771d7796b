//! Fees, late interest and the recovery indemnity of a level (opt-in, shown, never posted).
//!
//! Interest is simple, actual/365, on an item's residual from its due date to `as_of`.
//! Statutory interest takes, for each half-year the period crosses, the reference rate in
//! force on that half-year's first day (1 January / 1 July, EU directive 2011/7) plus the
//! level's margin. Amounts are rounded to cents, half away from zero.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::strategy::{Interest, ReferenceRate};

/// Rounds an amount to cents.
pub fn round_cents(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// First day of the half-year containing `date`.
fn half_year_start(date: NaiveDate) -> NaiveDate {
    let month = if date.month() <= 6 { 1 } else { 7 };
    NaiveDate::from_ymd_opt(date.year(), month, 1).unwrap_or(date)
}

/// First day of the next half-year.
fn next_half_year(date: NaiveDate) -> NaiveDate {
    let start = half_year_start(date);
    let (year, month) = if start.month() == 1 {
        (start.year(), 7)
    } else {
        (start.year() + 1, 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MAX)
}

/// Reference rate in force on `day`: the latest entry starting on or before it, else the
/// earliest entry (a table starting too late is read as covering the past), else zero.
pub fn reference_rate(rates: &[ReferenceRate], day: NaiveDate) -> Decimal {
    rates
        .iter()
        .filter(|r| r.from <= day)
        .max_by_key(|r| r.from)
        .or_else(|| rates.iter().min_by_key(|r| r.from))
        .map_or(Decimal::ZERO, |r| r.rate)
}

/// Late interest on `residual` from `due` to `as_of` (zero when not late).
pub fn interest(
    residual: Decimal,
    due: NaiveDate,
    as_of: NaiveDate,
    rule: &Interest,
    rates: &[ReferenceRate],
) -> Decimal {
    if as_of <= due || residual <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let year = Decimal::from(36_500);
    let raw = match rule {
        Interest::Fixed { rate } => {
            residual * rate * Decimal::from((as_of - due).num_days()) / year
        }
        Interest::Statutory { margin } => {
            let mut total = Decimal::ZERO;
            let mut start = due;
            while start < as_of {
                let end = next_half_year(start).min(as_of);
                let rate = reference_rate(rates, half_year_start(start)) + margin;
                total += residual * rate * Decimal::from((end - start).num_days()) / year;
                start = end;
            }
            total
        }
    };
    round_cents(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn fixed_rate_is_simple_actual_365() {
        // 1000 × 12 % × 73 / 365 = 24.00
        let i = interest(
            dec!(1000),
            d(2026, 1, 1),
            d(2026, 3, 15),
            &Interest::Fixed { rate: dec!(12) },
            &[],
        );
        assert_eq!(i, dec!(24.00));
    }

    #[test]
    fn statutory_rate_changes_with_the_half_year() {
        let rates = [
            ReferenceRate {
                from: d(2026, 1, 1),
                rate: dec!(2.15),
            },
            ReferenceRate {
                from: d(2026, 7, 1),
                rate: dec!(1.90),
            },
        ];
        let rule = Interest::Statutory { margin: dec!(10) };
        // 2026-06-01 → 2026-07-01: 30 days at 12.15 %; → 2026-07-31: 30 days at 11.90 %.
        let i = interest(dec!(3650), d(2026, 6, 1), d(2026, 7, 31), &rule, &rates);
        assert_eq!(i, dec!(36.45) + dec!(35.70));
    }

    #[test]
    fn no_interest_before_the_due_date() {
        let i = interest(
            dec!(100),
            d(2026, 1, 10),
            d(2026, 1, 7),
            &Interest::Fixed { rate: dec!(12) },
            &[],
        );
        assert_eq!(i, Decimal::ZERO);
    }
}
