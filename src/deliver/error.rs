//! Typed errors of mail delivery and of the document outbox.
//!
//! Every variant says who the mail was for, at which step of the SMTP dialogue it
//! failed and what the server answered, so that an operator can act on it. It must
//! never carry a message body, an attachment or a password: the reply text stored
//! here is the server's, and the only addresses are the envelope recipients.

use std::fmt;
use std::path::PathBuf;

/// The envelope recipients of a failed mail, shown comma-separated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recipients(pub Vec<String>);

impl fmt::Display for Recipients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(no recipient)");
        }
        f.write_str(&self.0.join(", "))
    }
}

/// Why a mail was not (or may not have been) delivered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// A temporary failure (4xx reply, connection refused/reset, timeout) that
    /// outlasted the retries done inside `send`. Safe to try again later.
    #[error(
        "mail {message_id} to {recipients} failed temporarily at {stage} after {attempts} attempt(s): {reply}; it was not delivered and can be retried later"
    )]
    Transient {
        message_id: String,
        recipients: Recipients,
        stage: String,
        /// SMTP reply code when the server answered (4xx), `None` for network failures.
        code: Option<u16>,
        reply: String,
        attempts: u32,
    },
    /// The server refused for good (5xx): wrong recipient, message refused, etc.
    /// Never retried; a person must fix the address or the content.
    #[error(
        "mail {message_id} to {recipients} was refused at {stage} with {code} {reply}; it will not be retried: check the recipient address or the message"
    )]
    Permanent {
        message_id: String,
        recipients: Recipients,
        stage: String,
        code: u16,
        reply: String,
    },
    /// The connection broke after the whole message was handed over and before the
    /// server's final reply: the mail may or may not have been delivered. Never
    /// retried automatically; a person must check and decide.
    #[error(
        "mail {message_id} to {recipients}: the connection broke after the message was sent and before the server confirmed it ({reply}); it MAY have been delivered, so it is not resent automatically: check the mailbox or the server log"
    )]
    Uncertain {
        message_id: String,
        recipients: Recipients,
        reply: String,
    },
    /// The mail setup is wrong (TLS verification failed, STARTTLS unavailable,
    /// credentials refused, unreadable CA file). Retrying will not help.
    #[error("mail configuration problem for {server}: {what}; {hint}")]
    Config {
        server: String,
        what: String,
        hint: String,
    },
    /// The email itself cannot be built (invalid address, header or MIME type).
    #[error("cannot build mail {message_id}: {what}")]
    Message { message_id: String, what: String },
    /// Writing a file (files transport or outbox) failed.
    #[error(
        "cannot write {path}: {source}; check that the directory exists and is writable by the relanced user"
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl MailError {
    /// True for errors that a later run may retry without risking a duplicate.
    pub fn is_retryable_later(&self) -> bool {
        matches!(self, MailError::Transient { .. })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        MailError::Io {
            path: path.into(),
            source,
        }
    }
}
