//! `relanced check`: open items in a currency for which a strategy sets no minimum
//! amount. The engine then compares that currency's overdue amount, converted at Odoo's
//! rate, with the company currency's minimum, or, when that is missing too, reminds any
//! amount however small: worth a warning naming the strategy, the currency, how many
//! open items and the line to add. Pure: the counts come from `check.rs`.

use std::collections::BTreeMap;

use crate::followup::Strategy;
use crate::followup::explain::money;

/// One warning per strategy and currency of open items it has no `min_amount` for.
/// `strategy_keys[i]` is how the configuration names strategy `i` (`strategy[0]`).
pub fn missing_minimums(
    company: i64,
    company_currency: Option<&str>,
    items_per_currency: &BTreeMap<String, usize>,
    strategies: &[Strategy],
    strategy_keys: &[String],
) -> Vec<String> {
    let mut warnings = Vec::new();
    for (s, key) in strategies.iter().zip(strategy_keys) {
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
            warnings.push(format!(
                "company {company}: strategy \"{}\" sets no minimum amount for {currency}, the \
                 currency of {count} open item(s): {today}; add e.g. \
                 {key}.min_amount = {{ {currency} = 5.0 }}",
                s.name
            ));
        }
    }
    warnings
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
        let s = [strategy(&[("EUR", dec!(5))])];
        let keys = ["strategy[1]".to_owned()];
        let w = missing_minimums(
            1,
            Some("EUR"),
            &counts(&[("EUR", 40), ("USD", 3)]),
            &s,
            &keys,
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("strategy \"export\""), "{}", w[0]);
        assert!(w[0].contains("no minimum amount for USD"), "{}", w[0]);
        assert!(w[0].contains("the currency of 3 open item(s)"), "{}", w[0]);
        assert!(w[0].contains("EUR minimum (5,00 EUR)"), "{}", w[0]);
        assert!(
            w[0].contains("strategy[1].min_amount = { USD = 5.0 }"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn without_any_minimum_the_warning_says_any_amount_is_reminded() {
        let s = [strategy(&[])];
        let keys = ["strategy[0]".to_owned()];
        let w = missing_minimums(2, Some("EUR"), &counts(&[("EUR", 1)]), &s, &keys);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("any overdue amount in EUR is reminded"),
            "{}",
            w[0]
        );
    }

    #[test]
    fn currencies_with_a_minimum_give_no_warning() {
        let s = [strategy(&[("EUR", dec!(5)), ("USD", dec!(5))])];
        let keys = ["strategy[0]".to_owned()];
        let w = missing_minimums(
            1,
            Some("EUR"),
            &counts(&[("EUR", 9), ("USD", 2)]),
            &s,
            &keys,
        );
        assert!(w.is_empty(), "{w:?}");
    }
}
