//! The mail transport chosen by configuration, and the record of a sent mail.
//!
//! `MailTransport` is the one entry point the executor uses to send an
//! [`OutgoingEmail`]; it does not decide whether a mail should be sent (the ledger
//! and the engine do) and never retries an uncertain or permanent failure.

use std::path::PathBuf;

use super::error::MailError;
use super::files::FilesTransport;
use super::message::OutgoingEmail;
use super::smtp::SmtpTransport;

/// Proof that a mail left relanced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub message_id: String,
    /// Envelope recipients.
    pub recipients: Vec<String>,
    /// The server's final reply (`250 …`) or where the file was written.
    pub reply: String,
    /// Attempts made, including the successful one.
    pub attempts: u32,
    /// The exact bytes sent, for the outbox.
    pub eml: Vec<u8>,
    /// The `.eml` written by the files transport.
    pub path: Option<PathBuf>,
}

/// How mail leaves relanced (`[mail] transport`).
#[derive(Debug)]
pub enum MailTransport {
    Smtp(Box<SmtpTransport>),
    Files(FilesTransport),
}

impl MailTransport {
    pub async fn send(&self, email: &OutgoingEmail) -> Result<Sent, MailError> {
        match self {
            MailTransport::Smtp(smtp) => smtp.send(email).await,
            MailTransport::Files(files) => files.send(email),
        }
    }
}
