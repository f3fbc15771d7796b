//! What each action will do, written to disk before the action is recorded, so that an
//! action left `planned` or `failed` by a crash or a fault is performed later exactly as
//! it was decided, without planning again. Stored as JSON under
//! `<outbox>/actions/<sha256 of the key>.json` (0600, in 0700 directories).

use crate::deliver::Outbox;
use crate::followup::{CompanyId, CustomerId};
use crate::ledger::{LastCommunication, StoredItemLevel};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// A file the action uses (a letter, the email's attachment).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub filename: String,
    pub mime: String,
    pub path: PathBuf,
}

/// The email of an `Email` action, as it will leave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailPayload {
    pub from: String,
    pub to: Vec<String>,
    pub reply_to: Option<String>,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attachments: Vec<StoredFile>,
    pub message_id: String,
    /// For the Odoo transport: partner ids of the recipients.
    pub recipient_partner_ids: Vec<i64>,
}

/// The data of one action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// Renders the letter HTML to PDF and stores it at `pdf`.
    Letter {
        html: PathBuf,
        pdf: StoredFile,
    },
    Email(EmailPayload),
    /// Records the communication in the ledger (item levels, last communication).
    State {
        company_id: CompanyId,
        customer_id: CustomerId,
        last: LastCommunication,
        items: Vec<(i64, StoredItemLevel)>,
        /// The personal paragraph the communication carried, consumed with the state.
        #[serde(default)]
        paragraph: Option<i64>,
    },
    Attachment {
        partner_id: i64,
        file: StoredFile,
    },
    Note {
        partner_id: i64,
        body_html: String,
        /// Keys of attachment actions whose Odoo ids are linked to the note.
        attachment_keys: Vec<String>,
        token: String,
    },
    Activity {
        partner_id: i64,
        activity_type_id: i64,
        user_id: i64,
        summary: String,
        note_html: String,
        deadline: NaiveDate,
        token: String,
    },
    Marker {
        partner_id: i64,
        add: Option<i64>,
        remove: Vec<i64>,
    },
}

impl Payload {
    /// The activity an `Activity` payload creates in Odoo (none for the other kinds).
    pub fn new_activity(&self) -> Option<crate::odoo::writeback::NewActivity<'_>> {
        match self {
            Payload::Activity {
                partner_id,
                activity_type_id,
                user_id,
                summary,
                note_html,
                deadline,
                ..
            } => Some(crate::odoo::writeback::NewActivity {
                partner_id: *partner_id,
                activity_type_id: *activity_type_id,
                user_id: *user_id,
                summary,
                note_html,
                deadline: *deadline,
            }),
            _ => None,
        }
    }
}

/// Where the payload of `key` lives.
pub fn path_for(outbox: &Outbox, key: &str) -> PathBuf {
    let hash = hex::encode(Sha256::digest(key.as_bytes()));
    outbox
        .root()
        .join("actions")
        .join(format!("{}.json", &hash[..40]))
}

/// Errors reading or writing payloads.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("cannot write the payload of {key} at {path}: {source}")]
    Write {
        key: String,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the payload of {key} at {path}: {message}")]
    Read {
        key: String,
        path: PathBuf,
        message: String,
    },
}

pub fn store(outbox: &Outbox, key: &str, payload: &Payload) -> Result<PathBuf, PayloadError> {
    let path = path_for(outbox, key);
    let json = serde_json::to_vec_pretty(payload).map_err(|e| PayloadError::Write {
        key: key.into(),
        path: path.clone(),
        source: std::io::Error::other(e),
    })?;
    crate::deliver::outbox::write_private(&path, &json).map_err(|e| PayloadError::Write {
        key: key.into(),
        path: path.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(path)
}

pub fn load(outbox: &Outbox, key: &str) -> Result<Payload, PayloadError> {
    let path = path_for(outbox, key);
    let bytes = std::fs::read(&path).map_err(|e| PayloadError::Read {
        key: key.into(),
        path: path.clone(),
        message: e.to_string(),
    })?;
    serde_json::from_slice(&bytes).map_err(|e| PayloadError::Read {
        key: key.into(),
        path,
        message: e.to_string(),
    })
}
