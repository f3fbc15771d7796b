//! The same transitions as `actions.rs`, for many actions in one transaction: the
//! executor moves a batch's deferred Odoo writes (notes, activities, markers) together,
//! one `started` transaction before the write and one `done` (or `failed`) after, instead
//! of two per action. The guarantees are those of the single moves: each `UPDATE` still
//! names the states it expects, and a transaction where one action is not in them is
//! rolled back whole and names that action.

use super::actions::{Change, apply_change, refused};
use super::rows::action_from_row;
use super::{ActionId, Completion, Ledger, LedgerError, with_writer};

/// Records a customer's marker (`$3`, NULL for none) in `customer_state`.
const SET_MARKER: &str = "INSERT INTO customer_state (company_id, customer_id, \
     marker_tag_id) VALUES ($1, $2, $3) ON CONFLICT (company_id, customer_id) DO UPDATE \
     SET marker_tag_id = excluded.marker_tag_id";

impl Ledger {
    /// `planned` or `failed` → `started` for every action, in one transaction.
    pub async fn mark_started_many(&self, ids: &[ActionId]) -> Result<(), LedgerError> {
        let moves: Vec<(ActionId, Change)> =
            ids.iter().map(|id| (*id, Change::started())).collect();
        self.transition_many(&moves).await
    }

    /// `started` → `done` with what each produced, in one transaction.
    pub async fn mark_done_many(&self, done: &[(ActionId, Completion)]) -> Result<(), LedgerError> {
        let moves: Vec<(ActionId, Change)> = done
            .iter()
            .map(|(id, completion)| (*id, Change::done(completion.clone())))
            .collect();
        self.transition_many(&moves).await
    }

    /// `planned` or `started` → `failed` with the same reason, in one transaction.
    pub async fn mark_failed_many(
        &self,
        ids: &[ActionId],
        reason: &str,
    ) -> Result<(), LedgerError> {
        let change = Change::failed(reason);
        let moves: Vec<(ActionId, Change)> = ids.iter().map(|id| (*id, change.clone())).collect();
        self.transition_many(&moves).await
    }

    /// Records the marker tags relanced put on customers of a company, in one
    /// transaction (`None`: no marker any more).
    pub async fn set_markers(
        &self,
        company_id: i64,
        markers: &[(i64, Option<i64>)],
    ) -> Result<(), LedgerError> {
        const OP: &str = "set_marker";
        if markers.is_empty() {
            return Ok(());
        }
        let key = match markers {
            [(customer_id, _)] => format!("company {company_id}, customer {customer_id}"),
            _ => format!("company {company_id}, {} customer(s)", markers.len()),
        };
        with_writer!(self, OP, key, |tx| async {
            for (customer_id, marker_tag_id) in markers {
                sqlx::query(SET_MARKER)
                    .bind(company_id)
                    .bind(customer_id)
                    .bind(marker_tag_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(LedgerError::query(OP, &key))?;
            }
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(())
        }
        .await)
    }

    /// Applies every move in one transaction, or none: the first action not in an
    /// expected state rolls the transaction back and is named in the error.
    async fn transition_many(&self, moves: &[(ActionId, Change)]) -> Result<(), LedgerError> {
        let Some((first, change)) = moves.first() else {
            return Ok(());
        };
        let op = change.operation;
        let batch = format!("{} action(s) from {}", moves.len(), first.0);
        let refused_id = with_writer!(self, op, batch, |tx| async {
            for (id, change) in moves {
                let row =
                    apply_change!(&mut *tx, *id, change).map_err(LedgerError::query(op, *id))?;
                match row {
                    Some(row) => {
                        action_from_row(&row, op)?;
                    }
                    // Dropping the transaction rolls it back.
                    None => return Ok(Some((*id, change.clone()))),
                }
            }
            tx.commit().await.map_err(LedgerError::query(op, &batch))?;
            Ok(None)
        }
        .await)?;
        match refused_id {
            None => Ok(()),
            Some((id, change)) => Err(refused(&change, &self.action_for(id, op).await?)),
        }
    }
}
