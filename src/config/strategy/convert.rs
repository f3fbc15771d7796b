//! Conversion of validated strategy configuration into the engine's `StrategySet`:
//! disabled levels are dropped (enabled ones are numbered from 1), defaults filled in.

use super::validate::{parse_date, parse_responsible, validate};
use super::{
    InterestConfig, LevelConfig, MarkerSetting, ReferenceRateConfig, StrategyConfig, level_markers,
};
use crate::config::ConfigError;
use crate::followup::strategy::{ActivitySpec, Marker, ReferenceRate, Settings};
use crate::followup::{Interest, Level, LevelAction, Rule, Strategy, StrategySet};

/// Validates, then converts; all errors are returned at once.
pub fn strategy_set(
    strategies: &[StrategyConfig],
    rates: &[ReferenceRateConfig],
    settings: &crate::config::FollowupConfig,
    known_template: &dyn Fn(&str) -> bool,
) -> Result<StrategySet, Vec<ConfigError>> {
    let errors = validate(strategies, rates, settings, known_template);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut reference_rates: Vec<ReferenceRate> = rates
        .iter()
        .filter_map(|r| parse_date(&r.from).map(|from| ReferenceRate { from, rate: r.rate }))
        .collect();
    reference_rates.sort();
    Ok(StrategySet {
        strategies: strategies.iter().map(strategy).collect(),
        settings: Settings {
            exclusion_tag: settings.exclusion_tag.clone(),
            skip_blocked_invoices: settings.skip_blocked_invoices,
            fallback_user: settings.fallback_user,
            reference_rates,
            retired_marker_tags: strategies
                .iter()
                .flat_map(|s| s.levels.iter())
                .filter(|l| !l.enabled)
                .filter_map(|l| match &l.marker {
                    Some(MarkerSetting::Tag(m)) => Some(m.tag.clone()),
                    _ => None,
                })
                .collect(),
            // Set by the loader from `render.default_lang`.
            lang: Default::default(),
        },
    })
}

fn strategy(s: &StrategyConfig) -> Strategy {
    Strategy {
        name: s.name.clone(),
        is_default: s.default,
        tag: s.tag.clone(),
        companies: s.companies.clone(),
        rules: s
            .rules
            .iter()
            .map(|r| Rule {
                tags: r.tags.clone(),
                trust: r.trust.clone(),
                countries: r.countries.iter().map(|c| c.to_ascii_uppercase()).collect(),
                companies: r.companies.clone(),
                ref_prefix: r.ref_prefix.clone(),
            })
            .collect(),
        min_amount: s.min_amount.clone(),
        min_interval_days: s.min_interval_days,
        catch_up: s.catch_up,
        repeat_last_every_days: s.repeat_last_every_days,
        levels: s
            .levels
            .iter()
            .zip(level_markers(&s.levels))
            .filter(|(l, _)| l.enabled)
            .map(|(l, marker)| level(l, marker))
            .collect(),
    }
}

fn level(l: &LevelConfig, marker: Option<(String, i64)>) -> Level {
    Level {
        key: l.key.clone(),
        label: l.label.clone().unwrap_or_else(|| l.key.clone()),
        offset_days: l.offset_days,
        actions: l
            .actions
            .iter()
            .filter_map(|a| LevelAction::parse(a))
            .collect(),
        marker: marker.map(|(tag, color)| Marker {
            tag,
            // Validated to be within 0–11.
            color: u8::try_from(color).unwrap_or(0),
        }),
        template: l.template.clone().unwrap_or_else(|| l.key.clone()),
        fee: l.fee.clone(),
        interest: l.interest.map(|i| match i {
            InterestConfig::Fixed { rate } => Interest::Fixed { rate },
            InterestConfig::Statutory { margin } => Interest::Statutory { margin },
        }),
        indemnity: l.indemnity.clone(),
        responsible: l
            .responsible
            .as_deref()
            .and_then(parse_responsible)
            .unwrap_or_default(),
        fallback_user: l.fallback_user,
        approval: l.approval,
        activity: l.activity.as_ref().map(|a| ActivitySpec {
            activity_type: a.activity_type.clone(),
            summary: a.summary.clone(),
            note: a.note.clone(),
            deadline_days: a.deadline_days,
        }),
    }
}
