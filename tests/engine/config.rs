//! Strategies in configuration: the shipped default strategy loads and validates, and
//! every validation error names its exact key path.

use relanced::config::ConfigError;
use relanced::config::strategy::StrategyFile;
use relanced::followup::{Approval, Interest, LevelAction, ResponsibleRule};

const DEFAULT: &str = include_str!("../../config/default-strategy.toml");
const TEMPLATES: [&str; 6] = [
    "predue",
    "amical",
    "standard",
    "urgent",
    "suspension",
    "demeure",
];

fn known(name: &str) -> bool {
    TEMPLATES.contains(&name)
}

fn parse(text: &str) -> StrategyFile {
    toml::from_str(text).unwrap_or_else(|e| panic!("TOML does not parse: {e}"))
}

fn errors(text: &str) -> Vec<ConfigError> {
    parse(text)
        .strategy_set(&known)
        .expect_err("configuration should be refused")
}

fn keys(errors: &[ConfigError]) -> Vec<&str> {
    errors.iter().map(|e| e.key.as_str()).collect()
}

#[test]
fn default_strategy_file_loads_and_validates() {
    let file = parse(DEFAULT);
    let keys: Vec<_> = file.strategies[0]
        .levels
        .iter()
        .map(|l| l.key.as_str())
        .collect();
    assert_eq!(keys, TEMPLATES);
    let set = file
        .strategy_set(&known)
        .unwrap_or_else(|e| panic!("default strategy invalid: {e:?}"));
    let s = &set.strategies[0];
    assert!(s.is_default);
    // The pre-due level ships disabled: the engine sees five levels, numbered from 1.
    let enabled: Vec<_> = s
        .levels
        .iter()
        .map(|l| (l.key.as_str(), l.offset_days))
        .collect();
    assert_eq!(
        enabled,
        vec![
            ("amical", 3),
            ("standard", 15),
            ("urgent", 30),
            ("suspension", 45),
            ("demeure", 60)
        ]
    );
    assert_eq!(
        s.levels[0].marker.as_ref().map(|m| m.tag.as_str()),
        Some("Relance 1 · Rappel amical")
    );
    let colours: Vec<u8> = s
        .levels
        .iter()
        .filter_map(|l| l.marker.as_ref().map(|m| m.color))
        .collect();
    assert_eq!(colours, vec![10, 3, 2, 1, 5]);
    assert_eq!(
        s.levels[2].actions,
        vec![LevelAction::Email, LevelAction::Letter, LevelAction::Call]
    );
    assert!(matches!(
        s.levels[2].interest,
        Some(Interest::Statutory { .. })
    ));
    assert_eq!(
        s.levels[2].indemnity.get("EUR").map(|d| d.to_string()),
        Some("40".into())
    );
    assert_eq!(s.levels[2].responsible, ResponsibleRule::Salesperson);
    assert_eq!(s.levels[4].approval, Approval::Manual);
    assert_eq!(
        s.levels[4].actions,
        vec![LevelAction::Letter, LevelAction::Activity]
    );
    assert_eq!(
        s.levels[4].activity.as_ref().map(|a| a.summary.as_str()),
        Some("Transmettre au recouvrement")
    );
    assert_eq!(set.settings.exclusion_tag, "Relance : exclu");
    assert!(!set.settings.reference_rates.is_empty());
}

#[test]
fn offsets_must_strictly_increase() {
    let e = errors(
        r#"
[[strategy]]
name = "s"
[[strategy.level]]
key = "amical"
offset_days = 3
actions = ["email"]
[[strategy.level]]
key = "urgent"
offset_days = 30
actions = ["email"]
[[strategy.level]]
key = "standard"
offset_days = 15
actions = ["email"]
"#,
    );
    assert_eq!(
        e,
        vec![ConfigError::new(
            "strategy[0].level[2].offset_days",
            "offsets must strictly increase (15 after 30)"
        )]
    );
    assert_eq!(
        e[0].to_string(),
        "strategy[0].level[2].offset_days: offsets must strictly increase (15 after 30)"
    );
}

