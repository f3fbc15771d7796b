//! The customer's gate: after a communication at level `L` on day `d`, the next one may
//! not happen before `d + max(min_interval_days, offset(L+1) − offset(L))`.
//!
//! After the last level the wait is `max(min_interval_days, repeat_last_every_days)`
//! (the last level itself only repeats when configured, see `level::due_level`). State
//! based: a run that did not happen on the exact day loses nothing later.

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::model::CustomerLast;
use super::strategy::Strategy;

/// The customer's last communication and how long it holds the next one back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gate {
    pub last_level: u32,
    pub last_key: String,
    pub last_date: NaiveDate,
    /// Days to wait after `last_date`.
    pub wait_days: i64,
    /// First day a new communication may happen.
    pub until: NaiveDate,
}

impl Gate {
    /// Whether the gate holds at `as_of`.
    pub fn is_closed(&self, as_of: NaiveDate) -> bool {
        as_of < self.until
    }

    /// Days since the last communication.
    pub fn days_since(&self, as_of: NaiveDate) -> i64 {
        (as_of - self.last_date).num_days()
    }
}

/// The gate of a customer whose last communication was `last` (none → no gate).
///
/// The level is taken by key when the key still exists in the strategy, so that
/// enabling or disabling a level does not shift the meaning of the recorded number.
pub fn gate(strategy: &Strategy, last: Option<&CustomerLast>) -> Option<Gate> {
    let last = last?;
    let n = strategy
        .level_number(&last.key)
        .unwrap_or_else(|| last.level.min(strategy.last_level()));
    let step = match (strategy.offset(n), strategy.offset(n + 1)) {
        (Some(this), Some(next)) => next - this,
        _ => strategy.repeat_last_every_days.unwrap_or(0),
    };
    let wait_days = strategy.min_interval_days.max(step).max(0);
    let until = last
        .date
        .checked_add_days(Days::new(u64::try_from(wait_days).unwrap_or(0)))
        .unwrap_or(NaiveDate::MAX);
    Some(Gate {
        last_level: n,
        last_key: last.key.clone(),
        last_date: last.date,
        wait_days,
        until,
    })
}
