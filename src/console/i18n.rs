//! The console's words in its three languages (English, French, Dutch), chosen from the
//! user's Odoo `lang` (`fr_BE` → French, `nl_BE` → Dutch, anything else → English).
//! Templates read them as `t.key`; a test checks that every key a template uses exists.

use std::collections::BTreeMap;

use super::words::WORDS;

/// The interface language for an Odoo `lang` code.
pub fn ui_lang(odoo_lang: Option<&str>) -> &'static str {
    match odoo_lang.unwrap_or("").get(..2) {
        Some("fr") => "fr",
        Some("nl") => "nl",
        _ => "en",
    }
}

/// Every word in `lang` (`fr`, `nl`, anything else: English), by key.
pub fn words(lang: &str) -> BTreeMap<&'static str, &'static str> {
    WORDS
        .iter()
        .map(|&(key, en, fr, nl)| {
            let text = match lang {
                "fr" => fr,
                "nl" => nl,
                _ => en,
            };
            (key, text)
        })
        .collect()
}

/// Whether `key` is a word of the table.
pub fn has(key: &str) -> bool {
    WORDS.iter().any(|w| w.0 == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_languages_map_to_the_three_interface_languages() {
        assert_eq!(ui_lang(Some("fr_BE")), "fr");
        assert_eq!(ui_lang(Some("nl_BE")), "nl");
        assert_eq!(ui_lang(Some("en_US")), "en");
        assert_eq!(ui_lang(Some("de_DE")), "en");
        assert_eq!(ui_lang(None), "en");
    }

    #[test]
    fn every_word_is_said_in_three_languages_once() {
        let mut keys = std::collections::BTreeSet::new();
        for (key, en, fr, nl) in WORDS {
            assert!(keys.insert(key), "{key} twice");
            assert!(!en.is_empty() && !fr.is_empty() && !nl.is_empty(), "{key}");
        }
    }

    #[test]
    fn every_run_kind_and_status_has_its_word() {
        use crate::ledger::{RunKind, RunStatus};
        for kind in [
            RunKind::Scheduled,
            RunKind::Once,
            RunKind::Launch,
            RunKind::Approve,
        ] {
            assert!(has(&format!("kind_{}", kind.as_str())), "{kind}");
        }
        for status in [
            RunStatus::Running,
            RunStatus::Done,
            RunStatus::Failed,
            RunStatus::Interrupted,
        ] {
            assert!(has(&format!("status_{}", status.as_str())), "{status}");
        }
        use crate::ledger::ActionState as A;
        for state in [A::Planned, A::Started, A::Done, A::Failed, A::Uncertain] {
            assert!(has(&format!("act_{}", state.as_str())), "{state:?}");
        }
    }

    #[test]
    fn every_word_a_template_uses_exists() {
        for (name, source) in super::super::templates::SOURCES {
            let mut rest = *source;
            while let Some(at) = rest.find("t.") {
                let before = rest[..at].chars().last();
                rest = &rest[at + 2..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    continue;
                }
                let key: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(has(&key), "{name} uses t.{key}, which is not in WORDS");
            }
        }
    }
}
