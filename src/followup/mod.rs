//! The follow-up engine: from a snapshot of open items, what the ledger remembers and the
//! configured strategies, decide per customer which reminder level is due, what to do,
//! to whom, and why (FOLLOWUP.md is the behaviour, this module its implementation).
//!
//! `plan(snapshot, ledger, strategies, as_of) -> Plan` is a pure, deterministic function:
//! no I/O, no clock, no randomness. This module depends on std, chrono, rust_decimal and
//! serde only; it must never import `odoo`, `deliver`, `ledger` or `config` (they depend
//! on it, not the reverse).

mod actions;
pub mod assign;
mod communicate;
pub mod decision;
pub mod eligibility;
pub mod explain;
pub mod fees;
pub mod gating;
pub mod ids;
pub mod level;
pub mod marker;
pub mod model;
mod plan;
mod reasons;
pub mod record;
pub mod strategy;
pub mod words;

pub use assign::AssignedBy;
pub use decision::{
    Communication, CurrencyTotal, Decision, ItemRecord, ListedItem, NothingReason, Outcome, Plan,
    PlannedAction, Recipient, Responsible, ResponsibleSource,
};
pub use eligibility::ItemStatus;
pub use ids::{CompanyId, CustomerId};
pub use marker::MarkerShown;
pub use model::{
    Company, Contact, Customer, CustomerLast, Features, Invoice, ItemLevel, LedgerState, OpenItem,
    Postponement, PostponementTarget, Snapshot, Tag, Trust, UserRef,
};
pub use plan::plan;
pub use record::{apply_executed, levels_to_record};
pub use strategy::{
    ActivitySpec, Approval, CatchUp, Interest, Level, LevelAction, Marker, ReferenceRate,
    ResponsibleRule, Rule, Settings, Strategy, StrategySet,
};
pub use words::{Lang, Words};
