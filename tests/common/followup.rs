//! Builders shared by the follow-up tests: FOLLOWUP.md's strategy S, customers, invoices,
//! and replaying runs (plan, then record what was executed).

use chrono::NaiveDate;
use relanced::followup::{
    Company, Contact, Customer, Invoice, LedgerState, Level, Marker, OpenItem, Plan, Snapshot,
    Strategy, StrategySet, Tag, apply_executed, plan,
};
use rust_decimal::Decimal;

pub const EXCLUDED: &str = "Relance : exclu";

/// A date in 2026 from `"MM-DD"`.
pub fn d(md: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&format!("2026-{md}"), "%Y-%m-%d").expect("test date")
}

pub fn dec(s: &str) -> Decimal {
    s.parse().expect("test decimal")
}

pub fn marker_tag(n: u32) -> String {
    format!("Relance {n}")
}

fn level(n: u32, key: &str, offset: i64) -> Level {
    let mut l = Level::new(key, offset);
    l.marker = Some(Marker {
        tag: marker_tag(n),
        color: n as u8,
    });
    l
}

/// Strategy S: levels 1 (+3), 2 (+15), 3 (+30), min interval 7, min amount 5.
pub fn strategy_s() -> StrategySet {
    let mut s = Strategy::new(
        "S",
        vec![
            level(1, "amical", 3),
            level(2, "standard", 15),
            level(3, "urgent", 30),
        ],
    );
    s.is_default = true;
    s.min_interval_days = 7;
    s.min_amount.insert("EUR".into(), dec("5"));
    StrategySet {
        strategies: vec![s],
        ..StrategySet::default()
    }
}

pub fn customer(id: i64) -> Customer {
    Customer {
        id: id.into(),
        name: format!("Client {id}"),
        lang: Some("fr_FR".into()),
        email: Some(format!("client{id}@example.com")),
        is_company: true,
        ..Customer::default()
    }
}

pub fn tag(id: i64, name: &str) -> Tag {
    Tag {
        id,
        name: name.into(),
    }
}

/// A one-company snapshot in EUR.
pub fn snapshot(customers: Vec<Customer>) -> Snapshot {
    Snapshot {
        company: Company {
            id: 1,
            name: "Ma Société".into(),
            currency: "EUR".into(),
            country_code: Some("FR".into()),
        },
        customers,
        ..Snapshot::default()
    }
}

/// Adds an invoice of `amount` due on `due`, with residual `residual`, as item `id`
/// (its move is `100 + id`, named `INV/2026/0000{id}`).
pub fn add_invoice(
    s: &mut Snapshot,
    id: i64,
    customer: i64,
    due: NaiveDate,
    amount: &str,
    residual: &str,
) -> String {
    let name = format!("INV/2026/{id:05}");
    let _ = amount;
    s.invoices.push(Invoice {
        id: 100 + id,
        name: name.clone(),
        payment_state: if residual == amount {
            "not_paid".into()
        } else {
            "partial".into()
        },
        move_type: Some("out_invoice".into()),
        currency: "EUR".into(),
        ..Invoice::default()
    });
    s.items.push(OpenItem {
        id,
        move_id: 100 + id,
        move_name: name.clone(),
        customer_id: customer.into(),
        date: due,
        date_maturity: Some(due),
        residual_company: dec(residual),
        residual_currency: dec(residual),
        currency: "EUR".into(),
        company_currency: "EUR".into(),
        ..OpenItem::default()
    });
    name
}

/// Adds an open credit note of `amount` (positive number, stored negative).
pub fn add_credit_note(
    s: &mut Snapshot,
    id: i64,
    customer: i64,
    date: NaiveDate,
    amount: &str,
) -> String {
    let name = format!("RINV/2026/{id:05}");
    s.invoices.push(Invoice {
        id: 100 + id,
        name: name.clone(),
        payment_state: "not_paid".into(),
        move_type: Some("out_refund".into()),
        currency: "EUR".into(),
        ..Invoice::default()
    });
    s.items.push(OpenItem {
        id,
        move_id: 100 + id,
        move_name: name.clone(),
        customer_id: customer.into(),
        date,
        date_maturity: Some(date),
        residual_company: -dec(amount),
        residual_currency: -dec(amount),
        currency: "EUR".into(),
        company_currency: "EUR".into(),
        ..OpenItem::default()
    });
    name
}

pub fn invoice_contact(id: i64, email: Option<&str>) -> Contact {
    Contact {
        id,
        name: format!("Compta {id}"),
        email: email.map(str::to_owned),
        lang: None,
    }
}

/// Plans, then records every automatically approved communication as executed.
pub fn run_and_execute(
    s: &Snapshot,
    ledger: &mut LedgerState,
    set: &StrategySet,
    as_of: NaiveDate,
) -> Plan {
    let p = plan(s, ledger, set, as_of);
    for decision in &p.decisions {
        if decision
            .communication()
            .is_some_and(|c| c.approval == relanced::followup::Approval::Auto)
        {
            apply_executed(ledger, decision, as_of);
        }
    }
    p
}
