//! Validation of the strategy configuration: every problem at once, each with its exact
//! key path (`strategy[0].level[2].offset_days: offsets must strictly increase (15 after
//! 30)`) and what to write instead. Checks only; conversion is in `convert.rs`.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    InterestConfig, LevelConfig, MarkerSetting, ReferenceRateConfig, StrategyConfig, level_markers,
};
use crate::config::ConfigError;
use crate::followup::LevelAction;
use crate::followup::strategy::{ResponsibleRule, STRATEGY_NONE};

/// Every problem of the strategy configuration (empty: valid).
pub fn validate(
    strategies: &[StrategyConfig],
    rates: &[ReferenceRateConfig],
    settings: &crate::config::FollowupConfig,
    known_template: &dyn Fn(&str) -> bool,
) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    if settings.exclusion_tag.trim().is_empty() {
        errors.push(ConfigError::new(
            "followup.exclusion_tag",
            "must not be empty (default \"Relance : exclu\")",
        ));
    }
    let mut default_at: Option<usize> = None;
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, s) in strategies.iter().enumerate() {
        let at = format!("strategy[{i}]");
        if s.name.trim().is_empty() {
            errors.push(ConfigError::new(format!("{at}.name"), "must not be empty"));
        } else if let Some(first) = names.insert(&s.name, i) {
            errors.push(ConfigError::new(
                format!("{at}.name"),
                format!(
                    "\"{}\" is already the name of strategy[{first}]; names must be unique",
                    s.name
                ),
            ));
        }
        if s.default {
            match default_at {
                Some(first) => errors.push(ConfigError::new(
                    format!("{at}.default"),
                    format!("only one strategy may be the default; strategy[{first}] already is"),
                )),
                None => default_at = Some(i),
            }
        }
        if let Some(tag) = &s.tag {
            if tag.trim().is_empty() {
                errors.push(ConfigError::new(
                    format!("{at}.tag"),
                    "must not be empty; remove the key instead",
                ));
            } else if let Some(first) = tags.insert(tag, i) {
                errors.push(ConfigError::new(
                    format!("{at}.tag"),
                    format!("tag \"{tag}\" already assigns strategy[{first}]; each strategy needs its own tag"),
                ));
            }
        }
        check_strategy(&at, s, rates, known_template, &mut errors);
    }
    check_rates(rates, &mut errors);
    errors
}

fn check_amounts(at: &str, amounts: &BTreeMap<String, Decimal>, errors: &mut Vec<ConfigError>) {
    for (currency, amount) in amounts {
        let key = format!("{at}.{currency}");
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            errors.push(ConfigError::new(
                &key,
                "currency must be an ISO code such as EUR",
            ));
        }
        if *amount < Decimal::ZERO {
            errors.push(ConfigError::new(
                &key,
                format!("amount must not be negative (got {amount})"),
            ));
        }
    }
}

fn check_strategy(
    at: &str,
    s: &StrategyConfig,
    rates: &[ReferenceRateConfig],
    known_template: &dyn Fn(&str) -> bool,
    errors: &mut Vec<ConfigError>,
) {
    if s.levels.is_empty() && s.name != STRATEGY_NONE {
        errors.push(ConfigError::new(
            format!("{at}.level"),
            "a strategy needs at least one [[strategy.level]] (name it \"none\" to follow nobody)",
        ));
    }
    check_amounts(&format!("{at}.min_amount"), &s.min_amount, errors);
    if s.min_interval_days < 0 {
        errors.push(ConfigError::new(
            format!("{at}.min_interval_days"),
            "must be 0 or more days",
        ));
    }
    if s.repeat_last_every_days.is_some_and(|d| d <= 0) {
        errors.push(ConfigError::new(
            format!("{at}.repeat_last_every_days"),
            "must be at least 1 day; remove the key to never repeat the last level",
        ));
    }
    for (j, r) in s.rules.iter().enumerate() {
        let key = format!("{at}.rules[{j}]");
        if r.tags.is_empty()
            && r.trust.is_empty()
            && r.countries.is_empty()
            && r.companies.is_empty()
            && r.ref_prefix.is_none()
        {
            errors.push(ConfigError::new(key, "an empty rule matches nobody; give tags, trust, countries, companies or ref_prefix"));
        } else if r.ref_prefix.as_deref().is_some_and(|p| p.is_empty()) {
            errors.push(ConfigError::new(
                format!("{key}.ref_prefix"),
                "must not be empty",
            ));
        }
    }
    let level_markers = level_markers(&s.levels);
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let mut markers: BTreeMap<&str, usize> = BTreeMap::new();
    let mut previous: Option<i64> = None;
    for (j, level) in s.levels.iter().enumerate() {
        let lat = format!("{at}.level[{j}]");
        if level.key.trim().is_empty() {
            errors.push(ConfigError::new(format!("{lat}.key"), "must not be empty"));
        } else if let Some(first) = keys.insert(&level.key, j) {
            errors.push(ConfigError::new(
                format!("{lat}.key"),
                format!(
                    "duplicate level key \"{}\" (already {at}.level[{first}])",
                    level.key
                ),
            ));
        }
        if let Some(prev) = previous
            && level.offset_days <= prev
        {
            errors.push(ConfigError::new(
                format!("{lat}.offset_days"),
                format!(
                    "offsets must strictly increase ({} after {prev})",
                    level.offset_days
                ),
            ));
        }
        previous = Some(level.offset_days);
        if let Some((tag, _)) = &level_markers[j]
            && let Some(first) = markers.insert(tag, j)
        {
            errors.push(ConfigError::new(
                format!("{lat}.marker.tag"),
                format!(
                    "tag \"{tag}\" already marks {at}.level[{first}]; each level needs its own marker"
                ),
            ));
        }
        check_level(&lat, level, rates, known_template, errors);
    }
}

