//! Invoices, credit notes and entries (`account.move`) behind open items: declaration and
//! decoding. Reading them is `read_typed`'s; what they mean is the engine's.

use super::declare::{FieldType::*, Model, Reader, Ref, read, read_names};
use crate::odoo::Struct;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// An invoice, credit note or entry (`account.move`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InvoiceRecord {
    pub id: i64,
    pub name: String,
    pub move_type: String,
    pub payment_state: Option<String>,
    pub salesperson: Option<Ref>,
    pub currency: Option<Ref>,
    pub invoice_date: Option<NaiveDate>,
    pub invoice_date_due: Option<NaiveDate>,
    pub payment_reference: Option<String>,
    pub amount_total: Decimal,
}

impl InvoiceRecord {
    pub const MODEL: Model = Model {
        name: "account.move",
        fields: &[
            read("name", Char),
            read("move_type", Selection),
            read("payment_state", Selection),
            read("invoice_user_id", Many2one),
            read("currency_id", Many2one),
            read("invoice_date", Date),
            read("invoice_date_due", Date),
            read("payment_reference", Char),
            read("amount_total", Monetary),
        ],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
            move_type: r.text("move_type").unwrap_or_default(),
            payment_state: r.text("payment_state"),
            salesperson: r.m2o("invoice_user_id"),
            currency: r.m2o("currency_id"),
            invoice_date: r.date("invoice_date"),
            invoice_date_due: r.date("invoice_date_due"),
            payment_reference: r.text("payment_reference"),
            amount_total: r.money("amount_total"),
        }
    }
}

pub const INVOICE_FIELDS: &[&str] = &read_names::<9>(&InvoiceRecord::MODEL);
