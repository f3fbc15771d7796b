//! A circuit breaker per server (the SMTP relay, Odoo): after a few consecutive failures
//! that say the server cannot be reached (connection refused or reset, TLS failure,
//! timeout), it trips, and every later request to that server fails at once, without
//! being sent, for the rest of the run. The executor then stops the run with one reason
//! and leaves the customers not yet done exactly as they were, for the next run.
//!
//! It knows nothing of SMTP or Odoo: the transports say what an answer meant. A failure
//! about one message or one record (a refused recipient, a validation error) is an
//! answer from a server that is up, and resets the count.

use std::sync::Mutex;

/// Consecutive unreachable failures that trip a breaker.
pub const THRESHOLD: u32 = 3;

/// How the breaker of an SMTP server is named (`SMTP host:port`): by the transport, and
/// by the daemon's metrics, which must name it the same way.
pub fn smtp_server(host: &str, port: u16) -> String {
    format!("SMTP {host}:{port}")
}

/// Why a server is considered down, for the run report, `/readyz` and logs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{server} unreachable: {cause}")]
pub struct Tripped {
    /// `SMTP 127.0.0.1:2525`, `Odoo 127.0.0.1:8069`.
    pub server: String,
    /// The last failure, as a person reads it (`connection refused`).
    pub cause: String,
}

#[derive(Debug, Default)]
struct State {
    consecutive: u32,
    tripped: Option<Tripped>,
}

/// The breaker of one server.
#[derive(Debug)]
pub struct Breaker {
    server: String,
    threshold: u32,
    state: Mutex<State>,
}

impl Breaker {
    pub fn new(server: impl Into<String>) -> Self {
        Self {
            server: server.into(),
            threshold: THRESHOLD,
            state: Mutex::default(),
        }
    }

    pub fn server(&self) -> &str {
        &self.server
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock leaves only counters behind: keep using them.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server answered (whatever it said).
    pub fn answered(&self) {
        let mut state = self.state();
        state.consecutive = 0;
    }

    /// The server could not be reached; `at_once` trips the breaker now (a timeout: one
    /// is all a run can afford to wait). Returns whether the breaker is now tripped.
    pub fn unreachable(&self, cause: &str, at_once: bool) -> bool {
        let mut state = self.state();
        state.consecutive += 1;
        if state.tripped.is_none() && (at_once || state.consecutive >= self.threshold) {
            tracing::warn!(server = %self.server, cause, "server unreachable: not trying it again in this run");
            state.tripped = Some(Tripped {
                server: self.server.clone(),
                cause: cause.to_owned(),
            });
        }
        state.tripped.is_some()
    }

    /// Why requests to this server are not sent any more, if they are not.
    pub fn tripped(&self) -> Option<Tripped> {
        self.state().tripped.clone()
    }

    /// Closes the breaker (a new run tries the server again).
    pub fn reset(&self) {
        *self.state() = State::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_after_consecutive_unreachable_failures_only() {
        let b = Breaker::new("SMTP 127.0.0.1:2525");
        assert!(!b.unreachable("connection refused", false));
        assert!(!b.unreachable("connection refused", false));
        b.answered();
        assert!(!b.unreachable("connection refused", false));
        assert!(!b.unreachable("connection refused", false));
        assert_eq!(b.tripped(), None);
        assert!(b.unreachable("connection refused", false));
        assert_eq!(
            b.tripped().map(|t| t.to_string()),
            Some("SMTP 127.0.0.1:2525 unreachable: connection refused".to_owned())
        );
        // Tripped for the rest of the run, even if a late answer comes in.
        b.answered();
        assert!(b.tripped().is_some());
        b.reset();
        assert_eq!(b.tripped(), None);
    }

    #[test]
    fn a_timeout_trips_at_once_and_keeps_the_first_cause() {
        let b = Breaker::new("Odoo 127.0.0.1:8069");
        assert!(b.unreachable("no answer within 60 s", true));
        b.unreachable("connection refused", false);
        assert_eq!(b.tripped().unwrap().cause, "no answer within 60 s");
    }
}
