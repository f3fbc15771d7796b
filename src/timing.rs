//! Where a run's time goes: stopwatches over the run (waiting for Odoo, ledger
//! transactions, template rendering, PDF rendering, mail delivery) and the process's
//! CPU time. Printed by `relanced once` and read by `benches/run.rs`. Several customers
//! are worked through at once, so a stopwatch keeps two readings: the sum of what it
//! timed (the metrics' request-duration sum) and the wall time during which at least one
//! of them was in progress (`busy`), which is what the run's summary shows: each part is
//! then at most the wall time, though parts may overlap each other.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Time spent in one kind of work, and how many times.
#[derive(Debug, Default)]
pub struct Stopwatch {
    micros: AtomicU64,
    count: AtomicU64,
    busy: Mutex<Busy>,
}

/// The wall time covered by what a stopwatch timed: the recent spans, disjoint and in
/// order, and the length of those older than [`Busy::HORIZON`].
#[derive(Debug, Default)]
struct Busy {
    spans: Vec<(Instant, Instant)>,
    settled: Duration,
}

impl Busy {
    /// Nothing timed lasts longer than this (Odoo's and SMTP's timeouts are shorter): a
    /// span that ended before it cannot overlap a new one.
    const HORIZON: Duration = Duration::from_secs(3600);

    fn cover(&mut self, took: Duration) {
        // Taken under the lock, so no span recorded before ends after `end`.
        let end = Instant::now();
        let mut start = end.checked_sub(took).unwrap_or(end);
        while let Some(&(s, e)) = self.spans.last() {
            if e < start {
                break;
            }
            start = start.min(s);
            self.spans.pop();
        }
        self.spans.push((start, end));
        let old = self
            .spans
            .iter()
            .take_while(|(_, e)| end.duration_since(*e) > Self::HORIZON)
            .count();
        for (s, e) in self.spans.drain(..old) {
            self.settled += e - s;
        }
    }

    fn total(&self) -> Duration {
        self.settled + self.spans.iter().map(|(s, e)| *e - *s).sum::<Duration>()
    }
}

/// A stopwatch's reading at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lap {
    /// The sum of the timed durations.
    pub seconds: f64,
    pub count: u64,
    /// The wall time during which at least one of them was in progress.
    pub busy: f64,
}

impl Stopwatch {
    /// Adds something that ended now and took `took`.
    pub fn add(&self, took: Duration) {
        self.micros
            .fetch_add(took.as_micros() as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.busy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .cover(took);
    }

    /// Runs `f`, adding its duration.
    pub fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = f();
        self.add(started.elapsed());
        out
    }

    /// Awaits `f`, adding its duration.
    pub async fn time_async<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        let started = Instant::now();
        let out = f.await;
        self.add(started.elapsed());
        out
    }

    pub fn lap(&self) -> Lap {
        let busy = self
            .busy
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .total();
        Lap {
            seconds: self.micros.load(Ordering::Relaxed) as f64 / 1e6,
            count: self.count.load(Ordering::Relaxed),
            busy: busy.as_secs_f64(),
        }
    }
}

impl std::ops::Sub for Lap {
    type Output = Lap;
    fn sub(self, earlier: Lap) -> Lap {
        Lap {
            seconds: (self.seconds - earlier.seconds).max(0.0),
            count: self.count.saturating_sub(earlier.count),
            busy: (self.busy - earlier.busy).max(0.0),
        }
    }
}

/// The executor's own stopwatches.
#[derive(Debug, Default)]
pub struct WorkClock {
    /// Composing and rendering emails and letters' HTML (tera, MJML), storing payloads.
    pub render: Stopwatch,
    /// Waiting for letters' PDFs (WeasyPrint; rendered ahead on the pool's workers while
    /// the executor works, so only the wait that was not hidden counts).
    pub pdf: Stopwatch,
    /// Handing emails to the transport (SMTP, files).
    pub mail: Stopwatch,
}

/// CPU seconds (user + system) of this process and of its waited-for children
/// (WeasyPrint workers), from `getrusage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct Cpu {
    pub own_seconds: f64,
    pub children_seconds: f64,
}

