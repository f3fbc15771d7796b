//! The words of the engine's explanations, one table per language (French, Dutch,
//! English), so that each phrase is written once per language and the code that puts
//! phrases together is written once. Patterns name their parameters (`{name}`, `{n}`);
//! `fill` replaces them.
//!
//! Two audiences: the operator (`relanced plan`, logs) reads [`Words::OPERATOR`]:
//! English words, amounts the French way, ISO dates, as documented in FOLLOWUP.md; what
//! relanced writes into Odoo (chatter notes, activities) is in the company's language,
//! `Lang::words`. Text only; no decision is taken here.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fees::round_cents;

/// A language relanced writes in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Nl,
    En,
}

impl Lang {
    /// `fr`, `fr_BE`, `fr-FR` → `Fr`; `nl*` → `Nl`; anything else → `En` (as the
    /// renderer chooses its locale).
    pub fn from_code(code: &str) -> Self {
        match code.get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("fr") => Lang::Fr,
            Some("nl") => Lang::Nl,
            _ => Lang::En,
        }
    }

    /// The phrase table of the language.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Fr => &Words::FR,
            Lang::Nl => &Words::NL,
            Lang::En => &Words::EN,
        }
    }
}

/// How numbers are written: thousands separator and decimal mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbers {
    pub group: char,
    pub decimal: char,
}

/// The phrases of one language. See `fill` for the `{…}` parameters.
#[derive(Debug, PartialEq, Eq)]
pub struct Words {
    pub lang: Lang,
    pub numbers: Numbers,
    /// chrono format of a date.
    pub date: &'static str,
    /// Between a heading and what follows (`level 1 (amical): …`).
    pub colon: &'static str,
    /// `{n}`, `{key}`.
    pub level: &'static str,
    /// `{name}`.
    pub due_today: &'static str,
    pub one_day_overdue: &'static str,
    /// `{name}`, `{n}`.
    pub days_overdue: &'static str,
    pub due_in_one_day: &'static str,
    pub due_in_days: &'static str,
    /// `{level}`, `{date}`, `{ago}`, `{cmp}`, `{wait}`.
    pub last_reminder: &'static str,
    pub first_reminder: &'static str,
    /// Before the overdue amount of a currency.
    pub overdue: &'static str,
    /// Before the amount of a pre-due reminder.
    pub upcoming: &'static str,
    pub fees_and_interest: &'static str,
    pub manual_approval: &'static str,
    pub letter_instead: &'static str,
    /// `{strategy}`, `{ignored}`.
    pub strategy_conflict: &'static str,
}

impl Words {
    pub const EN: Words = Words {
        lang: Lang::En,
        numbers: Numbers {
            group: ',',
            decimal: '.',
        },
        date: "%Y-%m-%d",
        colon: ": ",
        level: "level {n} ({key})",
        due_today: "{name} is due today",
        one_day_overdue: "{name} is 1 day overdue",
        days_overdue: "{name} is {n} days overdue",
        due_in_one_day: "{name} is due in 1 day",
        due_in_days: "{name} is due in {n} days",
        last_reminder: "last reminder level {level} on {date}, {ago} days ago ({cmp} {wait})",
        first_reminder: "first reminder",
        overdue: "overdue",
        upcoming: "upcoming",
        fees_and_interest: "fees and interest",
        manual_approval: "manual approval required",
        letter_instead: "no email address: letter instead",
        strategy_conflict: "several strategy tags, following \"{strategy}\" (ignored: {ignored})",
    };

    pub const FR: Words = Words {
        lang: Lang::Fr,
        numbers: Numbers {
            group: ' ',
            decimal: ',',
        },
        date: "%d/%m/%Y",
        colon: " : ",
        level: "niveau {n} ({key})",
        due_today: "{name} arrive à échéance aujourd'hui",
        one_day_overdue: "{name} est en retard de 1 jour",
        days_overdue: "{name} est en retard de {n} jours",
        due_in_one_day: "{name} arrive à échéance dans 1 jour",
        due_in_days: "{name} arrive à échéance dans {n} jours",
        last_reminder: "dernière relance au niveau {level} le {date}, il y a {ago} jours ({cmp} {wait})",
        first_reminder: "première relance",
        overdue: "échu",
        upcoming: "à échoir",
        fees_and_interest: "frais et intérêts",
        manual_approval: "approbation manuelle requise",
        letter_instead: "pas d'adresse e-mail : lettre à la place",
        strategy_conflict: "plusieurs étiquettes de stratégie, « {strategy} » est suivie (ignorées : {ignored})",
    };

