//! What an Odoo client counts of its requests: calls, writes, retries, the duration
//! histogram and errors by kind, for benchmarks, tests and the daemon's metrics. Plain
//! atomics; it never sees a payload.

use crate::odoo::error::ErrorKind;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the request duration histogram.
pub const REQUEST_BUCKETS: [f64; 8] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Counters of calls made, for benchmarks, tests and metrics.
#[derive(Debug, Default)]
pub struct CallCounters {
    pub calls: AtomicU64,
    pub writes: AtomicU64,
    pub retries: AtomicU64,
    /// Requests at most as long as each bound of [`REQUEST_BUCKETS`] (cumulative buckets).
    durations: [AtomicU64; REQUEST_BUCKETS.len()],
    /// Every request's duration, summed, and how many.
    total: crate::timing::Stopwatch,
    errors: std::sync::Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

/// What [`CallCounters::stats`] reads: the request histogram and errors by kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RequestStats {
    pub buckets: Vec<(f64, u64)>,
    pub count: u64,
    pub sum_seconds: f64,
    pub errors: std::collections::BTreeMap<String, u64>,
}

impl CallCounters {
    pub(crate) fn observe(&self, took: Duration, error: Option<&ErrorKind>) {
        let s = took.as_secs_f64();
        for (i, bound) in REQUEST_BUCKETS.iter().enumerate() {
            if s <= *bound {
                self.durations[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.total.add(took);
        if let Some(kind) = error
            && let Ok(mut errors) = self.errors.lock()
        {
            *errors.entry(kind.label()).or_default() += 1;
        }
    }

    /// Time spent waiting for Odoo's answers so far, and how many requests.
    pub fn time_spent(&self) -> crate::timing::Lap {
        self.total.lap()
    }

    /// Every request so far: durations and errors by kind.
    pub fn stats(&self) -> RequestStats {
        let total = self.total.lap();
        RequestStats {
            buckets: REQUEST_BUCKETS
                .iter()
                .zip(&self.durations)
                .map(|(b, n)| (*b, n.load(Ordering::Relaxed)))
                .collect(),
            count: total.count,
            sum_seconds: total.seconds,
            errors: self
                .errors
                .lock()
                .map(|e| e.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect())
                .unwrap_or_default(),
        }
    }
}
