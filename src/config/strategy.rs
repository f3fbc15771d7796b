//! Strategies in configuration: the TOML schema of `[[strategy]]`, `[[strategy.level]]`,
//! `[[interest_reference_rate]]` and `[followup]`, its validation (every error at once,
//! with its exact key path) and its conversion into the engine's `StrategySet`.
//!
//! Configuration depends on the engine (`crate::followup`), never the reverse. Nothing
//! here reads files or the environment: the loader hands over deserialised values.

mod convert;
mod validate;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::followup::{Approval, CatchUp, Trust};

pub use convert::strategy_set;
pub use validate::validate;

/// `[[strategy]]`: a named, ordered list of levels and who follows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyConfig {
    pub name: String,
    /// The global default strategy (at most one).
    #[serde(default)]
    pub default: bool,
    /// Partner tag assigning this strategy, e.g. `Relance : Grands comptes`.
    #[serde(default)]
    pub tag: Option<String>,
    /// Company default for these company ids.
    #[serde(default)]
    pub companies: Vec<i64>,
    /// `[[strategy.rules]]`: any matching rule assigns the strategy.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// Minimum overdue amount per currency, e.g. `{ EUR = 5.0, USD = 5.0 }`.
    #[serde(default)]
    pub min_amount: BTreeMap<String, Decimal>,
    #[serde(default = "default_min_interval")]
    pub min_interval_days: i64,
    /// `step` (default) or `jump`.
    #[serde(default)]
    pub catch_up: CatchUp,
    #[serde(default)]
    pub repeat_last_every_days: Option<i64>,
    /// `[[strategy.level]]`, offsets strictly increasing.
    #[serde(default, rename = "level")]
    pub levels: Vec<LevelConfig>,
}

fn default_min_interval() -> i64 {
    7
}

/// `[[strategy.rules]]`: all given criteria must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Any of these partner tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// `good`, `normal`, `bad`.
    #[serde(default)]
    pub trust: Vec<Trust>,
    /// ISO country codes.
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub companies: Vec<i64>,
    /// Customer reference (`ref`) prefix.
    #[serde(default)]
    pub ref_prefix: Option<String>,
}

/// `[[strategy.level]]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelConfig {
    pub key: String,
    /// Shown in texts; defaults to the key.
    #[serde(default)]
    pub label: Option<String>,
    /// Days after the due date (negative: before it).
    pub offset_days: i64,
    /// Among `email`, `letter`, `call`, `activity`.
    pub actions: Vec<String>,
    /// Absent: `Relance N · <label>` in the colour of rank N (see `default_marker`);
    /// `marker = false`: no marker; `marker = { tag = "…", color = … }`: that one.
    #[serde(default)]
    pub marker: Option<MarkerSetting>,
    /// Template name; defaults to the key.
    #[serde(default)]
    pub template: Option<String>,
    /// Fixed fee per currency.
    #[serde(default)]
    pub fee: BTreeMap<String, Decimal>,
    #[serde(default)]
    pub interest: Option<InterestConfig>,
    /// Recovery indemnity per currency (business customers only), e.g. `{ EUR = 40.0 }`.
    #[serde(default)]
    pub indemnity: BTreeMap<String, Decimal>,
    /// `salesperson` (default), `invoice_salesperson` or `user:ID`.
    #[serde(default)]
    pub responsible: Option<String>,
    /// User id when no salesperson is found (else `[followup] fallback_user`).
    #[serde(default)]
    pub fallback_user: Option<i64>,
    /// `auto` (default) or `manual` (proposed, executed once approved).
    #[serde(default)]
    pub approval: Approval,
    /// The activity of the `activity` action.
    #[serde(default)]
    pub activity: Option<ActivityConfig>,
    #[serde(default = "default_enabled")]
    pub enabled: bool,
}

fn default_enabled() -> bool {
    true
}

/// `marker = { tag = "Relance 1 · Rappel amical", color = 10 }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerConfig {
    pub tag: String,
    /// Odoo colour index, 0–11; defaults to the colour of the level's rank.
    #[serde(default)]
    pub color: Option<i64>,
}

