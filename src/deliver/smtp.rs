//! The `smtp` mail transport: lettre's async SMTP connection, pooled, with retries.
//!
//! Each mail is one SMTP transaction (MAIL, RCPT…, DATA, body) driven step by step so
//! that a failure is classified by where it happened (see `smtp_failure`). Transient
//! failures are retried with a bounded exponential backoff inside [`SmtpTransport::send`];
//! permanent refusals, configuration errors and uncertain outcomes are never retried.
//! TLS certificates are always verified (a private CA can be added); there is no
//! option to skip verification, and a password is never sent over plaintext to a
//! non-loopback host. Idle connections are kept for reuse and checked with NOOP.

use std::fmt;
use std::sync::Mutex;
use std::time::Instant;

use lettre::address::Address;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};

use tokio::net::TcpStream;

use super::error::MailError;
use super::mail::Sent;
use super::message::{self, BuiltEmail, OutgoingEmail};
use super::smtp_failure::{Failure, Stage};
use super::smtp_settings::{SmtpSettings, TlsMode};
use super::smtp_stream::ImplicitTls;

struct IdleConnection {
    conn: AsyncSmtpConnection,
    since: Instant,
}

/// The connection security, with the TLS parameters where TLS is used, so that a
/// TLS mode can never run without them.
enum Security {
    Plain,
    Starttls(TlsParameters),
    Implicit(TlsParameters),
}

/// Sends mail through one SMTP server, reusing connections.
pub struct SmtpTransport {
    settings: SmtpSettings,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
    idle: Mutex<Vec<IdleConnection>>,
    /// Trips when the server cannot be reached: later mails of the run fail at once.
    breaker: crate::breaker::Breaker,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// Checks the settings (CA file, credentials vs. TLS) and prepares the TLS setup.
    /// Does not connect.
    pub fn new(settings: SmtpSettings) -> Result<Self, MailError> {
        let config = |what: String, hint: &str| MailError::Config {
            server: settings.server(),
            what,
            hint: hint.to_owned(),
        };
        let credentials = match (&settings.username, &settings.password) {
            (Some(user), Some(password)) => Some(Credentials::new(user.clone(), password.clone())),
            (None, None) => None,
            _ => {
                return Err(config(
                    "username and password must be given together".to_owned(),
                    "set both [mail.smtp] username and password, or neither",
                ));
            }
        };
        if credentials.is_some() && settings.tls == TlsMode::None && !is_loopback(&settings.host) {
            return Err(config(
                "refusing to send the SMTP password unencrypted".to_owned(),
                "use tls = \"starttls\" (port 587) or tls = \"tls\" (port 465)",
            ));
        }
        let security = match settings.tls {
            TlsMode::None => Security::Plain,
            TlsMode::Starttls | TlsMode::Tls => {
                let mut builder = TlsParameters::builder(settings.host.clone());
                if let Some(ca_file) = &settings.ca_file {
                    let pem = std::fs::read(ca_file).map_err(|e| {
                        config(
                            format!("cannot read ca_file {}: {e}", ca_file.display()),
                            "give the path of a readable PEM certificate",
                        )
                    })?;
                    let cert = Certificate::from_pem(&pem).map_err(|e| {
                        config(
                            format!(
                                "ca_file {} is not a PEM certificate: {e}",
                                ca_file.display()
                            ),
                            "give a PEM file starting with -----BEGIN CERTIFICATE-----",
                        )
                    })?;
                    builder = builder.add_root_certificate(cert);
                }
                let params = builder.build().map_err(|e| {
                    config(
                        format!("cannot set up TLS: {e}"),
                        "check [mail.smtp] host and ca_file",
                    )
                })?;
                if settings.tls == TlsMode::Tls {
                    Security::Implicit(params)
                } else {
                    Security::Starttls(params)
                }
            }
        };
        let hello = settings
            .hello_name
            .clone()
            .map_or_else(ClientId::default, ClientId::Domain);
        let breaker = crate::breaker::Breaker::new(crate::breaker::smtp_server(
            &settings.host,
            settings.port,
        ));
        Ok(SmtpTransport {
            settings,
            security,
            credentials,
            hello,
            idle: Mutex::new(Vec::new()),
            breaker,
        })
    }

