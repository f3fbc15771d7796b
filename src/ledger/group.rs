//! Group commit: the single moves that concurrent callers make at the same moment (the
//! customers of a batch worked through together: `started`, `done`, `failed`, a
//! communication recorded) share one transaction, so that one sync to disk serves them
//! all. Nothing is weakened:
//! - a caller gets its answer only once its move is committed;
//! - each `UPDATE` still names the states it expects, and a move refused (its action not
//!   in one of them) is refused alone, its other statements not run, while the others
//!   commit;
//! - a query that fails rolls the whole transaction back, and every caller in it gets the
//!   error.
//!
//! The first caller to find no transaction in progress leads: it takes every move queued
//! so far, commits them, and answers each. The callers that queued meanwhile wait for it,
//! then either find their answer or lead the next transaction.

use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::oneshot;

use super::actions::{Change, apply_change};
use super::rows::action_from_row;
use super::{Action, ActionId, CommunicationDone, Ledger, LedgerError, with_writer};

/// One move, as a caller asked for it.
#[derive(Debug)]
pub(crate) enum Write {
    /// A transition of one action.
    Move { id: ActionId, change: Change },
    /// A communication recorded with its action's transition (`state.rs`).
    Communication {
        done: Box<CommunicationDone>,
        change: Change,
    },
}

impl Write {
    fn operation(&self) -> &'static str {
        match self {
            Write::Move { change, .. } | Write::Communication { change, .. } => change.operation,
        }
    }

    fn key(&self) -> String {
        match self {
            Write::Move { id, .. } => id.to_string(),
            Write::Communication { done, .. } => format!(
                "{}, company {}, customer {}",
                done.action_id, done.company_id, done.customer_id
            ),
        }
    }
}

/// The moved action, or `None` when it was not in an expected state (nothing written).
type Answer = Result<Option<Action>, String>;

#[derive(Debug)]
struct Request {
    write: Write,
    answer: oneshot::Sender<Answer>,
}

/// The moves waiting for a transaction, and who is committing one.
#[derive(Default, Debug)]
pub(crate) struct Group {
    queue: Mutex<Vec<Request>>,
    leader: tokio::sync::Mutex<()>,
}

impl Group {
    fn queue(&self) -> MutexGuard<'_, Vec<Request>> {
        // Nothing panics while holding it; a poisoned queue is still whole.
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Ledger {
    /// Applies `write` in the next group transaction; see the module's paragraph.
    pub(crate) async fn grouped(&self, write: Write) -> Result<Option<Action>, LedgerError> {
        let operation = write.operation();
        let key = write.key();
        let (sender, mut answer) = oneshot::channel();
        self.group.queue().push(Request {
            write,
            answer: sender,
        });
        let _leading = self.group.leader.lock().await;
        match answer.try_recv() {
            Ok(answer) => return answer.map_err(|why| shared(operation, &key, why)),
            Err(oneshot::error::TryRecvError::Closed) => {
                return Err(shared(
                    operation,
                    &key,
                    "the transaction was abandoned before its commit".into(),
                ));
            }
            // Still queued: this caller commits it, with whatever queued beside it.
            Err(oneshot::error::TryRecvError::Empty) => {}
        }
        let requests = std::mem::take(&mut *self.group.queue());
        match self.commit_group(&requests).await {
            Ok(moved) => {
                for (request, moved) in requests.into_iter().zip(moved) {
                    // A caller that went away does not need its answer.
                    let _ = request.answer.send(Ok(moved));
                }
                match answer.try_recv() {
                    Ok(answer) => answer.map_err(|why| shared(operation, &key, why)),
                    Err(_) => Err(shared(
                        operation,
                        &key,
                        "its move was not in the transaction".into(),
                    )),
                }
            }
            Err(e) => {
                for request in requests {
                    let _ = request.answer.send(Err(e.to_string()));
                }
                Err(e)
            }
        }
    }

    /// One transaction for all `requests`: each one's move, in order.
    async fn commit_group(&self, requests: &[Request]) -> Result<Vec<Option<Action>>, LedgerError> {
        let (op, key) = match requests {
            [one] => (one.write.operation(), one.write.key()),
            _ => ("group commit", format!("{} move(s)", requests.len())),
        };
        with_writer!(self, op, key, |tx| async {
            let mut moved = Vec::with_capacity(requests.len());
            for request in requests {
                let op = request.write.operation();
                let row = match &request.write {
                    Write::Move { id, change } => {
                        apply_change!(&mut *tx, *id, change).map_err(LedgerError::query(op, id))?
                    }
                    Write::Communication { done, change } => {
                        let key = request.write.key();
                        let row = apply_change!(&mut *tx, done.action_id, change)
                            .map_err(LedgerError::query(op, &key))?;
                        if row.is_some() {
                            crate::ledger::state::write_communication!(&mut *tx, done, &key);
                        }
                        row
                    }
                };
                moved.push(match row {
                    Some(row) => Some(action_from_row(&row, op)?),
                    None => None,
                });
            }
            tx.commit().await.map_err(LedgerError::query(op, &key))?;
            Ok(moved)
        }
        .await)
    }
}

/// The error of a caller whose move was in a transaction another caller committed.
fn shared(operation: &'static str, key: &str, why: String) -> LedgerError {
    LedgerError::Query {
        operation,
        key: key.to_owned(),
        source: sqlx::Error::Protocol(format!("its group transaction failed: {why}")),
    }
}
