//! The `files` mail transport: writes each email to the outbox instead of sending it.
//!
//! Layout: `<dir>/<YYYY-MM-DD>/<message-id>.eml` (the exact bytes SMTP would carry)
//! and `<message-id>.html` (the HTML part, for a person to open in a browser). Files
//! are 0600 in 0700 directories and written atomically; sending the same email again
//! replaces the same files. Used for dry runs, demos and sites without SMTP; it
//! never talks to the network.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};

use super::error::MailError;
use super::mail::Sent;
use super::message::{self, OutgoingEmail, file_stem_for};
use super::outbox::write_private;

/// Writes emails as `.eml` files under a directory.
#[derive(Debug, Clone)]
pub struct FilesTransport {
    dir: PathBuf,
}

impl FilesTransport {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FilesTransport { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where [`FilesTransport::send`] puts the `.eml` of an email.
    pub fn eml_path(&self, email: &OutgoingEmail) -> PathBuf {
        let date: DateTime<Utc> = email.date.unwrap_or_else(SystemTime::now).into();
        self.dir
            .join(date.format("%Y-%m-%d").to_string())
            .join(format!("{}.eml", file_stem_for(&email.message_id)))
    }

    pub fn send(&self, email: &OutgoingEmail) -> Result<Sent, MailError> {
        let built = message::build(email)?;
        let eml_path = self.eml_path(email);
        write_private(&eml_path, &built.eml)?;
        write_private(&eml_path.with_extension("html"), email.html.as_bytes())?;
        Ok(Sent {
            message_id: built.message_id.clone(),
            recipients: built.recipients().0,
            reply: format!("written to {}", eml_path.display()),
            attempts: 1,
            eml: built.eml,
            path: Some(eml_path),
        })
    }
}
