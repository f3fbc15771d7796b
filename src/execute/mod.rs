//! Execution: turns a plan into effects, exactly once. Each communication's actions are
//! recorded in the ledger before they are performed, marked `started` just before and
//! `done` after, in a fixed order (letter, email, state, attachment, note, activity,
//! marker; the notes, activities and markers of a batch of customers are written together
//! at its end, `deferred.rs`, while the next batch is worked through), so that a crash leaves nothing ambiguous but emails, which
//! are reported as uncertain and never resent automatically (`reconcile`).

pub mod action_error;
mod activities;
pub mod compose;
mod deferred;
mod instead;
mod markers;
pub mod note;
pub mod payload;
pub mod perform;
pub mod prepare;
pub mod reconcile;
pub mod report;
pub mod retry;
pub mod run;
mod side_effects;
pub mod words;

pub use action_error::ActionError;
pub use perform::{ActionOutcome, MailChannel, Performer};
pub use run::{CompanyRun, Executor, Failure, Halt, RunReport, Selection};

/// Why execution could not go on.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError {
    #[error(transparent)]
    Ledger(#[from] crate::ledger::LedgerError),
    #[error(transparent)]
    Odoo(#[from] crate::odoo::OdooError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Mail(crate::deliver::MailError),
    #[error(transparent)]
    Payload(#[from] payload::PayloadError),
    /// The decision names a strategy the configuration does not have.
    #[error("customer {customer}: strategy not found")]
    StrategyNotFound {
        customer: crate::followup::CustomerId,
    },
    /// An activity of the level cannot be created: Odoo lacks its type, or nobody is
    /// responsible for it.
    #[error("customer {customer}: activity \"{summary}\" has no {missing}")]
    ActivityUnassignable {
        customer: crate::followup::CustomerId,
        summary: String,
        missing: MissingForActivity,
    },
}

/// What an activity lacks to be created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingForActivity {
    ActivityType,
    ResponsibleUser,
}

impl std::fmt::Display for MissingForActivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingForActivity::ActivityType => "activity type in Odoo (run relanced setup-odoo)",
            MissingForActivity::ResponsibleUser => "responsible user (set followup.fallback_user)",
        })
    }
}
