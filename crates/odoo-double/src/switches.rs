//! Failure injection and the call log, changed at run time through the
//! handle: latency per call, faults on the next N calls or on matching calls,
//! HTTP 502 answers, dropped connections, slow pages.
//!
//! Switches only describe what to do; `server` applies them. Every counter is
//! bounded by what the test asked for, so a forgotten switch cannot loop.

use crate::faults::Fault;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Which calls a fault rule applies to (`None` matches anything).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matcher {
    pub model: Option<String>,
    pub method: Option<String>,
    /// The call must be on this record (its `ids` contain it).
    pub record: Option<i64>,
}

impl Matcher {
    pub fn any() -> Matcher {
        Matcher::default()
    }

    pub fn call(model: &str, method: &str) -> Matcher {
        Matcher {
            model: Some(model.into()),
            method: Some(method.into()),
            record: None,
        }
    }

    pub fn on_record(mut self, id: i64) -> Matcher {
        self.record = Some(id);
        self
    }

    fn hits(&self, model: &str, method: &str, ids: &[i64]) -> bool {
        self.model.as_deref().is_none_or(|m| m == model)
            && self.method.as_deref().is_none_or(|m| m == method)
            && self.record.is_none_or(|r| ids.contains(&r))
    }
}

#[derive(Clone, Debug)]
struct FaultRule {
    matcher: Matcher,
    remaining: Option<u32>,
    fault: Fault,
}

/// One logged call.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    pub protocol: &'static str,
    pub model: String,
    pub method: String,
    /// Number of records the call answered or touched.
    pub count: usize,
}

#[derive(Debug, Default)]
struct State {
    latency: Duration,
    faults: Vec<FaultRule>,
    bad_gateway: u32,
    drops: u32,
    slow_page: Option<(usize, Duration)>,
    calls: Vec<CallRecord>,
    writes: u64,
    served: Served,
}

/// Where the double's time went since the log was last reset: its own work (decoding,
/// the world, encoding) and the delays it injected.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Served {
    pub requests: u64,
    pub working: Duration,
    pub delayed: Duration,
}

/// Shared, cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Switches(Arc<Mutex<State>>);

/// What the server must do with one HTTP request before serving it.
#[derive(Debug, PartialEq)]
pub enum Transport {
    Serve,
    BadGateway,
    Drop,
}

impl Switches {
    fn state(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a test panicked mid-call; the state is
        // plain data and stays usable.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Delay added to every answer.
    pub fn set_latency(&self, latency: Duration) {
        self.state().latency = latency;
    }

    pub fn latency(&self) -> Duration {
        self.state().latency
    }

    /// Fails the next `n` calls with `fault`.
    pub fn fail_next(&self, n: u32, fault: Fault) {
        self.fail_matching(Matcher::any(), Some(n), fault);
    }

    /// Fails calls matching `matcher` (`times = None`: until cleared).
    pub fn fail_matching(&self, matcher: Matcher, times: Option<u32>, fault: Fault) {
        self.state().faults.push(FaultRule {
            matcher,
            remaining: times,
            fault,
        });
    }

    /// Answers HTTP 502 to the next `n` requests.
    pub fn bad_gateway_next(&self, n: u32) {
        self.state().bad_gateway = n;
    }

    /// Closes the connection without answering the next `n` requests.
    pub fn drop_next(&self, n: u32) {
        self.state().drops = n;
    }

    /// Answers with `delay` more when a call returns at least `records` records.
    pub fn set_slow_pages(&self, records: usize, delay: Duration) {
        self.state().slow_page = Some((records, delay));
    }

    /// Removes every injected fault, delay and transport failure.
    pub fn clear(&self) {
        let mut s = self.state();
        s.latency = Duration::ZERO;
        s.faults.clear();
        s.bad_gateway = 0;
        s.drops = 0;
        s.slow_page = None;
    }

    /// Decides the fate of the next HTTP request (consumes a 502 or a drop).
    pub fn transport(&self) -> Transport {
        let mut s = self.state();
        if s.drops > 0 {
            s.drops -= 1;
            Transport::Drop
        } else if s.bad_gateway > 0 {
            s.bad_gateway -= 1;
            Transport::BadGateway
        } else {
            Transport::Serve
        }
    }

    /// The injected fault for this call, if any (consumes one use).
    pub fn injected(&self, model: &str, method: &str, ids: &[i64]) -> Option<Fault> {
        let mut s = self.state();
        let pos = s
            .faults
            .iter()
            .position(|r| r.matcher.hits(model, method, ids) && r.remaining != Some(0))?;
        let rule = &mut s.faults[pos];
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
        }
        Some(rule.fault.clone())
    }

    /// Extra delay for an answer of `records` records.
    pub fn page_delay(&self, records: usize) -> Duration {
        match self.state().slow_page {
            Some((threshold, delay)) if records >= threshold => delay,
            _ => Duration::ZERO,
        }
    }

    pub(crate) fn log(&self, record: CallRecord, write: bool) {
        let mut s = self.state();
        if write {
            s.writes += 1;
        }
        s.calls.push(record);
    }

    /// Every call served, in order.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.state().calls.clone()
    }

    /// Calls per `(model, method)`.
    pub fn call_counts(&self) -> BTreeMap<(String, String), usize> {
        let mut out = BTreeMap::new();
        for c in &self.state().calls {
            *out.entry((c.model.clone(), c.method.clone())).or_insert(0) += 1;
        }
        out
    }

    /// Number of calls that change data (`create`, `write`, `message_post`…).
    pub fn write_calls(&self) -> u64 {
        self.state().writes
    }

    /// Forgets the call log.
    pub fn reset_log(&self) {
        let mut s = self.state();
        s.calls.clear();
        s.writes = 0;
        s.served = Served::default();
    }

    /// One request served: the double's own work and the delay it added.
    pub fn record_served(&self, working: Duration, delayed: Duration) {
        let mut s = self.state();
        s.served.requests += 1;
        s.served.working += working;
        s.served.delayed += delayed;
    }

    /// Since the log was last reset.
    pub fn served(&self) -> Served {
        self.state().served
    }
}
