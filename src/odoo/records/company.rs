//! The company a run reads as (`res.company`) and the currencies of its amounts
//! (`res.currency`): declarations and decoding, for the snapshot and the letterhead.

use super::declare::{FieldType::*, Model, Reader, Ref, read, read_names};
use crate::odoo::Struct;

/// A currency (`res.currency`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CurrencyRecord {
    pub id: i64,
    pub name: String,
    pub symbol: String,
    pub decimal_places: u32,
    /// `before` or `after`.
    pub position: String,
}

impl CurrencyRecord {
    pub const MODEL: Model = Model {
        name: "res.currency",
        fields: &[
            read("name", Char),
            read("symbol", Char),
            read("decimal_places", Integer),
            read("position", Selection),
        ],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
            symbol: r.text("symbol").unwrap_or_default(),
            decimal_places: r.int("decimal_places").clamp(0, 6) as u32,
            position: r.text("position").unwrap_or_else(|| "after".into()),
        }
    }
}

pub const CURRENCY_FIELDS: &[&str] = &read_names::<4>(&CurrencyRecord::MODEL);

/// A company (`res.company`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CompanyRecord {
    pub id: i64,
    pub name: String,
    pub currency: Option<Ref>,
    pub partner_id: Option<i64>,
    pub country: Option<Ref>,
    pub vat: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub street: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
    pub website: Option<String>,
}

impl CompanyRecord {
    pub const MODEL: Model = Model {
        name: "res.company",
        fields: &[
            read("name", Char),
            read("currency_id", Many2one),
            read("partner_id", Many2one),
            read("country_id", Many2one),
            read("vat", Char),
            read("email", Char),
            read("phone", Char),
            read("street", Char),
            read("zip", Char),
            read("city", Char),
            read("website", Char),
        ],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
            currency: r.m2o("currency_id"),
            partner_id: r.m2o("partner_id").map(|p| p.id),
            country: r.m2o("country_id"),
            vat: r.text("vat"),
            email: r.text("email"),
            phone: r.text("phone"),
            street: r.text("street"),
            zip: r.text("zip"),
            city: r.text("city"),
            website: r.text("website"),
        }
    }
}

pub const COMPANY_FIELDS: &[&str] = &read_names::<11>(&CompanyRecord::MODEL);