#[test]
fn every_error_is_reported_at_once_with_its_key_path() {
    let e = errors(
        r#"
[[strategy]]
name = "a"
default = true
tag = "Relance : A"
min_amount = { EUR = -1.0 }
[[strategy.level]]
key = "amical"
offset_days = 3
actions = ["email", "fax"]
marker = { tag = "R1", color = 12 }
[[strategy.level]]
key = "amical"
offset_days = 10
actions = ["letter"]
template = "nope"
fee = { EUR = -2.0 }
responsible = "boss"
interest = { mode = "statutory", margin = 10.0 }

[[strategy]]
name = "b"
default = true
tag = "Relance : A"

[[strategy]]
name = "c"
[[strategy.level]]
key = "custom"
offset_days = 1
actions = ["activity"]
"#,
    );
    let mut got = keys(&e);
    got.sort();
    let mut want = vec![
        "strategy[0].min_amount.EUR",
        "strategy[0].level[0].actions[1]",
        "strategy[0].level[0].marker.color",
        "strategy[0].level[1].key",
        "strategy[0].level[1].template",
        "strategy[0].level[1].fee.EUR",
        "strategy[0].level[1].responsible",
        "strategy[0].level[1].interest",
        "strategy[1].default",
        "strategy[1].tag",
        "strategy[1].level",
        "strategy[2].level[0].activity",
        "strategy[2].level[0].template",
    ];
    want.sort();
    assert_eq!(got, want, "{e:#?}");
    let msg = |key: &str| {
        e.iter()
            .find(|x| x.key == key)
            .map(|x| x.message.clone())
            .unwrap_or_default()
    };
    assert!(msg("strategy[0].level[0].actions[1]").contains("unknown action \"fax\""));
    assert!(msg("strategy[0].level[0].marker.color").contains("0 to 11 (got 12)"));
    assert!(msg("strategy[0].level[1].key").contains("duplicate level key \"amical\""));
    assert!(msg("strategy[0].level[1].template").contains("unknown template \"nope\""));
    assert!(msg("strategy[1].default").contains("strategy[0] already is"));
    assert!(msg("strategy[1].tag").contains("already assigns strategy[0]"));
    assert!(msg("strategy[1].level").contains("at least one"));
    assert!(msg("strategy[2].level[0].template").contains("defaults to the level key"));
}

#[test]
fn reference_rates_must_be_dates() {
    let e = errors(
        r#"
[[interest_reference_rate]]
from = "1er janvier"
rate = 2.0
[[strategy]]
name = "s"
[[strategy.level]]
key = "amical"
offset_days = 3
actions = ["email"]
"#,
    );
    assert_eq!(keys(&e), vec!["interest_reference_rate[0].from"]);
}

#[test]
fn unknown_keys_are_refused_by_the_schema() {
    let text = "[[strategy]]\nname = \"s\"\nmin_amout = { EUR = 5.0 }\n";
    let err = toml::from_str::<StrategyFile>(text).expect_err("typo must be refused");
    assert!(err.to_string().contains("min_amout"), "{err}");
}

/// Issue 10: a level without `marker` shows `Relance N · <label>` in the colour of its
/// rank; `marker = false` opts out; a tag without colour takes the rank's colour.
#[test]
fn a_level_without_marker_gets_relance_n_and_its_label_unless_marker_is_false() {
    let file = parse(
        r#"
[[strategy]]
name = "s"
[[strategy.level]]
key = "predue"
offset_days = -3
actions = ["email"]
enabled = false
[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = ["email"]
[[strategy.level]]
key = "standard"
offset_days = 15
actions = ["email"]
marker = false
[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 30
actions = ["email"]
marker = { tag = "Urgent !" }
[[strategy.level]]
key = "suspension"
label = "Suspension"
offset_days = 45
actions = ["email"]
[[strategy.level]]
key = "demeure"
label = "Mise en demeure"
offset_days = 60
actions = ["email"]
marker = true
[[strategy.level]]
key = "huissier"
label = "Huissier"
offset_days = 90
actions = ["email"]
"#,
    );
    let set = file
        .strategy_set(&|_| true)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let markers: Vec<Option<(&str, u8)>> = set.strategies[0]
        .levels
        .iter()
        .map(|l| l.marker.as_ref().map(|m| (m.tag.as_str(), m.color)))
        .collect();
    assert_eq!(
        markers,
        vec![
            Some(("Relance 1 · Rappel amical", 10)),
            None,
            Some(("Urgent !", 2)),
            Some(("Relance 4 · Suspension", 1)),
            Some(("Relance 5 · Mise en demeure", 5)),
            Some(("Relance 6 · Huissier", 5)),
        ]
    );
    // A disabled level without an explicit marker has none to retire.
    assert!(set.settings.retired_marker_tags.is_empty());
}

#[test]
fn a_marker_that_is_neither_false_nor_a_tag_is_refused_with_what_to_write() {
    let text = "[[strategy]]\nname = \"s\"\n[[strategy.level]]\nkey = \"amical\"\noffset_days = 3\nactions = [\"email\"]\nmarker = \"Relance 1\"\n";
    let err = toml::from_str::<StrategyFile>(text).expect_err("a bare string is not a marker");
    assert!(err.to_string().contains("false, or { tag = "), "{err}");
}

#[test]
fn a_default_marker_colliding_with_an_explicit_one_is_refused() {
    let e = errors(
        r#"
[[strategy]]
name = "s"
[[strategy.level]]
key = "amical"
label = "Rappel"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance 2 · Rappel", color = 4 }
[[strategy.level]]
key = "standard"
label = "Rappel"
offset_days = 15
actions = ["email"]
"#,
    );
    assert_eq!(keys(&e), vec!["strategy[0].level[1].marker.tag"]);
}
