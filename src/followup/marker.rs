//! Markers: the one partner tag per customer showing the highest level reached by any of
//! its open items, and the stale marker tags to remove.
//!
//! Markers are the only tags relanced adds or removes; this module only computes them.

use std::collections::BTreeSet;

use serde::Serialize;

use super::model::{Customer, Tag};
use super::strategy::Strategy;

/// The marker a customer should carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MarkerShown {
    pub level: u32,
    pub key: String,
    pub tag: String,
    pub color: u8,
}

/// Marker of level `level` (0 or a level without marker → none).
pub fn marker_for(strategy: &Strategy, level: u32) -> Option<MarkerShown> {
    let l = strategy.level(level)?;
    let m = l.marker.as_ref()?;
    Some(MarkerShown {
        level,
        key: l.key.clone(),
        tag: m.tag.clone(),
        color: m.color,
    })
}

/// The customer's marker tags (`markers`: those of every strategy, see
/// `StrategySet::marker_tags`) other than `shown`: to remove.
pub fn stale_markers(
    customer: &Customer,
    shown: Option<&MarkerShown>,
    markers: &BTreeSet<&str>,
) -> Vec<Tag> {
    let mut stale: Vec<Tag> = customer
        .tags
        .iter()
        .filter(|t| markers.contains(t.name.as_str()))
        .filter(|t| shown.is_none_or(|m| m.tag != t.name))
        .cloned()
        .collect();
    stale.sort();
    stale
}