/// A level's `marker` key: `false` (explicit opt-out), `true` (the default marker) or
/// a tag with its colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkerSetting {
    Enabled(bool),
    Tag(MarkerConfig),
}

impl Serialize for MarkerSetting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            MarkerSetting::Enabled(on) => s.serialize_bool(*on),
            MarkerSetting::Tag(m) => m.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for MarkerSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = MarkerSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("false, or { tag = \"…\", color = 0–11 }")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<MarkerSetting, E> {
                Ok(MarkerSetting::Enabled(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MarkerSetting, A::Error> {
                MarkerConfig::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(MarkerSetting::Tag)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// Colours of the default markers by rank (Odoo colour indexes): green, yellow, orange,
/// red, then purple for the fifth level and beyond, as the default strategy.
pub const DEFAULT_MARKER_COLORS: [i64; 5] = [10, 3, 2, 1, 5];

/// The marker of the level of rank `rank` (1-based, among enabled levels) when its
/// configuration names none: `Relance 2 · Rappel standard` in yellow.
pub fn default_marker(rank: usize, label: &str) -> MarkerConfig {
    let color = DEFAULT_MARKER_COLORS[rank.clamp(1, DEFAULT_MARKER_COLORS.len()) - 1];
    MarkerConfig {
        tag: format!("Relance {rank} · {}", label.trim()),
        color: Some(color),
    }
}

/// The marker of each level of a strategy, in order: explicit, default (enabled levels
/// only, numbered from 1 as the engine does), or none (`marker = false`, or a disabled
/// level without an explicit marker). Colours are filled in.
pub fn level_markers(levels: &[LevelConfig]) -> Vec<Option<(String, i64)>> {
    let mut rank = 0;
    levels
        .iter()
        .map(|l| {
            if l.enabled {
                rank += 1;
            }
            let fallback = || default_marker(rank, l.label.as_deref().unwrap_or(&l.key));
            let m = match &l.marker {
                Some(MarkerSetting::Enabled(false)) => None,
                Some(MarkerSetting::Tag(m)) => Some(m.clone()),
                None | Some(MarkerSetting::Enabled(true)) => l.enabled.then(fallback),
            }?;
            let color = m.color.unwrap_or_else(|| {
                DEFAULT_MARKER_COLORS[rank.clamp(1, DEFAULT_MARKER_COLORS.len()) - 1]
            });
            Some((m.tag, color))
        })
        .collect()
}

/// `interest = { mode = "fixed", rate = 12.0 }` or `{ mode = "statutory", margin = 10.0 }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "lowercase", deny_unknown_fields)]
pub enum InterestConfig {
    Fixed { rate: Decimal },
    Statutory { margin: Decimal },
}

/// `activity = { type = "mail.mail_activity_data_todo", summary = "…", deadline_days = 0 }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityConfig {
    /// `mail.activity.type` xmlid or name.
    #[serde(rename = "type")]
    pub activity_type: String,
    pub summary: String,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub deadline_days: i64,
}

/// `[[interest_reference_rate]] from = "2026-01-01", rate = 2.15` (percent).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRateConfig {
    /// `YYYY-MM-DD`, normally 1 January or 1 July.
    pub from: String,
    pub rate: Decimal,
}

/// A file holding only strategies (such as `config/default-strategy.toml`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyFile {
    #[serde(default)]
    pub followup: crate::config::FollowupConfig,
    #[serde(default, rename = "strategy")]
    pub strategies: Vec<StrategyConfig>,
    #[serde(default)]
    pub interest_reference_rate: Vec<ReferenceRateConfig>,
}

impl StrategyFile {
    /// Validates and converts into the engine's strategies.
    pub fn strategy_set(
        &self,
        known_template: &dyn Fn(&str) -> bool,
    ) -> Result<crate::followup::StrategySet, Vec<crate::config::ConfigError>> {
        strategy_set(
            &self.strategies,
            &self.interest_reference_rate,
            &self.followup,
            known_template,
        )
    }
}
