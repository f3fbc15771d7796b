//! Explanations: the one-line reason of every decision, for the `plan` output and the
//! chatter note, e.g. `level 3 (urgent): INV/2026/00012 is 47 days overdue (≥ 30), last
//! reminder level 2 on 2026-10-20, 15 days ago (≥ 14); overdue 1 250,00 EUR ≥ 5,00`.
//!
//! The operator reads English words with amounts written the French way (space
//! thousands, comma decimals, `−` sign), as the accountants expect; what is written into
//! Odoo is in the company's language. The phrases are in `words.rs`. Formatting only;
//! no decision is taken here.

use rust_decimal::Decimal;

use super::words::{Words, fill};

/// `1250.5` → `1 250,50`; `-120` → `−120,00` (the operator's way, `Words::OPERATOR`).
pub fn money(amount: Decimal) -> String {
    Words::OPERATOR.money(amount)
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
pub fn item_age(w: &Words, name: &str, days_overdue: i64) -> String {
    let n = days_overdue.unsigned_abs().to_string();
    let pattern = match days_overdue {
        0 => w.due_today,
        1 => w.one_day_overdue,
        d if d > 0 => w.days_overdue,
        -1 => w.due_in_one_day,
        _ => w.due_in_days,
    };
    fill(pattern, &[("name", name), ("n", &n)])
}

/// `last reminder level 2 on 2026-10-20, 15 days ago (≥ 14)`.
pub fn last_reminder(
    w: &Words,
    level: u32,
    date: chrono::NaiveDate,
    ago: i64,
    wait: i64,
    open: bool,
) -> String {
    let cmp = if open { "≥" } else { "<" };
    fill(
        w.last_reminder,
        &[
            ("level", &level.to_string()),
            ("date", &w.date(date)),
            ("ago", &ago.to_string()),
            ("cmp", cmp),
            ("wait", &wait.to_string()),
        ],
    )
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
        let w = &Words::OPERATOR;
        assert_eq!(item_age(w, "A", 47), "A is 47 days overdue");
        assert_eq!(item_age(w, "A", -3), "A is due in 3 days");
        assert_eq!(item_age(&Words::FR, "A", 1), "A est en retard de 1 jour");
        assert_eq!(item_age(&Words::NL, "A", 0), "A vervalt vandaag");
    }

    #[test]
    fn last_reminders_read_in_each_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap();
        assert_eq!(
            last_reminder(&Words::OPERATOR, 2, d, 15, 14, true),
            "last reminder level 2 on 2026-10-20, 15 days ago (≥ 14)"
        );
        assert_eq!(
            last_reminder(&Words::FR, 2, d, 15, 14, true),
            "dernière relance au niveau 2 le 20/10/2026, il y a 15 jours (≥ 14)"
        );
        assert_eq!(
            last_reminder(&Words::NL, 2, d, 15, 14, true),
            "laatste aanmaning niveau 2 op 20-10-2026, 15 dagen geleden (≥ 14)"
        );
    }
}
