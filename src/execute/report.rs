//! What a run did, for the summary, `relanced show` and metrics: counts, failures (the
//! text a person reads), customers left without email or waiting for approval, and why
//! a run stopped early. Plain data, serialised in the run's summary; it decides nothing.

use crate::followup::CustomerId;
use crate::ledger::ActionKind;
use std::collections::BTreeMap;

/// What a run did, for the summary, `relanced show` and metrics.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunReport {
    /// Communications performed, by level key.
    pub per_level: BTreeMap<String, usize>,
    pub emails: usize,
    pub letters: usize,
    pub notes: usize,
    pub activities: usize,
    pub markers: usize,
    /// Actions found already done (a rerun on the same day).
    pub already_done: usize,
    pub failures: Vec<Failure>,
    /// Customers without an email address (a letter replaced the email).
    pub no_email: Vec<CustomerId>,
    /// Emails whose fate is unknown: a person must confirm them.
    pub uncertain: Vec<String>,
    /// Customers whose level waits for `relanced approve`.
    pub awaiting_approval: Vec<CustomerId>,
    /// The run stopped early (shutdown asked).
    pub interrupted: bool,
    /// The run stopped early because a server cannot be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halted: Option<Halt>,
}

/// Why a run stopped before its end: a server it cannot reach (its circuit breaker
/// tripped), and how many customers were left as they were for the next run.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Halt {
    /// `SMTP 127.0.0.1:2525`, `Odoo erp.example.com:443`.
    pub server: String,
    pub cause: String,
    pub customers_left: usize,
}

impl std::fmt::Display for Halt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.customers_left;
        write!(
            f,
            "{} unreachable: {}, {n} customer{} left for the next run",
            self.server,
            self.cause,
            if n == 1 { "" } else { "s" }
        )
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub customer_id: CustomerId,
    pub action: String,
    pub reason: String,
}

impl RunReport {
    pub fn merge(&mut self, other: RunReport) {
        for (k, v) in other.per_level {
            *self.per_level.entry(k).or_default() += v;
        }
        self.emails += other.emails;
        self.letters += other.letters;
        self.notes += other.notes;
        self.activities += other.activities;
        self.markers += other.markers;
        self.already_done += other.already_done;
        self.failures.extend(other.failures);
        self.no_email.extend(other.no_email);
        self.uncertain.extend(other.uncertain);
        self.awaiting_approval.extend(other.awaiting_approval);
        self.interrupted |= other.interrupted;
        if self.halted.is_none() {
            self.halted = other.halted;
        }
    }

    pub(crate) fn count(&mut self, kind: ActionKind) {
        match kind {
            ActionKind::Email => self.emails += 1,
            ActionKind::Letter => self.letters += 1,
            ActionKind::Note => self.notes += 1,
            ActionKind::Activity => self.activities += 1,
            ActionKind::Marker => self.markers += 1,
            ActionKind::Attachment | ActionKind::State => {}
        }
    }
}
