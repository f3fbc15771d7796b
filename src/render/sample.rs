//! A rich sample communication per language and level, for `check_templates`, previews,
//! golden tests and the demo. Fixed data and dates: never reads the clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::model::*;

/// Level keys of the built-in templates, in escalation order.
pub const LEVEL_KEYS: [&str; 6] = [
    "predue",
    "amical",
    "standard",
    "urgent",
    "suspension",
    "demeure",
];
/// Languages of the built-in templates.
pub const LANGS: [&str; 3] = ["fr", "nl", "en"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    // Proven invariant: only called with valid literal dates below.
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn item(
    number: &str,
    date: NaiveDate,
    due: NaiveDate,
    as_of: NaiveDate,
    residual: Decimal,
    currency: &str,
    level: u32,
) -> ItemLine {
    ItemLine {
        number: number.to_owned(),
        date,
        due_date: due,
        days_overdue: (as_of - due).num_days(),
        residual,
        currency: currency.to_owned(),
        level_reached: level,
        payment_reference: Some(number.replace('/', "")),
    }
}

/// A sample communication at `level` (a level key) in `lang`.
pub fn sample_communication(lang: &str, level: &str) -> CommunicationView {
    let index = LEVEL_KEYS
        .iter()
        .position(|k| *k == level)
        .map_or(3, |p| p + 1);
    let as_of = day(2026, 11, 22);
    let predue = level == "predue";
    let mut items = vec![
        item(
            "INV/2026/00412",
            day(2026, 9, 1),
            day(2026, 10, 1),
            as_of,
            dec!(1250.00),
            "EUR",
            index as u32,
        ),
        item(
            "INV/2026/00467",
            day(2026, 9, 20),
            day(2026, 10, 20),
            as_of,
            dec!(384.15),
            "EUR",
            index.min(2) as u32,
        ),
        item(
            "INV/2026/00501",
            day(2026, 10, 2),
            day(2026, 11, 1),
            as_of,
            dec!(2345.60),
            "USD",
            1,
        ),
    ];
    let upcoming = vec![item(
        "INV/2026/00588",
        day(2026, 11, 10),
        day(2026, 12, 10),
        as_of,
        dec!(99.90),
        "EUR",
        0,
    )];
    if predue {
        items = upcoming.clone();
    }
    let credits = vec![item(
        "RINV/2026/00031",
        day(2026, 10, 15),
        day(2026, 10, 15),
        as_of,
        dec!(-120.00),
        "EUR",
        0,
    )];
    let with_charges = matches!(level, "urgent" | "suspension" | "demeure");
    let charges = if with_charges {
        vec![
            Charge {
                kind: ChargeKind::Fee,
                item: None,
                currency: "EUR".into(),
                amount: dec!(15.00),
                rate: None,
                days: None,
            },
            Charge {
                kind: ChargeKind::Interest,
                item: Some("INV/2026/00412".into()),
                currency: "EUR".into(),
                amount: dec!(21.47),
                rate: Some(dec!(12.15)),
                days: Some(52),
            },
            Charge {
                kind: ChargeKind::Indemnity,
                item: Some("INV/2026/00412".into()),
                currency: "EUR".into(),
                amount: dec!(40.00),
                rate: None,
                days: None,
            },
            Charge {
                kind: ChargeKind::Indemnity,
                item: Some("INV/2026/00467".into()),
                currency: "EUR".into(),
                amount: dec!(40.00),
                rate: None,
                days: None,
            },
        ]
    } else {
        Vec::new()
    };
    let totals = totals_of(&items, &charges);
    let mut currencies = BTreeMap::new();
    currencies.insert(
        "EUR".to_owned(),
        CurrencyInfo::new("EUR", "€", 2, SymbolPosition::After),
    );
    currencies.insert(
        "USD".to_owned(),
        CurrencyInfo::new("USD", "$", 2, SymbolPosition::Before),
    );
    currencies.insert(
        "JPY".to_owned(),
        CurrencyInfo::new("JPY", "¥", 0, SymbolPosition::Before),
    );
    let label = match level {
        "predue" => "Pre-due notice",
        "amical" => "Friendly reminder",
        "standard" => "Reminder",
        "urgent" => "Urgent reminder",
        "suspension" => "Suspension notice",
        "demeure" => "Formal notice",
        other => other,
    };
    CommunicationView {
        reference: format!("REL-2026-11-22-{:04}", 4207 + index),
        lang: lang.to_owned(),
        as_of,
        company: CompanyInfo {
            name: "Atelier Durand SAS".into(),
            street: Some("12 rue des Tanneurs".into()),
            zip: Some("69002".into()),
            city: Some("Lyon".into()),
            country: Some("France".into()),
            vat: Some("FR40123456789".into()),
            phone: Some("+33 4 72 00 00 00".into()),
            email: Some("compta@atelier-durand.example".into()),
            website: Some("https://atelier-durand.example".into()),
            logo_path: None,
            bank_accounts: vec![BankAccount {
                bank: Some("Banque Populaire".into()),
                iban: "FR76 3000 6000 0112 3456 7890 189".into(),
                bic: Some("AGRIFRPP".into()),
            }],
        },
        customer: CustomerInfo {
            id: 4711,
            name: "Brasserie Van den Berghe SRL".into(),
            reference: Some("C-0042".into()),
            lang: lang.to_owned(),
            is_company: true,
            address_lines: vec![
                "Service comptabilité".into(),
                "Rue de la Loi 42".into(),
                "1040 Bruxelles".into(),
                "Belgique".into(),
            ],
            vat: Some("BE0123456749".into()),
        },
        recipients: vec![RecipientView {
            name: "Comptabilité fournisseurs".into(),
            email: "ap@brasserie-vdb.example".into(),
        }],
        level: LevelInfo {
            key: level.to_owned(),
            index: index as u32,
            label: label.to_owned(),
            count: 6,
        },
        items,
        upcoming: if predue { Vec::new() } else { upcoming },
        credits,
        totals,
        charges,
        suspension_date: Some(day(2026, 12, 7)),
        responsible: ResponsibleView {
            name: "Claire Martin".into(),
            email: Some("claire.martin@atelier-durand.example".into()),
            phone: Some("+33 4 72 00 00 12".into()),
        },
        payment_reference: Some("C-0042 / REL-4211".into()),
        currencies,
        personal_paragraph: None,
    }
}

/// Totals per currency (in order of first appearance) of items and charges.
pub fn totals_of(items: &[ItemLine], charges: &[Charge]) -> Vec<CurrencyTotalView> {
    let mut totals: Vec<CurrencyTotalView> = Vec::new();
    let slot = |cur: &str, totals: &mut Vec<CurrencyTotalView>| -> usize {
        if let Some(i) = totals.iter().position(|t| t.currency == cur) {
            return i;
        }
        totals.push(CurrencyTotalView {
            currency: cur.to_owned(),
            overdue: Decimal::ZERO,
            fees: Decimal::ZERO,
            interest: Decimal::ZERO,
            indemnity: Decimal::ZERO,
            total: Decimal::ZERO,
        });
        totals.len() - 1
    };
    for i in items {
        let s = slot(&i.currency, &mut totals);
        totals[s].overdue += i.residual;
        totals[s].total += i.residual;
    }
    for c in charges {
        let s = slot(&c.currency, &mut totals);
        match c.kind {
            ChargeKind::Fee => totals[s].fees += c.amount,
            ChargeKind::Interest => totals[s].interest += c.amount,
            ChargeKind::Indemnity => totals[s].indemnity += c.amount,
        }
        totals[s].total += c.amount;
    }
    totals
}
