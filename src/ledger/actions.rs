//! Actions: recording planned side effects idempotently, moving them through
//! `planned → started → done | failed | uncertain` (each move one `UPDATE … WHERE state IN
//! (expected)`, so a double move is detected, never applied twice), listing them (the
//! `started` ones are what crash reconciliation looks at), and a person's resolution of an
//! `uncertain` one. It must not perform any side effect itself.

use chrono::Utc;

use super::rows::{action_columns, action_from_row};
use super::{
    Action, ActionFilter, ActionId, ActionKey, ActionState, Completion, Ledger, LedgerError,
    NewAction, Occasion, Recorded, Resolution, RunId, with_reader, with_writer,
};

/// One state transition: from any of `from` to `to`, with what changes along.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub operation: &'static str,
    pub from: &'static [ActionState],
    pub to: ActionState,
    /// 1 when the action is (re)started.
    pub add_attempt: i64,
    pub last_error: Option<String>,
    pub completion: Option<Completion>,
}

impl Change {
    /// `planned` (or `failed`, for a retry) → `started`, counting an attempt.
    pub(crate) fn started() -> Change {
        Change {
            operation: "mark_started",
            from: &[ActionState::Planned, ActionState::Failed],
            to: ActionState::Started,
            add_attempt: 1,
            last_error: None,
            completion: None,
        }
    }

    /// `started` → `done`, with what the side effect produced.
    pub(crate) fn done(completion: Completion) -> Change {
        Change {
            operation: "mark_done",
            from: &[ActionState::Started],
            to: ActionState::Done,
            add_attempt: 0,
            last_error: None,
            completion: Some(completion),
        }
    }

    /// `planned` or `started` → `failed`, for `reason`.
    pub(crate) fn failed(reason: &str) -> Change {
        Change {
            operation: "mark_failed",
            from: &[ActionState::Planned, ActionState::Started],
            to: ActionState::Failed,
            add_attempt: 0,
            last_error: Some(reason.to_string()),
            completion: None,
        }
    }

    fn expected(&self) -> String {
        self.from
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// `from` padded to exactly two states, for the two `IN` parameters.
    pub(crate) fn expected_pair(&self) -> (&'static str, &'static str) {
        let first = self.from.first().copied().unwrap_or(self.to);
        let second = self.from.get(1).copied().unwrap_or(first);
        (first.as_str(), second.as_str())
    }
}

/// Executes a [`Change`] on `$exec` (a pool or `&mut *tx`), evaluating to the
/// `sqlx::Result` of the `UPDATE`: the changed row, or `None` when the action was not in
/// an expected state (or does not exist).
macro_rules! apply_change {
    ($exec:expr, $id:expr, $change:expr) => {{
        let change: &$crate::ledger::actions::Change = $change;
        let (first, second) = change.expected_pair();
        let completion = change.completion.as_ref();
        let odoo_ids = completion.map(|c| serde_json::json!(c.odoo_ids).to_string());
        sqlx::query(concat!(
            "UPDATE actions SET state = $1, updated_at = $2, attempts = attempts + $3, \
             last_error = COALESCE($4, last_error), odoo_ids = COALESCE($5, odoo_ids), \
             document_path = COALESCE($6, document_path), \
             document_sha256 = COALESCE($7, document_sha256) \
             WHERE id = $8 AND state IN ($9, $10) RETURNING ",
            $crate::ledger::rows::action_columns!()
        ))
        .bind(change.to.as_str())
        .bind(chrono::Utc::now())
        .bind(change.add_attempt)
        .bind(change.last_error.clone())
        .bind(odoo_ids)
        .bind(completion.and_then(|c| c.document_path.clone()))
        .bind(completion.and_then(|c| c.document_sha256.clone()))
        .bind($id.0)
        .bind(first)
        .bind(second)
        .fetch_optional($exec)
        .await
    }};
}

pub(crate) use apply_change;

impl Ledger {
    /// Records actions before they are performed, in one transaction, under `run`.
    /// Idempotent: a key already in the ledger is not duplicated; its stored action is
    /// returned as it is (state included) with `existing = true`.
    pub async fn record_planned(
        &self,
        run: RunId,
        planned: &[NewAction],
    ) -> Result<Vec<Recorded>, LedgerError> {
        const OP: &str = "record_planned";
        for action in planned {
            validate_key(&action.key)?;
        }
        let keys: Vec<String> = planned.iter().map(|p| p.key.to_string()).collect();
        let batch = format!(
            "{run}, {} action(s) from {}",
            keys.len(),
            keys.first().map_or("", |k| k.as_str())
        );
        with_writer!(self, OP, batch, |tx| async {
            let now = Utc::now();
            let mut recorded = Vec::with_capacity(planned.len());
            for (action, key) in planned.iter().zip(&keys) {
                let recipients = serde_json::json!(action.recipients).to_string();
                let inserted = sqlx::query(concat!(
                    "INSERT INTO actions (run_id, idempotency_key, company_id, customer_id, \
                     level_index, level_key, kind, state, recipients, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned', $8, $9, $9) \
                     ON CONFLICT (idempotency_key) DO NOTHING RETURNING ",
                    action_columns!()
                ))
                .bind(run.0)
                .bind(key)
                .bind(action.key.company_id.get())
                .bind(action.key.customer_id.get())
                .bind(i64::from(action.level_index))
                .bind(&action.key.level_key)
                .bind(action.key.kind.as_str())
                .bind(&recipients)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await
                .map_err(LedgerError::query(OP, key))?;
                let existing = inserted.is_none();
                let row = match inserted {
                    Some(row) => row,
                    None => sqlx::query(concat!(
                        "SELECT ",
                        action_columns!(),
                        " FROM actions WHERE idempotency_key = $1"
                    ))
                    .bind(key)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(LedgerError::query(OP, key))?,
                };
                recorded.push(Recorded {
                    action: action_from_row(&row, OP)?,
                    existing,
                });
            }
            tx.commit().await.map_err(LedgerError::query(OP, &batch))?;
            Ok(recorded)
        }
        .await)
    }