    pub const NL: Words = Words {
        lang: Lang::Nl,
        numbers: Numbers {
            group: '.',
            decimal: ',',
        },
        date: "%d-%m-%Y",
        colon: ": ",
        level: "niveau {n} ({key})",
        due_today: "{name} vervalt vandaag",
        one_day_overdue: "{name} is 1 dag achterstallig",
        days_overdue: "{name} is {n} dagen achterstallig",
        due_in_one_day: "{name} vervalt over 1 dag",
        due_in_days: "{name} vervalt over {n} dagen",
        last_reminder: "laatste aanmaning niveau {level} op {date}, {ago} dagen geleden ({cmp} {wait})",
        first_reminder: "eerste aanmaning",
        overdue: "vervallen",
        upcoming: "te vervallen",
        fees_and_interest: "kosten en interesten",
        manual_approval: "manuele goedkeuring vereist",
        letter_instead: "geen e-mailadres: brief in de plaats",
        strategy_conflict: "meerdere strategielabels, \"{strategy}\" wordt gevolgd (genegeerd: {ignored})",
    };

    /// The operator's words (`relanced plan`, logs): English, amounts the French way as
    /// the accountants expect (FOLLOWUP.md), ISO dates.
    pub const OPERATOR: Words = Words {
        numbers: Words::FR.numbers,
        ..Words::EN
    };

    /// `1250.5` → `1 250,50` (fr, operator), `1.250,50` (nl), `1,250.50` (en);
    /// negative amounts start with `−`.
    pub fn money(&self, amount: Decimal) -> String {
        let rounded = round_cents(amount);
        let negative = rounded < Decimal::ZERO;
        let text = format!("{:.2}", rounded.abs());
        let (int, frac) = text.split_once('.').unwrap_or((text.as_str(), "00"));
        let mut grouped = String::with_capacity(int.len() + int.len() / 3);
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(self.numbers.group);
            }
            grouped.push(ch);
        }
        format!(
            "{}{grouped}{}{frac}",
            if negative { "−" } else { "" },
            self.numbers.decimal
        )
    }

    pub fn date(&self, date: chrono::NaiveDate) -> String {
        date.format(self.date).to_string()
    }
}

/// Replaces each `{name}` of `pattern` by its value, in one pass over the pattern: a
/// value (a customer's or salesperson's name) is never searched for parameters.
pub fn fill(pattern: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let value = after.find('}').and_then(|end| {
            let name = &after[..end];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, end))
        });
        match value {
            Some((v, end)) => {
                out.push_str(v);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_follow_the_language() {
        assert_eq!(Words::FR.money(dec!(1250.5)), "1 250,50");
        assert_eq!(Words::NL.money(dec!(1250.5)), "1.250,50");
        assert_eq!(Words::EN.money(dec!(-1250.5)), "−1,250.50");
        assert_eq!(Words::OPERATOR.money(dec!(1234567.891)), "1 234 567,89");
    }

    #[test]
    fn values_are_never_read_as_parameters() {
        assert_eq!(
            fill(
                "{summary} — {who} ({deadline})",
                &[
                    ("summary", "{who}"),
                    ("who", "{deadline}"),
                    ("deadline", "d")
                ]
            ),
            "{who} — {deadline} (d)"
        );
        assert_eq!(fill("a {unknown} {", &[("x", "y")]), "a {unknown} {");
    }

    #[test]
    fn languages_come_from_odoo_codes() {
        assert_eq!(Lang::from_code("nl_BE"), Lang::Nl);
        assert_eq!(Lang::from_code("FR-fr"), Lang::Fr);
        assert_eq!(Lang::from_code("en_US"), Lang::En);
        assert_eq!(Lang::from_code("de_DE"), Lang::En);
        assert_eq!(Lang::from_code(""), Lang::En);
    }

    #[test]
    fn every_parameter_of_every_pattern_is_filled() {
        for w in [&Words::FR, &Words::NL, &Words::EN, &Words::OPERATOR] {
            let args = [
                ("n", "3"),
                ("key", "k"),
                ("name", "INV/1"),
                ("level", "2"),
                ("date", "d"),
                ("ago", "15"),
                ("cmp", "≥"),
                ("wait", "14"),
                ("strategy", "s"),
                ("ignored", "t"),
            ];
            for pattern in [
                w.level,
                w.due_today,
                w.one_day_overdue,
                w.days_overdue,
                w.due_in_one_day,
                w.due_in_days,
                w.last_reminder,
                w.strategy_conflict,
            ] {
                let text = fill(pattern, &args);
                assert!(!text.contains('{'), "{:?}: {text}", w.lang);
            }
        }
    }
}
