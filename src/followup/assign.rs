//! Which strategy a customer follows (FOLLOWUP.md, "Which strategy a customer follows").
//!
//! First match wins: exclusion tag, strategy tag (first in configuration order, conflicts
//! reported), rules, company default, global default. Pure lookup: it never changes tags.

use serde::Serialize;

use super::model::Customer;
use super::strategy::{Rule, STRATEGY_NONE, Strategy, StrategySet};

/// Why a customer follows the strategy it follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum AssignedBy {
    Tag { tag: String },
    Rule { index: usize },
    CompanyDefault { company_id: i64 },
    GlobalDefault,
}

/// The outcome of the assignment.
#[derive(Clone, Debug, PartialEq)]
pub enum Assignment<'s> {
    /// Not followed: excluded by tag, or the `none` strategy, or no strategy at all.
    NotFollowed { reason: String },
    Followed {
        strategy: &'s Strategy,
        by: AssignedBy,
        /// Other strategy tags the customer carries, ignored (first one wins).
        conflicts: Vec<String>,
    },
}

/// Finds the strategy of `customer` in company `company_id`.
pub fn assign<'s>(customer: &Customer, company_id: i64, set: &'s StrategySet) -> Assignment<'s> {
    let exclusion = set.settings.exclusion_tag.as_str();
    if customer.has_tag(exclusion) {
        return Assignment::NotFollowed {
            reason: format!("excluded (tag \"{exclusion}\")"),
        };
    }
    let tagged: Vec<&Strategy> = set
        .strategies
        .iter()
        .filter(|s| s.tag.as_deref().is_some_and(|t| customer.has_tag(t)))
        .collect();
    let found = if let Some((first, others)) = tagged.split_first() {
        let conflicts = others.iter().filter_map(|s| s.tag.clone()).collect();
        Some((
            *first,
            AssignedBy::Tag {
                tag: first.tag.clone().unwrap_or_default(),
            },
            conflicts,
        ))
    } else {
        by_rule(customer, company_id, set)
            .or_else(|| by_default(company_id, set))
            .map(|(s, by)| (s, by, Vec::new()))
    };
    match found {
        Some((strategy, _, _)) if strategy.name == STRATEGY_NONE || strategy.levels.is_empty() => {
            Assignment::NotFollowed {
                reason: format!("strategy \"{}\" follows nobody", strategy.name),
            }
        }
        Some((strategy, by, conflicts)) => Assignment::Followed {
            strategy,
            by,
            conflicts,
        },
        None => Assignment::NotFollowed {
            reason: "no strategy applies (no tag, rule or default)".to_owned(),
        },
    }
}

fn by_rule<'s>(
    c: &Customer,
    company_id: i64,
    set: &'s StrategySet,
) -> Option<(&'s Strategy, AssignedBy)> {
    set.strategies.iter().find_map(|s| {
        s.rules
            .iter()
            .position(|r| rule_matches(r, c, company_id))
            .map(|index| (s, AssignedBy::Rule { index }))
    })
}

fn by_default(company_id: i64, set: &StrategySet) -> Option<(&Strategy, AssignedBy)> {
    set.strategies
        .iter()
        .find(|s| s.companies.contains(&company_id))
        .map(|s| (s, AssignedBy::CompanyDefault { company_id }))
        .or_else(|| {
            set.strategies
                .iter()
                .find(|s| s.is_default)
                .map(|s| (s, AssignedBy::GlobalDefault))
        })
}

/// All given criteria hold (tags: any of them; others: one of the listed values).
pub fn rule_matches(rule: &Rule, c: &Customer, company_id: i64) -> bool {
    let has_criterion = !rule.tags.is_empty()
        || !rule.trust.is_empty()
        || !rule.countries.is_empty()
        || !rule.companies.is_empty()
        || rule.ref_prefix.is_some();
    let company = c.company_id.unwrap_or(company_id);
    has_criterion
        && (rule.tags.is_empty() || rule.tags.iter().any(|t| c.has_tag(t)))
        && (rule.trust.is_empty() || rule.trust.contains(&c.trust))
        && (rule.countries.is_empty()
            || c.country_code
                .as_deref()
                .is_some_and(|cc| rule.countries.iter().any(|x| x.eq_ignore_ascii_case(cc))))
        && (rule.companies.is_empty() || rule.companies.contains(&company))
        && rule
            .ref_prefix
            .as_deref()
            .is_none_or(|p| c.reference.as_deref().is_some_and(|r| r.starts_with(p)))
}
