//! The follow-up state the engine reads: per item, the last level it was reminded at; per
//! customer, the last communication and the marker tag. Written in ONE transaction with
//! the action that carried the communication, so that a crash never leaves an email
//! `done` without its levels recorded (or the reverse). It must not compute levels.

use std::collections::BTreeMap;

use super::actions::{Change, refused};
use super::group::Write;
use super::rows::{LedgerRow, Reader};
use super::{
    ActionState, CommunicationDone, CustomerState, FollowupState, LastCommunication, Ledger,
    LedgerError, StoredItemLevel, with_reader, with_writer,
};

fn item_from_row(
    row: &impl LedgerRow,
    op: &'static str,
) -> Result<((i64, i64), StoredItemLevel), LedgerError> {
    let r = Reader {
        row,
        operation: op,
        key: "item_state row".into(),
    };
    let company = r.i64("company_id")?;
    let item = r.i64("item_id")?;
    let r = Reader {
        key: format!("company {company}, item {item}"),
        ..r
    };
    Ok((
        (company, item),
        StoredItemLevel {
            level_index: r.u32("level_index")?,
            level_key: r.text("level_key")?,
            date: r.date("date")?,
        },
    ))
}

fn customer_from_row(
    row: &impl LedgerRow,
    op: &'static str,
) -> Result<((i64, i64), CustomerState), LedgerError> {
    let r = Reader {
        row,
        operation: op,
        key: "customer_state row".into(),
    };
    let company = r.i64("company_id")?;
    let customer = r.i64("customer_id")?;
    let r = Reader {
        key: format!("company {company}, customer {customer}"),
        ..r
    };
    let last = match (
        r.opt_u32("last_level_index")?,
        r.opt_text("last_level_key")?,
        r.opt_date("last_date")?,
    ) {
        (Some(level_index), Some(level_key), Some(date)) => Some(LastCommunication {
            level_index,
            level_key,
            date,
        }),
        _ => None,
    };
    Ok((
        (company, customer),
        CustomerState {
            last,
            marker_tag_id: r.opt_i64("marker_tag_id")?,
        },
    ))
}

impl Ledger {
    /// The whole follow-up state of `company` (every company when `None`), as plain maps.
    pub async fn followup_state(&self, company: Option<i64>) -> Result<FollowupState, LedgerError> {
        const OP: &str = "read follow-up state";
        let key = company.map_or("all companies".to_string(), |c| format!("company {c}"));
        with_reader!(self, |pool| {
            let item_rows = sqlx::query(
                "SELECT company_id, item_id, level_index, level_key, date FROM item_state \
                 WHERE ($1 IS NULL OR company_id = $1)",
            )
            .bind(company)
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            let customer_rows = sqlx::query(
                "SELECT company_id, customer_id, last_level_index, last_level_key, last_date, \
                 marker_tag_id FROM customer_state WHERE ($1 IS NULL OR company_id = $1)",
            )
            .bind(company)
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            Ok(FollowupState {
                items: item_rows
                    .iter()
                    .map(|row| item_from_row(row, OP))
                    .collect::<Result<BTreeMap<_, _>, _>>()?,
                customers: customer_rows
                    .iter()
                    .map(|row| customer_from_row(row, OP))
                    .collect::<Result<BTreeMap<_, _>, _>>()?,
            })
        })
    }

    /// Records a performed communication in ONE transaction: each listed item's level,
    /// the customer's last communication, and its action `started → done`. If the action
    /// is not `started` (already done by another process…), nothing is written and the
    /// transition error is returned.
    pub async fn record_communication(&self, done: &CommunicationDone) -> Result<(), LedgerError> {
        const OP: &str = "record_communication";
        let change = Change {
            operation: OP,
            from: &[ActionState::Started],
            to: ActionState::Done,
            add_attempt: 0,
            last_error: None,
            completion: Some(done.completion.clone()),
        };
        let moved = self
            .grouped(Write::Communication {
                done: Box::new(done.clone()),
                change: change.clone(),
            })
            .await?;
        if moved.is_some() {
            return Ok(());
        }
        let action = self.action_for(done.action_id, OP).await?;
        Err(refused(&change, &action))
    }

