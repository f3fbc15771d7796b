//! The run the console started (a launch, an approval), while it runs: customers done
//! and total, and how the last one ended. Written by the run's progress callback, read
//! by the pages (which refresh themselves while it runs).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[derive(Debug, Default)]
pub struct Progress {
    running: AtomicBool,
    done: AtomicUsize,
    total: AtomicUsize,
    /// How the last run started here ended, for the pages.
    last: Mutex<Option<Outcome>>,
}

/// How a run started from the console ended: its id, or why it could not run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Outcome {
    pub run_id: Option<i64>,
    pub error: Option<String>,
}

impl Progress {
    /// Marks a run started; `false` when one is already running (nothing changed).
    pub fn start(&self) -> bool {
        if self.running.swap(true, Ordering::SeqCst) {
            return false;
        }
        self.done.store(0, Ordering::Relaxed);
        self.total.store(0, Ordering::Relaxed);
        true
    }

    pub fn update(&self, done: usize, total: usize) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn finish(&self, outcome: Outcome) {
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
        self.running.store(false, Ordering::SeqCst);
    }

    /// `(done, total)` while a run runs.
    pub fn now(&self) -> Option<(usize, usize)> {
        self.running.load(Ordering::SeqCst).then(|| {
            (
                self.done.load(Ordering::Relaxed),
                self.total.load(Ordering::Relaxed),
            )
        })
    }

    pub fn last(&self) -> Option<Outcome> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
