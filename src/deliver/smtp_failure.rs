//! Classification of one failed SMTP attempt: transient, permanent, uncertain or config.
//!
//! The decisive fact is the step of the dialogue that failed: a broken connection
//! before the message body was handed over is harmless (retry), the same break after
//! it is "uncertain" (the server may have queued the mail). lettre does not say
//! whether a network error during the body happened while writing it or while
//! waiting for the reply, so any such error is treated as uncertain: a mail is never
//! duplicated, at the price of asking a person about a few that were not delivered. Only the server's reply
//! and the step are kept; message bodies and credentials never enter these values.

use std::error::Error as _;
use std::fmt;

use lettre::transport::smtp::Error as SmtpError;

use super::error::{MailError, Recipients};

/// The step of the SMTP dialogue an attempt was at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage {
    Connect,
    Starttls,
    Auth,
    MailFrom,
    RcptTo(String),
    Data,
    /// Message body sent, waiting for the final reply.
    Payload,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::Connect => f.write_str("connection and greeting"),
            Stage::Starttls => f.write_str("STARTTLS"),
            Stage::Auth => f.write_str("AUTH"),
            Stage::MailFrom => f.write_str("MAIL FROM"),
            Stage::RcptTo(rcpt) => write!(f, "RCPT TO:<{rcpt}>"),
            Stage::Data => f.write_str("DATA"),
            Stage::Payload => f.write_str("end of message data"),
        }
    }
}

/// Outcome of one failed attempt, before retry policy is applied.
#[derive(Debug)]
pub(crate) enum Failure {
    Transient {
        stage: Stage,
        code: Option<u16>,
        reply: String,
    },
    Permanent {
        stage: Stage,
        code: u16,
        reply: String,
    },
    Uncertain {
        reply: String,
    },
    Config {
        what: String,
        hint: String,
    },
}

impl Failure {
    /// Classifies a lettre error raised at `stage`.
    pub(crate) fn classify(stage: Stage, err: &SmtpError, server: &str) -> Failure {
        if let Some(code) = err.status() {
            let code: u16 = code.to_string().parse().unwrap_or(0);
            let reply = err.source().map(|s| s.to_string()).unwrap_or_default();
            return match (code >= 500, &stage) {
                (true, Stage::Auth) => Failure::Config {
                    what: format!("the server refused the credentials ({code} {reply})"),
                    hint: "check [mail.smtp] username and password".to_owned(),
                },
                (true, _) => Failure::Permanent { stage, code, reply },
                (false, _) => Failure::Transient {
                    stage,
                    code: Some(code),
                    reply,
                },
            };
        }
        let detail = error_chain(err);
        if let Some(tls) = tls_error(err) {
            return Failure::Config {
                what: format!("TLS with {server} failed: {tls}"),
                hint: "the server certificate must be valid for the configured host name and \
                       signed by a trusted authority; add a private CA with [mail.smtp] ca_file"
                    .to_owned(),
            };
        }
        if stage == Stage::Payload {
            return Failure::Uncertain { reply: detail };
        }
        if err.is_client() {
            return Failure::Config {
                what: format!("{stage} failed: {detail}"),
                hint:
                    "check [mail.smtp] tls, port and authentication against what the server offers"
                        .to_owned(),
            };
        }
        Failure::Transient {
            stage,
            code: None,
            reply: detail,
        }
    }

    /// Says the server cannot be reached at all (no SMTP reply: refused, reset, timeout,
    /// TLS): what trips the run's circuit breaker. A reply, even 4xx or 5xx, says it is up.
    pub(crate) fn unreachable(&self) -> bool {
        match self {
            Failure::Transient { code, .. } => code.is_none(),
            Failure::Config { what, .. } => what.starts_with("TLS with"),
            Failure::Permanent { .. } | Failure::Uncertain { .. } => false,
        }
    }

    /// The failure in a few words, for the breaker's reason.
    pub(crate) fn cause(&self) -> String {
        match self {
            Failure::Transient { stage, reply, .. } => format!("{reply} ({stage})"),
            Failure::Config { what, .. } => what.clone(),
            Failure::Permanent { reply, .. } | Failure::Uncertain { reply } => reply.clone(),
        }
    }

    /// A step that did not finish within the configured timeout.
    pub(crate) fn timed_out(stage: Stage, timeout: std::time::Duration) -> Failure {
        let reply = format!("no answer within {} s", timeout.as_secs_f64());
        if stage == Stage::Payload {
            Failure::Uncertain { reply }
        } else {
            Failure::Transient {
                stage,
                code: None,
                reply,
            }
        }
    }

    /// The public error for this failure.
    pub(crate) fn into_error(
        self,
        message_id: &str,
        recipients: Recipients,
        server: &str,
        attempts: u32,
    ) -> MailError {
        let message_id = message_id.to_owned();
        match self {
            Failure::Transient { stage, code, reply } => MailError::Transient {
                message_id,
                recipients,
                stage: stage.to_string(),
                code,
                reply,
                attempts,
            },
            Failure::Permanent { stage, code, reply } => MailError::Permanent {
                message_id,
                recipients,
                stage: stage.to_string(),
                code,
                reply,
            },
            Failure::Uncertain { reply } => MailError::Uncertain {
                message_id,
                recipients,
                reply,
            },
            Failure::Config { what, hint } => MailError::Config {
                server: server.to_owned(),
                what,
                hint,
            },
        }
    }
}

/// `err` and its sources joined with ": ", without repeating identical texts.
fn error_chain(err: &SmtpError) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// The rustls error behind `err`, if the failure was a TLS one.
fn tls_error(err: &SmtpError) -> Option<String> {
    if err.is_tls() {
        return Some(error_chain(err));
    }
    let mut source = err.source();
    while let Some(s) = source {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return Some(tls.to_string());
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(tls) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(tls.to_string());
        }
        source = s.source();
    }
    None
}
