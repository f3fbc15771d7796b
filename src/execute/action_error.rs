//! Why one action's side effect did not happen as asked, with its cause kept (the Odoo
//! `ErrorKind`, the SMTP failure, the ledger error…) so that the executor decides from
//! the cause, not from text, whether the action failed (retried later), may have
//! happened (uncertain), was refused for good, or met a server that cannot be reached.
//! It is turned into text only where a person reads it: the ledger's `last_error`, the
//! run report and the log. It must not decide anything itself.

use crate::deliver::MailError;
use crate::ledger::LedgerError;
use crate::odoo::OdooError;
use crate::odoo::error::ErrorKind;
use crate::render::PdfError;
use std::path::PathBuf;

/// What went wrong while performing one action.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// An Odoo call failed (its `ErrorKind` says whether the write may have happened).
    #[error(transparent)]
    Odoo(#[from] OdooError),
    /// Sending, or writing a file through the mail side (outbox, files transport), failed.
    #[error(transparent)]
    Mail(#[from] MailError),
    /// The ledger refused a write that is the side effect itself (state, marker).
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// WeasyPrint could not render the letter.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The task rendering the letter panicked or was cancelled.
    #[error("PDF renderer crashed: {0}")]
    PdfCrashed(#[from] tokio::task::JoinError),
    /// A file the action uses (letter HTML, PDF to attach) cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An address of the payload does not parse.
    #[error("not an address: {text:?}: {source}")]
    Address {
        text: String,
        #[source]
        source: lettre::address::AddressError,
    },
}

impl ActionError {
    pub(crate) fn read(path: &std::path::Path, source: std::io::Error) -> Self {
        ActionError::Read {
            path: path.to_owned(),
            source,
        }
    }

    /// The Odoo error kind, when an Odoo call failed.
    pub fn odoo_kind(&self) -> Option<&ErrorKind> {
        match self {
            ActionError::Odoo(e) => Some(&e.kind),
            _ => None,
        }
    }

    /// The side effect may have happened although no success came back: an email whose
    /// connection broke after the message was handed over, an Odoo write without answer.
    /// Only an email's performer treats it as `uncertain`; other writes are looked up by
    /// their token when retried.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            ActionError::Odoo(e) => e.kind.outcome_unknown(),
            ActionError::Mail(MailError::Uncertain { .. }) => true,
            _ => false,
        }
    }

    /// The email was refused for good (5xx): a letter must replace it.
    pub fn refused(&self) -> bool {
        matches!(self, ActionError::Mail(MailError::Permanent { .. }))
    }

    /// The server did not answer (or was not asked, its breaker having tripped): what
    /// halts a run rather than failing one customer.
    pub fn unreachable(&self) -> bool {
        self.odoo_kind()
            .is_some_and(|k| k.is_unreachable() || *k == ErrorKind::NotSent)
    }
}
