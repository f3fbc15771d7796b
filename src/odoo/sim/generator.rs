//! Seeded data generator (under construction).
use crate::odoo::sim::OdooVersion;
use chrono::NaiveDate;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GeneratorOptions {
    pub seed: u64,
    pub customers: usize,
    pub invoices_per_customer: (u32, u32),
    pub as_of: NaiveDate,
    pub version: OdooVersion,
}
