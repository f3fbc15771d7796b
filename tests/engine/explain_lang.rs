//! The explanation of a communication in the company's language (issue 10): the engine
//! writes it once for the operator (English words, French amounts, ISO dates, as
//! `relanced plan` always did) and once for Odoo in `Settings::lang` (French, Dutch or
//! English, with that language's amounts and dates), from the same phrase tables.

use crate::common::followup::*;
use relanced::followup::{Decision, Lang, LedgerState, Plan, StrategySet, plan};

fn only(p: &Plan) -> &Decision {
    assert_eq!(p.decisions.len(), 1, "one customer expected: {p:#?}");
    &p.decisions[0]
}

fn odoo_text(d: &Decision) -> &str {
    &d.communication().expect("a communication").explanation_odoo
}

fn strategy_in(lang: Lang) -> StrategySet {
    let mut set = strategy_s();
    set.settings.lang = lang;
    set
}

/// Customer 1 with invoice A (item 1) of 1 250.00 due 01-01.
fn invoice_a() -> relanced::followup::Snapshot {
    let mut s = snapshot(vec![customer(1)]);
    add_invoice(&mut s, 1, 1, d("01-01"), "1250.00", "1250.00");
    s
}

#[test]
fn a_first_reminder_reads_in_each_language_and_the_operator_keeps_english() {
    let cases = [
        (
            Lang::Fr,
            "niveau 1 (amical) : INV/2026/00001 est en retard de 3 jours (≥ 3), première relance; échu 1 250,00 EUR ≥ 5,00",
        ),
        (
            Lang::Nl,
            "niveau 1 (amical): INV/2026/00001 is 3 dagen achterstallig (≥ 3), eerste aanmaning; vervallen 1.250,00 EUR ≥ 5,00",
        ),
        (
            Lang::En,
            "level 1 (amical): INV/2026/00001 is 3 days overdue (≥ 3), first reminder; overdue 1,250.00 EUR ≥ 5.00",
        ),
    ];
    for (lang, expected) in cases {
        let p = plan(
            &invoice_a(),
            &LedgerState::default(),
            &strategy_in(lang),
            d("01-04"),
        );
        let dec = only(&p);
        assert_eq!(odoo_text(dec), expected, "{lang:?}");
        assert_eq!(
            dec.explanation,
            "level 1 (amical): INV/2026/00001 is 3 days overdue (≥ 3), first reminder; overdue 1 250,00 EUR ≥ 5,00",
            "the operator's text does not depend on the company's language"
        );
    }
}

#[test]
fn the_last_reminder_date_is_written_the_languages_way() {
    let s = invoice_a();
    for (lang, expected) in [
        (
            Lang::Fr,
            "niveau 2 (standard) : INV/2026/00001 est en retard de 15 jours (≥ 15), dernière relance au niveau 1 le 04/01/2026, il y a 12 jours (≥ 12)",
        ),
        (
            Lang::Nl,
            "niveau 2 (standard): INV/2026/00001 is 15 dagen achterstallig (≥ 15), laatste aanmaning niveau 1 op 04-01-2026, 12 dagen geleden (≥ 12)",
        ),
    ] {
        let set = strategy_in(lang);
        let mut ledger = LedgerState::default();
        run_and_execute(&s, &mut ledger, &set, d("01-04"));
        let p = plan(&s, &ledger, &set, d("01-16"));
        let text = odoo_text(only(&p));
        assert!(text.starts_with(expected), "{lang:?}: {text}");
    }
}

#[test]
fn a_customer_without_email_is_explained_in_the_company_language() {
    let mut c = customer(1);
    c.email = None;
    let mut s = snapshot(vec![c]);
    add_invoice(&mut s, 1, 1, d("01-01"), "100.00", "100.00");
    let p = plan(
        &s,
        &LedgerState::default(),
        &strategy_in(Lang::Fr),
        d("01-04"),
    );
    let dec = only(&p);
    assert!(
        odoo_text(dec).ends_with("; pas d'adresse e-mail : lettre à la place"),
        "{}",
        odoo_text(dec)
    );
    assert!(
        dec.explanation
            .ends_with("; no email address: letter instead")
    );
}
