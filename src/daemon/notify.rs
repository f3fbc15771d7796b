//! systemd's notification protocol (`Type=notify`): READY, STATUS lines, watchdog pings
//! and STOPPING, through the `sd-notify` crate. Outside systemd (`NOTIFY_SOCKET` unset)
//! every call does nothing. It must not decide anything: the loop says what to send.

use sd_notify::NotifyState;
use std::time::Duration;

/// The service manager, as seen from the daemon.
#[derive(Debug, Clone, Copy)]
pub struct Notifier {
    /// `WATCHDOG_USEC` when the watchdog is on for this process.
    watchdog: Option<Duration>,
}

impl Notifier {
    pub fn from_env() -> Self {
        Self {
            watchdog: sd_notify::watchdog_enabled(),
        }
    }

    /// How often the loop must wake up at least: half the watchdog period, else `idle`.
    pub fn tick_every(&self, idle: Duration) -> Duration {
        match self.watchdog {
            Some(w) => (w / 2).clamp(Duration::from_millis(100), idle),
            None => idle,
        }
    }

    fn send(&self, states: &[NotifyState]) {
        if let Err(e) = sd_notify::notify(states) {
            tracing::debug!(error = %e, "systemd notification not delivered");
        }
    }

    /// Start-up is complete (possibly degraded: `status` says why).
    pub fn ready(&self, status: &str) {
        self.send(&[NotifyState::Ready, NotifyState::Status(status)]);
    }

    pub fn status(&self, status: &str) {
        self.send(&[NotifyState::Status(status)]);
    }

    /// The loop is alive.
    pub fn watchdog(&self) {
        if self.watchdog.is_some() {
            self.send(&[NotifyState::Watchdog]);
        }
    }

    pub fn stopping(&self, status: &str) {
        self.send(&[NotifyState::Stopping, NotifyState::Status(status)]);
    }
}