    pub fn settings(&self) -> &SmtpSettings {
        &self.settings
    }

    pub fn breaker(&self) -> &crate::breaker::Breaker {
        &self.breaker
    }

    /// Says QUIT on every idle connection (at shutdown). Sending still works after.
    pub async fn close(&self) {
        let idle = self
            .idle
            .lock()
            .map(|mut idle| std::mem::take(&mut *idle))
            .unwrap_or_default();
        for mut idle in idle {
            let _ = tokio::time::timeout(self.settings.timeout, idle.conn.quit()).await;
        }
    }

    /// Sends `email`, retrying transient failures according to the retry policy.
    ///
    /// A refused recipient fails the whole mail (the stage names it). If this future
    /// is dropped while the body is in flight, the outcome is unknown: callers mark
    /// the action `started` in the ledger before calling, which covers that case.
    pub async fn send(&self, email: &OutgoingEmail) -> Result<Sent, MailError> {
        let built = message::build(email)?;
        let policy = self.settings.retry;
        let mut attempt = 0;
        loop {
            if let Some(down) = self.breaker.tripped() {
                // Not sent: safe to try again in a later run.
                return Err(MailError::Transient {
                    message_id: built.message_id.clone(),
                    recipients: built.recipients(),
                    stage: "connection".to_owned(),
                    code: None,
                    reply: format!("not tried: {down}"),
                    attempts: attempt,
                });
            }
            attempt += 1;
            let result = self.attempt(&built).await;
            match &result {
                Err(failure) if failure.unreachable() => {
                    self.breaker.unreachable(&failure.cause(), false);
                }
                _ => self.breaker.answered(),
            }
            let failure = match result {
                Ok(reply) => {
                    return Ok(Sent {
                        message_id: built.message_id.clone(),
                        recipients: built.recipients().0,
                        reply,
                        attempts: attempt,
                        eml: built.eml,
                        path: None,
                    });
                }
                Err(failure) => failure,
            };
            let retry = matches!(failure, Failure::Transient { .. })
                && attempt < policy.attempts
                && self.breaker.tripped().is_none();
            if !retry {
                return Err(failure.into_error(
                    &built.message_id,
                    built.recipients(),
                    &self.settings.server(),
                    attempt,
                ));
            }
            let delay = policy.delay_after(attempt);
            tracing::warn!(
                message_id = %built.message_id,
                attempt,
                ?delay,
                failure = ?failure,
                "transient SMTP failure, retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One SMTP transaction on a pooled or new connection.
    async fn attempt(&self, built: &BuiltEmail) -> Result<String, Failure> {
        let mut conn = self.checkout().await?;
        match self.transaction(&mut conn, built).await {
            Ok(reply) => {
                self.checkin(conn);
                Ok(reply)
            }
            Err(failure) => {
                let _ = tokio::time::timeout(self.settings.timeout, conn.abort()).await;
                Err(failure)
            }
        }
    }

    async fn transaction(
        &self,
        conn: &mut AsyncSmtpConnection,
        built: &BuiltEmail,
    ) -> Result<String, Failure> {
        let envelope = &built.envelope;
        let mut options = Vec::new();
        let ascii_addresses = envelope
            .from()
            .is_none_or(|a: &Address| AsRef::<str>::as_ref(a).is_ascii())
            && envelope
                .to()
                .iter()
                .all(|a: &Address| AsRef::<str>::as_ref(a).is_ascii());
        if !ascii_addresses && conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            options.push(MailParameter::SmtpUtfEight);
        }
        if !built.eml.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
            options.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        let mail = Mail::new(envelope.from().cloned(), options);
        self.step(Stage::MailFrom, conn.command(mail)).await?;
        for rcpt in envelope.to() {
            let stage = Stage::RcptTo(rcpt.to_string());
            self.step(stage, conn.command(Rcpt::new(rcpt.clone(), vec![])))
                .await?;
        }
        self.step(Stage::Data, conn.command(Data)).await?;
        let response = self.step(Stage::Payload, conn.message(&built.eml)).await?;
        Ok(format!(
            "{} {}",
            response.code(),
            response.message().collect::<Vec<_>>().join(" ")
        ))
    }

    /// Runs one dialogue step with the step timeout and classifies its failure.
    async fn step<T>(
        &self,
        stage: Stage,
        fut: impl Future<Output = Result<T, lettre::transport::smtp::Error>>,
    ) -> Result<T, Failure> {
        match tokio::time::timeout(self.settings.timeout, fut).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(err)) => Err(Failure::classify(stage, &err, &self.settings.server())),
            Err(_) => Err(Failure::timed_out(stage, self.settings.timeout)),
        }
    }

