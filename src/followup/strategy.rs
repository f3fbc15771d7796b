//! Strategies as the engine sees them: validated, enabled levels only, numbered from 1.
//!
//! Built by `config::strategy` from the TOML (or directly by tests). Nothing here reads
//! files or checks configuration syntax: a `StrategySet` is assumed valid (offsets
//! strictly increasing, at most one default).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::model::Trust;

/// Default name of the partner tag that excludes a customer from follow-up.
pub const DEFAULT_EXCLUSION_TAG: &str = "Relance : exclu";

/// A strategy with this name follows nobody: its customers are "not followed".
pub const STRATEGY_NONE: &str = "none";

/// How an item that is late for several levels at once is brought up to date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CatchUp {
    /// One level after the other, never skipping (default).
    #[default]
    Step,
    /// Straight to the highest level whose offset has elapsed.
    Jump,
}

/// What a level does (`actions = ["email", "call"]`); not to be confused with the
/// ledger's `ActionKind`, the kind of one recorded side effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LevelAction {
    Email,
    Letter,
    Call,
    Activity,
}

impl LevelAction {
    pub const ALL: [(&'static str, LevelAction); 4] = [
        ("email", LevelAction::Email),
        ("letter", LevelAction::Letter),
        ("call", LevelAction::Call),
        ("activity", LevelAction::Activity),
    ];

    /// Parses the configuration name (`email`, `letter`, `call`, `activity`).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// Whether a planned communication is executed or only proposed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Approval {
    #[default]
    Auto,
    Manual,
}

/// The partner tag showing a level on the customer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Marker {
    pub tag: String,
    /// Odoo colour index 0–11.
    pub color: u8,
}

/// Late interest of a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Interest {
    /// A fixed annual rate in percent.
    Fixed { rate: Decimal },
    /// Reference rate of the half-year plus a margin, in points.
    Statutory { margin: Decimal },
}

/// Who gets the call or activity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "user_id")]
pub enum ResponsibleRule {
    /// The customer's salesperson, else the invoice's, else the fallback user.
    #[default]
    Salesperson,
    /// The salesperson of the largest overdue invoice, else the customer's, else fallback.
    InvoiceSalesperson,
    /// A fixed user.
    User(i64),
}

/// The activity created by the `activity` action.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitySpec {
    /// `mail.activity.type` xmlid or name.
    pub activity_type: String,
    pub summary: String,
    pub note: Option<String>,
    pub deadline_days: i64,
}

/// One level of a strategy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub key: String,
    pub label: String,
    pub offset_days: i64,
    pub actions: Vec<LevelAction>,
    pub marker: Option<Marker>,
    /// Template name (defaults to the key).
    pub template: String,
    /// Fixed fee per currency.
    pub fee: BTreeMap<String, Decimal>,
    pub interest: Option<Interest>,
    /// Recovery indemnity per currency, once per invoice, business customers only.
    pub indemnity: BTreeMap<String, Decimal>,
    pub responsible: ResponsibleRule,
    /// Overrides the global fallback user for this level.
    pub fallback_user: Option<i64>,
    pub approval: Approval,
    pub activity: Option<ActivitySpec>,
}

impl Level {
    /// A level with the given key and offset, an email action and no extras.
    pub fn new(key: &str, offset_days: i64) -> Self {
        Self {
            key: key.to_owned(),
            label: key.to_owned(),
            offset_days,
            actions: vec![LevelAction::Email],
            marker: None,
            template: key.to_owned(),
            fee: BTreeMap::new(),
            interest: None,
            indemnity: BTreeMap::new(),
            responsible: ResponsibleRule::Salesperson,
            fallback_user: None,
            approval: Approval::Auto,
            activity: None,
        }
    }
}

/// A configuration rule assigning a strategy. All given criteria must hold; empty ones
/// are ignored. A rule with no criterion matches nobody.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub tags: Vec<String>,
    pub trust: Vec<Trust>,
    /// ISO country codes.
    pub countries: Vec<String>,
    pub companies: Vec<i64>,
    /// Prefix of the customer reference (`ref`).
    pub ref_prefix: Option<String>,
}

/// A named, ordered list of levels (enabled ones only, offsets strictly increasing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    pub name: String,
    pub is_default: bool,
    /// Partner tag assigning this strategy.
    pub tag: Option<String>,
    /// Company default for these company ids.
    pub companies: Vec<i64>,
    pub rules: Vec<Rule>,
    /// Minimum overdue amount per currency.
    pub min_amount: BTreeMap<String, Decimal>,
    pub min_interval_days: i64,
    pub catch_up: CatchUp,
    pub repeat_last_every_days: Option<i64>,
    pub levels: Vec<Level>,
}

impl Strategy {
    /// A strategy with these levels, step mode, no minimum, no interval.
    pub fn new(name: &str, levels: Vec<Level>) -> Self {
        Self {
            name: name.to_owned(),
            is_default: false,
            tag: None,
            companies: Vec::new(),
            rules: Vec::new(),
            min_amount: BTreeMap::new(),
            min_interval_days: 0,
            catch_up: CatchUp::Step,
            repeat_last_every_days: None,
            levels,
        }
    }

    /// Level number `n` (1-based).
    pub fn level(&self, n: u32) -> Option<&Level> {
        let index = usize::try_from(n).ok()?.checked_sub(1)?;
        self.levels.get(index)
    }

    /// Number of the level with this key.
    pub fn level_number(&self, key: &str) -> Option<u32> {
        let index = self.levels.iter().position(|l| l.key == key)?;
        u32::try_from(index + 1).ok()
    }

    /// Number of levels (the last level's number).
    pub fn last_level(&self) -> u32 {
        u32::try_from(self.levels.len()).unwrap_or(u32::MAX)
    }

    /// Offset of level `n`, if it exists.
    pub fn offset(&self, n: u32) -> Option<i64> {
        self.level(n).map(|l| l.offset_days)
    }
}

/// The central bank reference rate in force from a date (percent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReferenceRate {
    pub from: NaiveDate,
    pub rate: Decimal,
}

/// Settings that are not per strategy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub exclusion_tag: String,
    /// Items of an invoice with `payment_state = 'blocked'` are not counted.
    pub skip_blocked_invoices: bool,
    /// User who gets calls and activities when no salesperson is known.
    pub fallback_user: Option<i64>,
    /// Sorted by `from`.
    pub reference_rates: Vec<ReferenceRate>,
    /// Marker tags of disabled levels: never shown, still removed from customers.
    pub retired_marker_tags: Vec<String>,
    /// The company's language: what relanced writes into Odoo (chatter notes,
    /// activities) is in it.
    #[serde(default)]
    pub lang: super::words::Lang,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            exclusion_tag: DEFAULT_EXCLUSION_TAG.to_owned(),
            skip_blocked_invoices: true,
            fallback_user: None,
            reference_rates: Vec::new(),
            retired_marker_tags: Vec::new(),
            lang: super::words::Lang::default(),
        }
    }
}

/// All strategies in configuration order, with the global settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrategySet {
    pub strategies: Vec<Strategy>,
    pub settings: Settings,
}

impl StrategySet {
    /// Every marker tag name of every strategy (to remove stale markers).
    pub fn marker_tags(&self) -> std::collections::BTreeSet<&str> {
        self.strategies
            .iter()
            .flat_map(|s| s.levels.iter())
            .filter_map(|l| l.marker.as_ref().map(|m| m.tag.as_str()))
            .chain(self.settings.retired_marker_tags.iter().map(String::as_str))
            .collect()
    }
}
