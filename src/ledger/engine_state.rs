//! The engine's view of the ledger: from the follow-up state of every company, the plain
//! `followup::LedgerState` of one. A pure adaptation; it must not read the database.

use super::model::FollowupState;
use crate::followup::{CustomerId, CustomerLast, ItemLevel, LedgerState};

impl FollowupState {
    /// What the engine needs to know of company `company`: each item's last level, each
    /// customer's last communication.
    pub fn engine_state(&self, company: i64) -> LedgerState {
        LedgerState {
            item_levels: self
                .items
                .iter()
                .filter(|((c, _), _)| *c == company)
                .map(|((_, item), l)| {
                    (
                        *item,
                        ItemLevel {
                            level: l.level_index,
                            date: l.date,
                        },
                    )
                })
                .collect(),
            customer_last: self
                .customers
                .iter()
                .filter(|((c, _), _)| *c == company)
                .filter_map(|((_, customer), s)| {
                    let last = s.last.as_ref()?;
                    Some((
                        CustomerId::from(*customer),
                        CustomerLast {
                            level: last.level_index,
                            key: last.level_key.clone(),
                            date: last.date,
                        },
                    ))
                })
                .collect(),
        }
    }

    /// The customers of `company` carrying a marker tag relanced put there.
    pub fn marker_owners(&self, company: i64) -> std::collections::BTreeSet<i64> {
        self.customers
            .iter()
            .filter(|((c, _), s)| *c == company && s.marker_tag_id.is_some())
            .map(|((_, customer), _)| *customer)
            .collect()
    }
}