    /// Records the marker tag relanced put on a customer (`None`: no marker any more).
    pub async fn set_marker(
        &self,
        company_id: i64,
        customer_id: i64,
        marker_tag_id: Option<i64>,
    ) -> Result<(), LedgerError> {
        self.set_markers(company_id, &[(customer_id, marker_tag_id)])
            .await
    }

    /// Forgets the level of items that are no longer open (paid, reconciled), so the
    /// state does not grow forever. Returns how many were forgotten.
    pub async fn forget_items(
        &self,
        company_id: i64,
        item_ids: &[i64],
    ) -> Result<u64, LedgerError> {
        const OP: &str = "forget_items";
        let key = format!("company {company_id}, {} item(s)", item_ids.len());
        with_writer!(self, OP, key, |tx| async {
            let mut forgotten = 0;
            for item in item_ids {
                forgotten +=
                    sqlx::query("DELETE FROM item_state WHERE company_id = $1 AND item_id = $2")
                        .bind(company_id)
                        .bind(*item)
                        .execute(&mut *tx)
                        .await
                        .map_err(LedgerError::query(
                            OP,
                            format!("company {company_id}, item {item}"),
                        ))?
                        .rows_affected();
            }
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(forgotten)
        }
        .await)
    }
}

/// The statements of a recorded communication besides its action's move: each listed
/// item's level, the customer's last communication, its paragraph used. Run by the group
/// transaction (`group.rs`) once the move succeeded; `$done` is a `&CommunicationDone`.
macro_rules! write_communication {
    ($tx:expr, $done:expr, $key:expr) => {{
        const OP: &str = "record_communication";
        for (item, level) in &$done.items {
            sqlx::query(
                "INSERT INTO item_state (company_id, item_id, level_index, level_key, date) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (company_id, item_id) DO UPDATE \
                     SET level_index = excluded.level_index, level_key = excluded.level_key, \
                     date = excluded.date",
            )
            .bind($done.company_id.get())
            .bind(*item)
            .bind(i64::from(level.level_index))
            .bind(&level.level_key)
            .bind(level.date)
            .execute(&mut *$tx)
            .await
            .map_err($crate::ledger::LedgerError::query(
                OP,
                format!("{}, item {item}", $key),
            ))?;
        }
        sqlx::query(
            "INSERT INTO customer_state (company_id, customer_id, last_level_index, \
                 last_level_key, last_date) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (company_id, customer_id) DO UPDATE \
                 SET last_level_index = excluded.last_level_index, \
                 last_level_key = excluded.last_level_key, last_date = excluded.last_date",
        )
        .bind($done.company_id.get())
        .bind($done.customer_id.get())
        .bind(i64::from($done.last.level_index))
        .bind(&$done.last.level_key)
        .bind($done.last.date)
        .execute(&mut *$tx)
        .await
        .map_err($crate::ledger::LedgerError::query(OP, $key))?;
        if let Some(paragraph) = $done.paragraph {
            // Cleared or replaced since it was composed: it stays as the person left it.
            sqlx::query(
                "UPDATE customer_paragraphs SET state = 'used', used_by_action_id = $1, \
                     used_in_run_id = (SELECT run_id FROM actions WHERE id = $1), closed_at = $2 \
                     WHERE id = $3 AND state = 'pending'",
            )
            .bind($done.action_id.0)
            .bind(chrono::Utc::now())
            .bind(paragraph)
            .execute(&mut *$tx)
            .await
            .map_err($crate::ledger::LedgerError::query(
                OP,
                format!("{}, paragraph {paragraph}", $key),
            ))?;
        }
    }};
}

pub(crate) use write_communication;
