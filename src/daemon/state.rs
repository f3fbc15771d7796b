//! What the daemon knows about itself, shared between the scheduling loop (which writes)
//! and the health/metrics listener (which reads): liveness tick, last time Odoo answered,
//! progress of the run in progress, and the counters (`metrics`).
//!
//! It only records; it never decides when to run nor calls anything.

pub use super::metrics::Metrics;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Shared state of one daemon.
#[derive(Debug)]
pub struct DaemonState {
    started: Instant,
    /// Milliseconds since `started` of the last loop tick.
    last_tick_ms: AtomicU64,
    /// Milliseconds since `started` of the last time Odoo answered (0: never).
    odoo_ok_ms: AtomicU64,
    running: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
    pub metrics: Mutex<Metrics>,
    /// The last STATUS line, also shown by `/readyz`.
    status: Mutex<String>,
}

impl Default for DaemonState {
    fn default() -> Self {
        Self::new()
    }
}

impl DaemonState {
    pub fn new() -> Self {
        Self {
            started: Instant::now(),
            last_tick_ms: AtomicU64::new(0),
            odoo_ok_ms: AtomicU64::new(0),
            running: AtomicBool::new(false),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            metrics: Mutex::new(Metrics::default()),
            status: Mutex::new("starting".into()),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The scheduling loop is alive.
    pub fn tick(&self) {
        self.last_tick_ms.store(self.now_ms(), Ordering::Relaxed);
    }

    /// Time since the last loop tick.
    pub fn since_tick(&self) -> Duration {
        Duration::from_millis(
            self.now_ms()
                .saturating_sub(self.last_tick_ms.load(Ordering::Relaxed)),
        )
    }

    /// Odoo answered just now.
    pub fn odoo_reached(&self) {
        self.odoo_ok_ms
            .store(self.now_ms().max(1), Ordering::Relaxed);
    }

    /// Time since Odoo last answered; `None` if it never did.
    pub fn since_odoo(&self) -> Option<Duration> {
        match self.odoo_ok_ms.load(Ordering::Relaxed) {
            0 => None,
            at => Some(Duration::from_millis(self.now_ms().saturating_sub(at))),
        }
    }

    pub fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Relaxed);
        if !running {
            self.done.store(0, Ordering::Relaxed);
            self.total.store(0, Ordering::Relaxed);
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::Relaxed)
    }

    /// run_once's progress callback. A run that progresses has read its plan from Odoo
    /// and is writing to it: Odoo counts as reached (long runs stay ready).
    pub fn progress(&self, done: usize, total: usize) {
        self.odoo_reached();
        self.done.store(done as u64, Ordering::Relaxed);
        self.total.store(total as u64, Ordering::Relaxed);
    }

    pub fn progress_now(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub fn set_status(&self, status: impl Into<String>) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = status.into();
    }

    pub fn status(&self) -> String {
        self.status
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Changes the metrics under the lock.
    pub fn with_metrics<R>(&self, f: impl FnOnce(&mut Metrics) -> R) -> R {
        f(&mut self.metrics.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// `/metrics`.
    pub fn render_metrics(&self) -> String {
        let progress = self.progress_now();
        let running = self.is_running();
        self.with_metrics(|m| m.render(progress, running))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liveness_and_odoo_freshness_are_measured_from_the_last_tick() {
        let s = DaemonState::new();
        assert_eq!(s.since_odoo(), None);
        s.tick();
        s.odoo_reached();
        assert!(s.since_tick() < Duration::from_secs(1));
        assert!(s.since_odoo().is_some_and(|d| d < Duration::from_secs(1)));
    }
}
