//! Hand-built books for the "Act" tests: the generator's reference data, users and
//! companies without customers, then customers and invoices of company 1 in EUR added
//! one by one, and payments applied while the double runs.
#![allow(dead_code)]

use super::{COMPANY, SALESPERSON};
use chrono::NaiveDate;
use relanced::odoo::Value;
use odoo_double::generator::EUR;
use odoo_double::world::{ids, row, text};
use odoo_double::{GeneratorOptions, World};

/// A world with the generator's reference data, users and companies, and no customer.
pub fn empty_book(as_of: NaiveDate) -> World {
    World::generated(&GeneratorOptions {
        customers: 0,
        as_of,
        us_company: false,
        ..Default::default()
    })
}

/// A customer of company 1.
pub struct Customer<'a> {
    pub name: &'a str,
    pub lang: &'a str,
    pub email: Option<&'a str>,
    pub salesperson: Option<i64>,
    pub is_company: bool,
}

impl Default for Customer<'_> {
    fn default() -> Self {
        Customer {
            name: "Boulangerie Dupont SARL",
            lang: "fr_FR",
            email: Some("contact@dupont.example.fr"),
            salesperson: Some(SALESPERSON),
            is_company: true,
        }
    }
}

pub fn add_customer(w: &mut World, c: &Customer<'_>) -> i64 {
    w.insert(
        "res.partner",
        row([
            ("name", Value::from(c.name)),
            ("is_company", c.is_company.into()),
            ("type", Value::from("contact")),
            ("email", text(c.email.unwrap_or(""))),
            ("lang", Value::from(c.lang)),
            ("vat", Value::Bool(false)),
            ("street", Value::from("1 rue de la Paix")),
            ("zip", Value::from("75002")),
            ("city", Value::from("Paris")),
            ("country_id", Value::Int(75)),
            ("category_id", ids(&[])),
            (
                "user_id",
                c.salesperson.map_or(Value::Bool(false), Value::Int),
            ),
            ("customer_rank", Value::Int(1)),
            ("company_id", false.into()),
            ("active", true.into()),
            ("write_date", Value::from(w.now.clone())),
        ]),
    )
}

/// An invoice (or, with a negative amount, a credit note) of company 1 in EUR, one
/// instalment; returns `(move id, receivable line id)`.
pub struct Invoice<'a> {
    pub name: &'a str,
    pub due: NaiveDate,
    pub amount: f64,
    pub residual: f64,
    pub payment_state: &'a str,
}

pub fn add_invoice(w: &mut World, partner: i64, inv: &Invoice<'_>) -> (i64, i64) {
    let refund = inv.amount < 0.0;
    let total = inv.amount.abs();
    let date = inv.due - chrono::Duration::days(30);
    let move_id = w.insert(
        "account.move",
        row([
            ("name", Value::from(inv.name)),
            (
                "move_type",
                Value::from(if refund { "out_refund" } else { "out_invoice" }),
            ),
            ("state", Value::from("posted")),
            ("partner_id", Value::Int(partner)),
            ("commercial_partner_id", Value::Int(partner)),
            ("invoice_date", Value::from(date.to_string())),
            ("date", Value::from(date.to_string())),
            ("invoice_date_due", Value::from(inv.due.to_string())),
            ("amount_total", Value::Double(total)),
            ("amount_untaxed", Value::Double(total / 1.2)),
            ("amount_residual", Value::Double(inv.residual.abs())),
            ("payment_state", Value::from(inv.payment_state)),
            ("currency_id", Value::Int(EUR)),
            ("company_id", Value::Int(COMPANY)),
            ("invoice_payment_term_id", false.into()),
            ("ref", false.into()),
            ("matched_payment_ids", ids(&[])),
        ]),
    );
    let line = w.insert(
        "account.move.line",
        row([
            ("move_id", Value::Int(move_id)),
            ("partner_id", Value::Int(partner)),
            ("account_id", Value::Int(1)),
            ("account_type", Value::from("asset_receivable")),
            ("name", Value::from(inv.name)),
            ("date", Value::from(date.to_string())),
            ("date_maturity", Value::from(inv.due.to_string())),
            ("balance", Value::Double(inv.amount)),
            ("debit", Value::Double(if refund { 0.0 } else { total })),
            ("credit", Value::Double(if refund { total } else { 0.0 })),
            ("amount_currency", Value::Double(inv.amount)),
            ("amount_residual", Value::Double(inv.residual)),
            ("amount_residual_currency", Value::Double(inv.residual)),
            ("currency_id", Value::Int(EUR)),
            ("company_id", Value::Int(COMPANY)),
            ("reconciled", (inv.residual == 0.0).into()),
        ]),
    );
    (move_id, line)
}

/// Settles an invoice in the world: its receivable lines reconciled, residual 0.
pub fn pay(w: &mut World, move_id: i64) {
    let lines: Vec<i64> = w
        .table("account.move.line")
        .map(|t| {
            t.rows
                .iter()
                .filter(|(_, r)| r.get("move_id").and_then(Value::as_i64) == Some(move_id))
                .map(|(id, _)| *id)
                .collect()
        })
        .unwrap_or_default();
    for id in lines {
        if let Some(r) = w.row_mut("account.move.line", id) {
            r.insert("amount_residual", Value::Double(0.0));
            r.insert("amount_residual_currency", Value::Double(0.0));
            r.insert("reconciled", true.into());
        }
    }
    if let Some(m) = w.row_mut("account.move", move_id) {
        m.insert("amount_residual", Value::Double(0.0));
        m.insert("payment_state", Value::from("paid"));
    }
}