impl Cpu {
    pub fn now() -> Cpu {
        fn seconds(who: libc::c_int) -> f64 {
            // SAFETY: getrusage writes into the zeroed struct we own.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            if unsafe { libc::getrusage(who, &mut usage) } != 0 {
                return 0.0;
            }
            let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            tv(usage.ru_utime) + tv(usage.ru_stime)
        }
        Cpu {
            own_seconds: seconds(libc::RUSAGE_SELF),
            children_seconds: seconds(libc::RUSAGE_CHILDREN),
        }
    }
}

/// Where one run's time went (seconds of wall time). `odoo` is the time during which an
/// answer from Odoo was awaited (network, Odoo's work); `other` is the wall time none of
/// the parts account for: relanced's own bookkeeping, planning, and waiting for nothing.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Timings {
    pub wall: f64,
    pub odoo: f64,
    pub odoo_requests: u64,
    pub ledger: f64,
    pub ledger_transactions: u64,
    pub render: f64,
    pub pdf: f64,
    pub pdfs: u64,
    pub mail: f64,
    pub emails: u64,
    pub other: f64,
    /// CPU used by relanced itself during the run, and by the PDF workers it ended.
    pub cpu: Cpu,
}

impl Timings {
    /// The parts as `(name, seconds)`, largest first, for a one-line summary.
    pub fn parts(&self) -> Vec<(&'static str, f64)> {
        let mut parts = vec![
            ("Odoo", self.odoo),
            ("ledger", self.ledger),
            ("templates", self.render),
            ("PDF", self.pdf),
            ("mail", self.mail),
            ("other", self.other),
        ];
        parts.sort_by(|a, b| b.1.total_cmp(&a.1));
        parts
    }

    /// `12.3 s: PDF 61 %, Odoo 20 %, …` (parts under 1 % left out).
    pub fn summary(&self) -> String {
        let wall = self.wall.max(1e-9);
        let parts: Vec<String> = self
            .parts()
            .into_iter()
            .filter(|(_, s)| s / wall >= 0.01)
            .map(|(name, s)| format!("{name} {:.0} %", 100.0 * s / wall))
            .collect();
        format!("{:.1} s: {}", self.wall, parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopwatch_sums_what_it_timed_and_laps_subtract() {
        let w = Stopwatch::default();
        w.add(Duration::from_millis(1500));
        let first = w.lap();
        std::thread::sleep(Duration::from_millis(300));
        w.add(Duration::from_millis(250));
        assert_eq!((first.seconds, first.count), (1.5, 1));
        let second = w.lap() - first;
        assert_eq!((second.seconds, second.count), (0.25, 1));
        // Apart in time, the two spans are both wall time.
        assert!((second.busy - 0.25).abs() < 0.01, "{second:?}");
        let v = w.time(|| 7);
        assert_eq!(v, 7);
        assert_eq!(w.lap().count, 3);
    }

    #[test]
    fn overlapping_work_counts_once_as_busy_time() {
        let w = Stopwatch::default();
        // Four things in progress together for about 200 ms, each ending now.
        std::thread::sleep(Duration::from_millis(200));
        for took in [200, 150, 100, 50] {
            w.add(Duration::from_millis(took));
        }
        let lap = w.lap();
        assert_eq!((lap.seconds, lap.count), (0.5, 4));
        assert!((lap.busy - 0.2).abs() < 0.02, "{lap:?}");
        // One that started before them all and ends after them widens the span.
        w.add(Duration::from_millis(400));
        let lap = w.lap();
        assert!((lap.busy - 0.4).abs() < 0.02, "{lap:?}");
    }

    #[test]
    fn the_summary_names_the_largest_parts_first_and_drops_the_tiny_ones() {
        let t = Timings {
            wall: 10.0,
            odoo: 2.0,
            pdf: 6.0,
            ledger: 0.05,
            other: 1.95,
            ..Default::default()
        };
        assert_eq!(t.summary(), "10.0 s: PDF 60 %, Odoo 20 %, other 20 %");
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = Cpu::now();
        let mut x = 0u64;
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(50) {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        assert!(Cpu::now().own_seconds > before.own_seconds);
    }
}
