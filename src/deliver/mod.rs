//! Delivery of what relanced produced: emails (SMTP or files) and stored documents.
//!
//! `message` builds the MIME email, `smtp` and `files` send it, `mail` picks the
//! transport, `channel` builds it from the configuration, `outbox` keeps documents on
//! disk. Nothing here decides what to send or when, and nothing here writes to Odoo or
//! the ledger: callers record the outcome.
//! The Odoo `message_post` transport is not part of this module yet.

pub mod channel;
pub mod error;
pub mod files;
pub mod mail;
pub mod message;
pub mod outbox;
pub mod smtp;
mod smtp_failure;
pub mod smtp_settings;
mod smtp_stream;

pub use channel::{ChannelError, from_mailbox, mail_channel, reply_to_mailbox};
pub use error::{MailError, Recipients};
pub use files::FilesTransport;
pub use lettre::message::Mailbox;
pub use mail::{MailTransport, Sent};
pub use message::{Attachment, BuiltEmail, OutgoingEmail, message_id_for};
pub use outbox::Outbox;
pub use smtp::SmtpTransport;
pub use smtp_settings::{RetryPolicy, SmtpSettings, TlsMode};
