//! The ledger's plain data: runs, actions and their states, idempotency keys, and the
//! per-item / per-customer follow-up state the engine reads. No I/O here, and nothing
//! that knows about a particular database.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::followup::{CompanyId, CustomerId};
use crate::ledger::key::ActionKey;

/// Declares a text-stored enum: `as_str`, `Display` and `FromStr` on the same names.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name stored in the ledger.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        "unknown {} `{}` (expected one of: {})",
                        stringify!($name),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

text_enum!(
    /// Why a run was started.
    RunKind {
        /// The daemon's daily schedule.
        Scheduled => "scheduled",
        /// `relanced run --once`.
        Once => "once",
        /// A run launched by hand from the CLI.
        Launch => "launch",
        /// Execution of approved proposals (`approval = "manual"`).
        Approve => "approve",
    }
);

text_enum!(
    /// Where a run is.
    RunStatus {
        Running => "running",
        Done => "done",
        Failed => "failed",
        /// The process died or was stopped while the run was `running`.
        Interrupted => "interrupted",
    }
);

text_enum!(
    /// What kind of side effect an action is.
    ActionKind {
        Email => "email",
        Letter => "letter",
        Attachment => "attachment",
        Note => "note",
        Activity => "activity",
        Marker => "marker",
        State => "state",
    }
);

text_enum!(
    /// Where an action is: `planned → started → done | failed | uncertain`.
    ActionState {
        /// Recorded before anything was attempted.
        Planned => "planned",
        /// Marked just before the side effect; still `started` after a crash means
        /// "we do not know whether it happened".
        Started => "started",
        Done => "done",
        /// Known not to have happened (the side effect reported an error); may be retried.
        Failed => "failed",
        /// Maybe happened (an email whose sending was interrupted): never retried
        /// automatically, a person decides with `resolve`.
        Uncertain => "uncertain",
    }
);

/// Identifies a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub i64);

impl RunId {
    /// The ledger's integer.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for RunId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run {}", self.0)
    }
}

/// Identifies an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActionId(pub i64);

impl ActionId {
    /// The ledger's integer.
    pub const fn get(self) -> i64 {
        self.0
    }
}

impl From<i64> for ActionId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}

impl fmt::Display for ActionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "action {}", self.0)
    }
}

/// One evaluation of every followed customer at one `as_of` date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: RunId,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub as_of: NaiveDate,
    pub kind: RunKind,
    pub status: RunStatus,
    /// Counts and figures of the run (free JSON, written by `finish_run`).
    pub summary: Option<serde_json::Value>,
    pub host: String,
    pub pid: i64,
}

/// An action to record before it is performed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAction {
    pub key: ActionKey,
    /// 1-based index of the level in its strategy.
    pub level_index: u32,
    pub recipients: Vec<String>,
}

/// A recorded action, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    pub id: ActionId,
    pub run_id: RunId,
    /// The rendered idempotency key (see [`ActionKey`]).
    pub key: String,
    pub company_id: CompanyId,
    pub customer_id: CustomerId,
    pub level_index: u32,
    pub level_key: String,
    pub kind: ActionKind,
    pub state: ActionState,
    /// How many times the action was started.
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Ids of what was created in Odoo (message, activity, attachment…).
    pub odoo_ids: Vec<i64>,
    pub document_path: Option<String>,
    pub document_sha256: Option<String>,
    pub recipients: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The answer to `record_planned` for one action.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub action: Action,
    /// `true` when the key was already in the ledger: the stored action is returned
    /// unchanged (with its state, possibly `done`), nothing was duplicated.
    pub existing: bool,
}

/// What a finished side effect produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub odoo_ids: Vec<i64>,
    pub document_path: Option<String>,
    /// Hex SHA-256 of the document.
    pub document_sha256: Option<String>,
}

/// A person's decision on an `uncertain` action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// It was sent: the action becomes `done`.
    Sent,
    /// It was not sent: the action goes back to `planned` and will be performed again.
    Resend,
}

/// Which actions to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActionFilter {
    pub run: Option<RunId>,
    pub state: Option<ActionState>,
}

/// The last level an item was reminded at (`sent(i)` in FOLLOWUP.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredItemLevel {
    pub level_index: u32,
    pub level_key: String,
    pub date: NaiveDate,
}

/// The last communication sent to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastCommunication {
    pub level_index: u32,
    pub level_key: String,
    pub date: NaiveDate,
}

/// What the ledger knows about a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerState {
    pub last: Option<LastCommunication>,
    /// The marker tag (`res.partner.category` id) relanced last put on the customer.
    pub marker_tag_id: Option<i64>,
}

/// `(company_id, item_id)`.
pub type ItemRef = (i64, i64);
/// `(company_id, customer_id)`.
pub type CustomerRef = (i64, i64);

/// The follow-up state the engine reads, as plain maps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowupState {
    pub items: BTreeMap<ItemRef, StoredItemLevel>,
    pub customers: BTreeMap<CustomerRef, CustomerState>,
}

/// A communication that was performed, to be written in one transaction: the items'
/// levels, the customer's last communication, and the action marked `done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunicationDone {
    /// The action (usually the email or letter) that carried the communication; it must
    /// be `started`.
    pub action_id: ActionId,
    pub completion: Completion,
    pub company_id: CompanyId,
    pub customer_id: CustomerId,
    pub last: LastCommunication,
    /// Each listed item with the level it is now recorded at.
    pub items: Vec<(i64, StoredItemLevel)>,
    /// The personal paragraph (`customer_paragraphs.id`) the communication carried: it is
    /// marked used, with this action and its run, in the same transaction.
    #[serde(default)]
    pub paragraph: Option<i64>,
}