    /// `planned` (or `failed`, for a retry) → `started`, just before the side effect.
    /// Counts an attempt.
    pub async fn mark_started(&self, id: ActionId) -> Result<Action, LedgerError> {
        self.transition(id, Change::started()).await
    }

    /// `started` → `done`, with what the side effect produced.
    pub async fn mark_done(
        &self,
        id: ActionId,
        completion: Completion,
    ) -> Result<Action, LedgerError> {
        self.transition(id, Change::done(completion)).await
    }

    /// `planned` or `started` → `failed`: the side effect is known not to have happened
    /// (rendering failed, the SMTP server refused…). `reason` must not hold a secret.
    pub async fn mark_failed(&self, id: ActionId, reason: &str) -> Result<Action, LedgerError> {
        self.transition(id, Change::failed(reason)).await
    }

    /// `started` → `uncertain`: it may have happened (crash or timeout while sending).
    pub async fn mark_uncertain(&self, id: ActionId, reason: &str) -> Result<Action, LedgerError> {
        self.transition(
            id,
            Change {
                operation: "mark_uncertain",
                from: &[ActionState::Started],
                to: ActionState::Uncertain,
                add_attempt: 0,
                last_error: Some(reason.to_string()),
                completion: None,
            },
        )
        .await
    }

    /// A person's decision on an `uncertain` action: `Sent` → `done`, `Resend` → `planned`
    /// (it will be performed again by the next run that records its key).
    pub async fn resolve(
        &self,
        id: ActionId,
        resolution: Resolution,
    ) -> Result<Action, LedgerError> {
        let (to, note) = match resolution {
            Resolution::Sent => (ActionState::Done, "resolved by a person: it was sent"),
            Resolution::Resend => (ActionState::Planned, "resolved by a person: send it again"),
        };
        self.transition(
            id,
            Change {
                operation: "resolve",
                from: &[ActionState::Uncertain],
                to,
                add_attempt: 0,
                last_error: Some(note.to_string()),
                completion: None,
            },
        )
        .await
    }

    /// Applies one transition, or reports the action's actual state.
    async fn transition(&self, id: ActionId, change: Change) -> Result<Action, LedgerError> {
        let op = change.operation;
        let changed = self
            .grouped(super::group::Write::Move {
                id,
                change: change.clone(),
            })
            .await?;
        match changed {
            Some(action) => Ok(action),
            None => Err(refused(&change, &self.action_for(id, op).await?)),
        }
    }

    /// One action, by id.
    pub async fn action(&self, id: ActionId) -> Result<Action, LedgerError> {
        self.action_for(id, "show action").await
    }

    /// One action, by id, for `operation` (named in errors).
    pub(crate) async fn action_for(
        &self,
        id: ActionId,
        operation: &'static str,
    ) -> Result<Action, LedgerError> {
        let found = with_reader!(self, |pool| {
            match sqlx::query(concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE id = $1"
            ))
            .bind(id.0)
            .fetch_optional(pool)
            .await
            .map_err(LedgerError::query(operation, id))?
            {
                Some(row) => Some(action_from_row(&row, operation)?),
                None => None,
            }
        });
        found.ok_or_else(|| LedgerError::NotFound {
            operation,
            what: "action",
            id: id.0.to_string(),
        })
    }

    /// Actions of a run and/or in a state, in the order they were recorded. `started`
    /// actions after a restart are the ones crash reconciliation must look at.
    pub async fn list_actions(&self, filter: ActionFilter) -> Result<Vec<Action>, LedgerError> {
        const OP: &str = "list actions";
        let run = filter.run.map(|r| r.0);
        let state = filter.state.map(|s| s.as_str());
        with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE ($1 IS NULL OR run_id = $1) \
                 AND ($2 IS NULL OR state = $2) ORDER BY id"
            ))
            .bind(run)
            .bind(state)
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, format!("{filter:?}")))?;
            rows.iter().map(|row| action_from_row(row, OP)).collect()
        })
    }
}

/// Refuses key parts that would make two different keys render the same text: a level
/// key, communication id or part must be non-empty, without `/` or whitespace.
fn validate_key(key: &ActionKey) -> Result<(), LedgerError> {
    let mut parts = vec![("level_key", key.level_key.as_str())];
    if let Occasion::Communication(id) = &key.occasion {
        parts.push(("communication id", id.as_str()));
    }
    if let Some(part) = &key.part {
        parts.push(("part", part.as_str()));
    }
    for (field, value) in parts {
        if value.is_empty() || value.contains('/') || value.contains(char::is_whitespace) {
            return Err(LedgerError::Invalid {
                operation: "record_planned",
                field,
                key: format!("company {}, customer {}", key.company_id, key.customer_id),
                detail: format!(
                    "`{value}` must be non-empty, without `/` or spaces (it is part of the \
                     idempotency key)"
                ),
            });
        }
    }
    Ok(())
}

/// The error for a transition that matched no row in an expected state.
pub(crate) fn refused(change: &Change, action: &Action) -> LedgerError {
    LedgerError::Transition {
        operation: change.operation,
        action_id: action.id.0,
        key: action.key.clone(),
        actual: action.state,
        expected: change.expected(),
    }
}
