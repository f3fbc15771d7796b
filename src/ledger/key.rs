//! Idempotency keys: the text that names one side effect, built from its parts and
//! parsed back from the ledger (`FromStr`), the two being exact inverses. The text is
//! stored as is in the ledger and in payload file names: its format must never change.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::followup::{CompanyId, CustomerId};
use crate::ledger::model::ActionKind;

/// What distinguishes one communication from another at the same customer and level.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Occasion {
    /// The run date: one communication per customer, level and day.
    AsOf(NaiveDate),
    /// An explicit communication id (for example an approved proposal).
    Communication(String),
}

/// The parts of an idempotency key. Rendered as
/// `c{company}/p{customer}/l{level_key}/{as_of | m<communication id>}/{kind}[/{part}]`, e.g.
/// `c1/p42/lamical/2026-01-04/email`, or `c1/p42/lurgent/2026-01-31/attachment/letter.pdf`.
/// The same key always names the same side effect: recording it twice returns the
/// first record, so a rerun on the same day never sends twice. Level keys, communication
/// ids and parts may not contain `/` or spaces (checked by `record_planned`), so two
/// different keys never render the same text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ActionKey {
    pub company_id: CompanyId,
    pub customer_id: CustomerId,
    pub level_key: String,
    pub occasion: Occasion,
    pub kind: ActionKind,
    /// Distinguishes several actions of one kind in one communication (several
    /// attachments); `None` for the usual one-per-kind actions.
    pub part: Option<String>,
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "c{}/p{}/l{}/",
            self.company_id, self.customer_id, self.level_key
        )?;
        match &self.occasion {
            Occasion::AsOf(date) => write!(f, "{}", date.format("%Y-%m-%d"))?,
            Occasion::Communication(id) => write!(f, "m{id}")?,
        }
        write!(f, "/{}", self.kind)?;
        if let Some(part) = &self.part {
            write!(f, "/{part}")?;
        }
        Ok(())
    }
}

impl ActionKey {
    /// `c1/p42/lamical/2026-01-04`: the communication this action belongs to, the same
    /// for all its actions.
    pub fn communication(&self) -> String {
        let occasion = match &self.occasion {
            Occasion::AsOf(date) => date.format("%Y-%m-%d").to_string(),
            Occasion::Communication(id) => format!("m{id}"),
        };
        format!(
            "c{}/p{}/l{}/{occasion}",
            self.company_id, self.customer_id, self.level_key
        )
    }

    /// The key of the action of `kind` (its usual one, without part) of the same
    /// communication.
    pub fn sibling(&self, kind: ActionKind) -> ActionKey {
        ActionKey {
            kind,
            part: None,
            ..self.clone()
        }
    }
}

/// A text that is not an action key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an action key: {key:?} ({why})")]
pub struct ActionKeyError {
    pub key: String,
    pub why: String,
}

impl FromStr for ActionKey {
    type Err = ActionKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = |why: String| ActionKeyError {
            key: s.to_owned(),
            why,
        };
        let parts: Vec<&str> = s.split('/').collect();
        let (head, part) = match parts.as_slice() {
            [c, p, l, o, k] => ([*c, *p, *l, *o, *k], None),
            [c, p, l, o, k, part] => ([*c, *p, *l, *o, *k], Some((*part).to_owned())),
            _ => return Err(fail(format!("{} parts, expected 5 or 6", parts.len()))),
        };
        let [c, p, l, o, k] = head;
        let id = |text: &str, prefix: char, what: &str| -> Result<i64, ActionKeyError> {
            // `FromStr` of i64 accepts `+1`: the canonical check below refuses it.
            text.strip_prefix(prefix)
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| fail(format!("{what} {text:?} is not `{prefix}<id>`")))
        };
        let company_id = id(c, 'c', "company")?;
        let customer_id = id(p, 'p', "customer")?;
        let level_key = l
            .strip_prefix('l')
            .ok_or_else(|| fail(format!("level {l:?} is not `l<key>`")))?
            .to_owned();
        let occasion = match o.strip_prefix('m') {
            Some(id) => Occasion::Communication(id.to_owned()),
            None => Occasion::AsOf(
                NaiveDate::parse_from_str(o, "%Y-%m-%d")
                    .map_err(|e| fail(format!("occasion {o:?}: {e}")))?,
            ),
        };
        let kind = k.parse::<ActionKind>().map_err(fail)?;
        let key = ActionKey {
            company_id: company_id.into(),
            customer_id: customer_id.into(),
            level_key,
            occasion,
            kind,
            part,
        };
        // Only the canonical text is a key (no `01` for `1`, no `+1`).
        if key.to_string() != s {
            return Err(fail("not in its canonical form".into()));
        }
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> ActionKey {
        let key: ActionKey = text.parse().expect(text);
        assert_eq!(key.to_string(), text);
        key
    }

    #[test]
    fn a_key_reads_back_as_it_was_written() {
        let key = round_trip("c1/p42/lamical/2026-01-04/email");
        assert_eq!(key.kind, ActionKind::Email);
        assert_eq!(
            key.occasion,
            Occasion::AsOf(NaiveDate::from_ymd_opt(2026, 1, 4).unwrap())
        );
        let key = round_trip("c1/p42/lurgent/2026-01-31/attachment/letter.pdf");
        assert_eq!(key.part.as_deref(), Some("letter.pdf"));
        let key = round_trip("c3/p7/ldemeure/m17/letter/instead-of-email");
        assert_eq!(key.occasion, Occasion::Communication("17".into()));
    }

    #[test]
    fn every_kind_round_trips_with_and_without_a_part() {
        for kind in ActionKind::ALL {
            for part in [None, Some("call2".to_owned())] {
                let key = ActionKey {
                    company_id: 2.into(),
                    customer_id: 100.into(),
                    level_key: "amical".into(),
                    occasion: Occasion::Communication("x1".into()),
                    kind: *kind,
                    part,
                };
                assert_eq!(key.to_string().parse::<ActionKey>(), Ok(key));
            }
        }
    }

    #[test]
    fn an_action_key_names_its_communication() {
        let key = round_trip("c1/p100/lamical/2026-01-06/activity/call2");
        assert_eq!(key.communication(), "c1/p100/lamical/2026-01-06");
        assert_eq!(
            key.sibling(ActionKind::Email).to_string(),
            "c1/p100/lamical/2026-01-06/email"
        );
    }

    #[test]
    fn what_is_not_a_key_is_refused() {
        for text in [
            "",
            "c1/p42/lamical/2026-01-04",
            "c1/p42/lamical/2026-01-04/mail",
            "cx/p42/lamical/2026-01-04/email",
            "c1/42/lamical/2026-01-04/email",
            "c1/p42/lamical/2026-13-04/email",
            "c01/p42/lamical/2026-01-04/email",
            "c1/p42/lamical/2026-01-04/email/a/b",
        ] {
            assert!(text.parse::<ActionKey>().is_err(), "{text}");
        }
    }
}
