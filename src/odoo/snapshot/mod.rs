//! Reads one company's [`Snapshot`] for the engine, in two halves: `fetch.rs` makes the
//! calls to Odoo (a bounded number that does not grow with the number of customers) and
//! returns the raw typed records; `adapt.rs` turns them into the engine's plain input
//! types, without I/O. It decides nothing about who gets reminded.

mod adapt;
mod fetch;
#[cfg(test)]
mod tests;

pub use adapt::adapt;
pub use fetch::{Fetched, fetch};

use crate::followup::Snapshot;
use crate::odoo::api::OdooApi;
use crate::odoo::error::OdooError;
use crate::odoo::features::ServerFeatures;
use std::collections::BTreeSet;

/// What to read besides open items.
#[derive(Clone, Debug)]
pub struct SnapshotRequest<'a> {
    pub company_id: i64,
    /// Marker tag names: customers carrying one are read even without open items, so
    /// that a stale marker can be removed.
    pub marker_tags: &'a BTreeSet<&'a str>,
    /// Customers whose marker this company's runs put (from the ledger). A customer
    /// carrying a marker but no open item of this company is read only if it is here,
    /// so that one company's run never removes another company's marker.
    pub marker_owned: &'a BTreeSet<i64>,
    /// Name of the postponement activity type.
    pub postponement_type: &'a str,
    pub page_size: usize,
}

/// Reads the snapshot of one company.
pub async fn read_snapshot(
    api: &impl OdooApi,
    features: &ServerFeatures,
    request: &SnapshotRequest<'_>,
) -> Result<Snapshot, OdooError> {
    Ok(adapt(fetch(api, features, request).await?, features))
}
