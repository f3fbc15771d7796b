//! `relanced check`: open items in a currency for which a strategy sets no minimum
//! amount. The engine then compares that currency's overdue amount, converted at Odoo's
//! rate, with the company currency's minimum, or, when that is missing too, reminds any
//! amount however small: worth a warning naming the strategy, the currency, how many
//! open items and the line to add. Pure: the counts come from `check.rs`.

use std::collections::BTreeMap;

use crate::followup::Strategy;
use crate::followup::explain::money;

/// One warning per strategy and currency of open items it has no `min_amount` for.
/// `builtin`: the strategies are the built-in default (no `[[strategy]]` configured),
/// else strategy `i` is `strategy[i]` in the configuration.
pub fn missing_minimums(
    company: i64,
    company_currency: Option<&str>,
    items_per_currency: &BTreeMap<String, usize>,
    strategies: &[Strategy],
    builtin: bool,
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (i, s) in strategies.iter().enumerate() {
        for (currency, count) in items_per_currency {
            if s.min_amount.contains_key(currency) {
                continue;
            }
            let fallback = company_currency
                .filter(|c| c != currency)
                .and_then(|c| s.min_amount.get(c).map(|min| (c, min)));
            let today = match fallback {
                Some((c, min)) => format!(
                    "their overdue amount is compared with the {c} minimum ({} {c}) converted \
                     at Odoo's rate",
                    money(*min)
                ),
                None => format!("any overdue amount in {currency} is reminded, however small"),
            };
            // The whole map to write, the existing minimums kept, the amount to choose.
            let mut entries: Vec<String> = s
                .min_amount
                .iter()
                .map(|(c, m)| format!("{c} = {}", toml_number(*m)))
                .collect();
            entries.push(format!("{currency} = …"));
            entries.sort();
            let map = format!("min_amount = {{ {} }}", entries.join(", "));
            let fix = if builtin {
                format!(
                    "copy the [[strategy]] of config/default-strategy.toml into the \
                     configuration and set {map}"
                )
            } else {
                format!("set strategy[{i}].{map}")
            };
            warnings.push(format!(
                "company {company}: strategy \"{}\" sets no minimum amount for {currency}, the \
                 currency of {count} open item(s): {today}; {fix}",
                s.name
            ));
        }
    }
    warnings
}

/// `5` → `5.0`, `2.5` → `2.5`: an amount as the configuration writes it.
fn toml_number(amount: rust_decimal::Decimal) -> String {
    let n = amount.normalize();
    if n.scale() == 0 {
        format!("{n}.0")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn strategy(min: &[(&str, rust_decimal::Decimal)]) -> Strategy {
        let mut s = Strategy::new("export", vec![]);
        s.min_amount = min.iter().map(|(c, m)| ((*c).to_owned(), *m)).collect();
        s
    }

    fn counts(list: &[(&str, usize)]) -> BTreeMap<String, usize> {
        list.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect()
    }

    #[test]
    fn a_currency_without_minimum_is_named_with_its_items_and_the_fix() {
        let s = [strategy(&[]), strategy(&[("EUR", dec!(5.0))])];
        let w = missing_minimums(
            1,
            Some("EUR"),
            &counts(&[("EUR", 40), ("USD", 3)]),
            &s[1..],
            false,
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("strategy \"export\""), "{}", w[0]);
        assert!(w[0].contains("no minimum amount for USD"), "{}", w[0]);
        assert!(w[0].contains("the currency of 3 open item(s)"), "{}", w[0]);
        assert!(w[0].contains("EUR minimum (5,00 EUR)"), "{}", w[0]);
        assert!(
            w[0].ends_with("; set strategy[0].min_amount = { EUR = 5.0, USD = … }"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn without_any_minimum_the_warning_says_any_amount_is_reminded() {
        let s = [strategy(&[])];
        let w = missing_minimums(2, Some("EUR"), &counts(&[("EUR", 1)]), &s, true);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].ends_with("copy the [[strategy]] of config/default-strategy.toml into the configuration and set min_amount = { EUR = … }"),
            "{}",
            w[0]
        );
        assert!(
            w[0].contains("any overdue amount in EUR is reminded"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn currencies_with_a_minimum_give_no_warning() {
        let s = [strategy(&[("EUR", dec!(5)), ("USD", dec!(5))])];
        let w = missing_minimums(
            1,
            Some("EUR"),
            &counts(&[("EUR", 9), ("USD", 2)]),
            &s,
            false,
        );
        assert!(w.is_empty(), "{w:?}");
    }
}
