//! SMTP settings: server, TLS mode, credentials, timeouts, retry policy, pool size.
//!
//! Plain values that the configuration layer fills in; `Debug` never prints the
//! password. There is deliberately no setting to skip certificate verification.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain text (only for a local relay).
    None,
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// Bounded exponential backoff for transient failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first (at least 1).
    pub attempts: u32,
    /// Delay after the first failed attempt; doubled after each further one.
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Delay to wait after failed attempt number `attempt` (1-based).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial_delay
            .saturating_mul(factor)
            .min(self.max_delay)
    }
}

/// Everything needed to reach the SMTP server. The password is never printed.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Extra PEM CA certificate(s) to trust besides the public roots.
    pub ca_file: Option<PathBuf>,
    /// Limit for each step of the dialogue (connect, each command, the body).
    pub timeout: Duration,
    pub retry: RetryPolicy,
    pub max_idle_connections: usize,
    pub idle_timeout: Duration,
    /// Name sent with EHLO; `None` uses this machine's host name.
    pub hello_name: Option<String>,
}

impl SmtpSettings {
    /// Settings with the defaults: no auth, 30 s step timeout, 3 attempts, 2 idle connections.
    pub fn new(host: impl Into<String>, port: u16, tls: TlsMode) -> Self {
        SmtpSettings {
            host: host.into(),
            port,
            tls,
            username: None,
            password: None,
            ca_file: None,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            max_idle_connections: 2,
            idle_timeout: Duration::from_secs(60),
            hello_name: None,
        }
    }

    /// `host:port`, for messages.
    pub fn server(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