fn check_level(
    at: &str,
    level: &LevelConfig,
    rates: &[ReferenceRateConfig],
    known_template: &dyn Fn(&str) -> bool,
    errors: &mut Vec<ConfigError>,
) {
    if level.actions.is_empty() {
        errors.push(ConfigError::new(
            format!("{at}.actions"),
            "give at least one of email, letter, call, activity",
        ));
    }
    let mut seen = BTreeSet::new();
    for (k, name) in level.actions.iter().enumerate() {
        match LevelAction::parse(name) {
            None => errors.push(ConfigError::new(
                format!("{at}.actions[{k}]"),
                format!("unknown action \"{name}\"; use email, letter, call or activity"),
            )),
            Some(kind) if !seen.insert(kind) => {
                errors.push(ConfigError::new(
                    format!("{at}.actions[{k}]"),
                    format!("action \"{name}\" is listed twice"),
                ));
            }
            Some(LevelAction::Activity) if level.activity.is_none() => {
                errors.push(ConfigError::new(
                    format!("{at}.activity"),
                    "the \"activity\" action needs activity = { type = \"…\", summary = \"…\" }",
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(MarkerSetting::Tag(m)) = &level.marker {
        if m.tag.trim().is_empty() {
            errors.push(ConfigError::new(
                format!("{at}.marker.tag"),
                "must not be empty",
            ));
        }
        if let Some(color) = m.color
            && !(0..=11).contains(&color)
        {
            errors.push(ConfigError::new(
                format!("{at}.marker.color"),
                format!("Odoo colours go from 0 to 11 (got {color})"),
            ));
        }
    }
    let template = level.template.as_deref().unwrap_or(&level.key);
    if !known_template(template) {
        let hint = if level.template.is_none() {
            " (the template defaults to the level key)"
        } else {
            ""
        };
        errors.push(ConfigError::new(
            format!("{at}.template"),
            format!("unknown template \"{template}\"{hint}; add templates/{template}.<lang>.mjml or name an existing one"),
        ));
    }
    check_amounts(&format!("{at}.fee"), &level.fee, errors);
    check_amounts(&format!("{at}.indemnity"), &level.indemnity, errors);
    match level.interest {
        Some(InterestConfig::Fixed { rate }) if rate < Decimal::ZERO => {
            errors.push(ConfigError::new(
                format!("{at}.interest.rate"),
                "must not be negative",
            ));
        }
        Some(InterestConfig::Statutory { margin }) => {
            if margin < Decimal::ZERO {
                errors.push(ConfigError::new(
                    format!("{at}.interest.margin"),
                    "must not be negative",
                ));
            }
            if rates.is_empty() {
                errors.push(ConfigError::new(
                    format!("{at}.interest"),
                    "statutory interest needs [[interest_reference_rate]] entries (from = \"2026-01-01\", rate = 2.15)",
                ));
            }
        }
        _ => {}
    }
    if let Some(text) = &level.responsible
        && parse_responsible(text).is_none()
    {
        errors.push(ConfigError::new(
            format!("{at}.responsible"),
            format!("\"{text}\" is not salesperson, invoice_salesperson or user:ID (e.g. user:7)"),
        ));
    }
    if let Some(a) = &level.activity {
        if a.activity_type.trim().is_empty() {
            errors.push(ConfigError::new(
                format!("{at}.activity.type"),
                "must name a mail.activity.type (xmlid or name)",
            ));
        }
        if a.deadline_days < 0 {
            errors.push(ConfigError::new(
                format!("{at}.activity.deadline_days"),
                "must be 0 or more days",
            ));
        }
    }
}

fn check_rates(rates: &[ReferenceRateConfig], errors: &mut Vec<ConfigError>) {
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (k, r) in rates.iter().enumerate() {
        let key = format!("interest_reference_rate[{k}].from");
        match parse_date(&r.from) {
            None => errors.push(ConfigError::new(
                key,
                format!("\"{}\" is not a date; write YYYY-MM-DD", r.from),
            )),
            Some(date) => {
                if let Some(first) = seen.insert(date, k) {
                    errors.push(ConfigError::new(
                        key,
                        format!("{date} is already given by interest_reference_rate[{first}]"),
                    ));
                }
            }
        }
    }
}

/// `YYYY-MM-DD`.
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// `salesperson`, `invoice_salesperson`, `user:ID`.
pub(super) fn parse_responsible(text: &str) -> Option<ResponsibleRule> {
    match text.trim() {
        "salesperson" => Some(ResponsibleRule::Salesperson),
        "invoice_salesperson" => Some(ResponsibleRule::InvoiceSalesperson),
        other => other
            .strip_prefix("user:")
            .and_then(|id| id.trim().parse::<i64>().ok())
            .filter(|id| *id > 0)
            .map(ResponsibleRule::User),
    }
}