    /// An idle connection that still answers NOOP, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, Failure> {
        loop {
            let idle = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or(None);
            let Some(mut idle) = idle else { break };
            let fresh = idle.since.elapsed() < self.settings.idle_timeout;
            let alive = fresh
                && tokio::time::timeout(self.settings.timeout, idle.conn.test_connected())
                    .await
                    .unwrap_or(false);
            if alive {
                return Ok(idle.conn);
            }
            let _ = tokio::time::timeout(self.settings.timeout, idle.conn.abort()).await;
        }
        self.connect().await
    }

    fn checkin(&self, conn: AsyncSmtpConnection) {
        if conn.has_broken() {
            return;
        }
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.settings.max_idle_connections
        {
            idle.push(IdleConnection {
                conn,
                since: Instant::now(),
            });
        }
    }

    /// A plain TCP connection with Nagle's algorithm off: lettre writes the message
    /// and the final "." separately, and Nagle would hold that "." back until the
    /// server's delayed ACK (about 40 ms per mail).
    async fn connect_tcp(&self) -> Result<TcpStream, Failure> {
        let s = &self.settings;
        match tokio::time::timeout(s.timeout, TcpStream::connect((s.host.as_str(), s.port))).await {
            Ok(Ok(tcp)) => {
                let _ = tcp.set_nodelay(true);
                Ok(tcp)
            }
            Ok(Err(e)) => Err(Failure::Transient {
                stage: Stage::Connect,
                code: None,
                reply: format!("cannot connect to {}: {e}", s.server()),
            }),
            Err(_) => Err(Failure::timed_out(Stage::Connect, s.timeout)),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let s = &self.settings;
        let mut conn = match &self.security {
            Security::Implicit(params) => {
                let tcp = self.connect_tcp().await?;
                let tls = ImplicitTls::handshake(tcp, params.clone());
                let tls = self.step(Stage::Connect, tls).await?;
                let connect =
                    AsyncSmtpConnection::connect_with_transport(Box::new(tls), &self.hello);
                self.step(Stage::Connect, connect).await?
            }
            Security::Plain | Security::Starttls(_) => {
                let tcp = self.connect_tcp().await?;
                let connect =
                    AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello);
                self.step(Stage::Connect, connect).await?
            }
        };
        if let Security::Starttls(params) = &self.security {
            if !conn.can_starttls() {
                conn.abort().await;
                return Err(Failure::Config {
                    what: format!("{} does not offer STARTTLS", s.server()),
                    hint: "use tls = \"tls\" if this port expects TLS from the start (465), \
                           or check host and port"
                        .to_owned(),
                });
            }
            let upgrade = conn.starttls(params.clone(), &self.hello);
            self.step(Stage::Starttls, upgrade).await?;
        }
        if let Some(credentials) = &self.credentials {
            let auth = conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials);
            if let Err(failure) = self.step(Stage::Auth, auth).await {
                conn.abort().await;
                return Err(failure);
            }
        }
        Ok(conn)
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
