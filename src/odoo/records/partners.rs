//! Customers and their contacts (`res.partner`), and the partner tags
//! (`res.partner.category`) strategies and markers are made of: declarations, decoding,
//! and the one read of every customer's invoice contacts.

use super::declare::{FieldType::*, Model, Reader, Ref, read, read_names, write};
use crate::odoo::Struct;
use crate::odoo::api::{OdooApi, leaf};
use crate::odoo::error::OdooError;

/// A customer or one of its contacts (`res.partner`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PartnerRecord {
    pub id: i64,
    pub name: String,
    pub commercial_partner_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub contact_type: Option<String>,
    pub is_company: bool,
    pub lang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub vat: Option<String>,
    pub country_code: Option<String>,
    pub reference: Option<String>,
    pub tag_ids: Vec<i64>,
    pub trust: Option<String>,
    pub salesperson: Option<Ref>,
    pub street: Option<String>,
    pub street2: Option<String>,
    pub zip: Option<String>,
    pub city: Option<String>,
}

impl PartnerRecord {
    pub const MODEL: Model = Model {
        name: "res.partner",
        fields: &[
            read("name", Char),
            read("commercial_partner_id", Many2one),
            read("parent_id", Many2one),
            read("type", Selection),
            read("is_company", Boolean),
            read("lang", Selection),
            read("email", Char),
            read("phone", Char),
            read("vat", Char),
            read("country_code", Char),
            read("ref", Char),
            read("category_id", Many2many),
            read("trust", Selection),
            read("user_id", Many2one),
            read("street", Char),
            read("street2", Char),
            read("zip", Char),
            read("city", Char),
        ],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
            commercial_partner_id: r.m2o("commercial_partner_id").map(|p| p.id),
            parent_id: r.m2o("parent_id").map(|p| p.id),
            contact_type: r.text("type"),
            is_company: r.flag("is_company"),
            lang: r.text("lang"),
            email: r.text("email"),
            phone: r.text("phone"),
            vat: r.text("vat"),
            country_code: r.text("country_code"),
            reference: r.text("ref"),
            tag_ids: r.ids("category_id"),
            trust: r.text("trust"),
            salesperson: r.m2o("user_id"),
            street: r.text("street"),
            street2: r.text("street2"),
            zip: r.text("zip"),
            city: r.text("city"),
        }
    }
}

pub const PARTNER_FIELDS: &[&str] = &read_names::<18>(&PartnerRecord::MODEL);

/// Invoice-type child contacts of the given customers (one call for all of them).
pub async fn read_invoice_contacts(
    api: &impl OdooApi,
    customer_ids: &[i64],
    page_size: usize,
) -> Result<Vec<PartnerRecord>, OdooError> {
    if customer_ids.is_empty() {
        return Ok(Vec::new());
    }
    let domain = vec![
        leaf("parent_id", "in", customer_ids.to_vec()),
        leaf("type", "=", "invoice"),
    ];
    let records = api
        .search_read_all(
            PartnerRecord::MODEL.name,
            domain,
            PARTNER_FIELDS,
            page_size,
            None,
        )
        .await?;
    Ok(records.iter().map(PartnerRecord::from_record).collect())
}

/// A partner tag (`res.partner.category`): strategies and markers are tags.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TagRecord {
    pub id: i64,
    pub name: String,
}

impl TagRecord {
    pub const MODEL: Model = Model {
        name: "res.partner.category",
        fields: &[read("name", Char), write("color", Integer)],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
        }
    }
}

pub const TAG_FIELDS: &[&str] = &read_names::<1>(&TagRecord::MODEL);
