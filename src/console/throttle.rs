//! Failed logins slowed down, per login and per client address, in memory: after `n`
//! failures in a row the next attempt is refused for `2^n` seconds (2, 4, 8…, at most 15
//! minutes, counted from the failure's answer); a success clears the login's count; a count untouched for 15 minutes is
//! forgotten. Refused attempts are not even sent to Odoo.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LONGEST: Duration = Duration::from_secs(15 * 60);

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    fn wait_until(&self) -> Instant {
        let wait = Duration::from_secs(1u64 << self.count.min(10)).min(LONGEST);
        self.last + wait
    }
}

/// Failed attempts by key (`login:…`, `addr:…`).
#[derive(Debug, Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Failures>>,
}

fn keys(login: &str, address: &str) -> [String; 2] {
    [
        format!("login:{}", login.trim().to_lowercase()),
        format!("addr:{address}"),
    ]
}

impl Throttle {
    /// `Err(wait)` when an attempt for `login` from `address` must wait that long.
    pub fn check(&self, login: &str, address: &str, now: Instant) -> Result<(), Duration> {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        all.retain(|_, f| now.duration_since(f.last) < LONGEST);
        let wait = keys(login, address)
            .iter()
            .filter_map(|k| all.get(k))
            .map(|f| f.wait_until().saturating_duration_since(now))
            .max()
            .unwrap_or_default();
        if wait.is_zero() { Ok(()) } else { Err(wait) }
    }

    /// A failed attempt.
    pub fn failed(&self, login: &str, address: &str, now: Instant) {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for k in keys(login, address) {
            let f = all.entry(k).or_insert(Failures {
                count: 0,
                last: now,
            });
            f.count += 1;
            f.last = now;
        }
    }

    /// A successful login: the login starts afresh (the address keeps its count, so
    /// one good account does not unlock guessing at others).
    pub fn succeeded(&self, login: &str, address: &str) {
        let mut all = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        all.remove(&keys(login, address)[0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_double_the_wait_per_login_and_per_address() {
        let t = Throttle::default();
        let t0 = Instant::now();
        assert_eq!(t.check("a", "1.1.1.1", t0), Ok(()));
        t.failed("a", "1.1.1.1", t0);
        assert_eq!(t.check("a", "9.9.9.9", t0), Err(Duration::from_secs(2)));
        assert_eq!(t.check("b", "1.1.1.1", t0), Err(Duration::from_secs(2)));
        assert_eq!(t.check("b", "9.9.9.9", t0), Ok(()));
        let t1 = t0 + Duration::from_secs(2);
        assert_eq!(t.check("a", "1.1.1.1", t1), Ok(()));
        t.failed("a", "1.1.1.1", t1);
        t.failed("a", "1.1.1.1", t1);
        assert_eq!(t.check("A ", "2.2.2.2", t1), Err(Duration::from_secs(8)));
        for _ in 0..20 {
            t.failed("a", "1.1.1.1", t1);
        }
        assert!(t.check("a", "2.2.2.2", t1).unwrap_err() <= LONGEST);
        t.succeeded("a", "1.1.1.1");
        assert_eq!(t.check("a", "2.2.2.2", t1), Ok(()));
        assert!(
            t.check("a", "1.1.1.1", t1).is_err(),
            "the address still waits"
        );
        assert_eq!(t.check("a", "1.1.1.1", t1 + LONGEST), Ok(()), "forgotten");
    }
}
