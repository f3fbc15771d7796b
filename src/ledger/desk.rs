//! What the credit controller's desk keeps in the ledger: the personal paragraph written
//! for a customer's NEXT reminder (at most one pending per customer; consumed in the very
//! transaction that records the communication carrying it, see `state.rs`), who approved
//! an approval run, and a customer's reminders so far (its actions).
//!
//! It stores and reads; it must not validate what a person typed (that is `desk`) nor
//! decide when a paragraph is used (that is the executor, through the state action).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::rows::{LedgerRow, Reader, action_columns, action_from_row};
use super::{Action, ActionId, Ledger, LedgerError, RunId, with_reader, with_writer};
use crate::followup::{CompanyId, CustomerId};

/// Where a personal paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphState {
    /// Waiting for the customer's next reminder.
    Pending,
    /// Carried by a reminder that was sent (see `used_by_action`).
    Used,
    /// Removed by a person, or replaced by a newer paragraph, before any reminder.
    Cleared,
}

impl ParagraphState {
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphState::Pending => "pending",
            ParagraphState::Used => "used",
            ParagraphState::Cleared => "cleared",
        }
    }
}

impl std::str::FromStr for ParagraphState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pending" => Ok(ParagraphState::Pending),
            "used" => Ok(ParagraphState::Used),
            "cleared" => Ok(ParagraphState::Cleared),
            other => Err(format!(
                "unknown ParagraphState `{other}` (expected one of: pending, used, cleared)"
            )),
        }
    }
}

/// A personal paragraph for a customer's next reminder, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paragraph {
    pub id: i64,
    pub company_id: CompanyId,
    pub customer_id: CustomerId,
    pub text: String,
    pub state: ParagraphState,
    pub set_by_login: String,
    pub set_by_name: String,
    pub set_at: DateTime<Utc>,
    /// The communication that carried it: its `state` action, recorded right after the
    /// email or letter left (their keys share its prefix: company, customer, level, date).
    pub used_by_action: Option<ActionId>,
    pub used_in_run: Option<RunId>,
    /// Who cleared it (`None` when it was used, or replaced by a newer one).
    pub closed_by_login: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Who approved an approval run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approver {
    pub login: String,
    /// As said in the chatter note: "Approuvé par {name}".
    pub name: String,
    /// The Odoo user, when known (the console's logged-in user).
    pub user_id: Option<i64>,
}

/// Columns `paragraph_from_row` reads (a macro, for `concat!`).
macro_rules! paragraph_columns {
    () => {
        "id, company_id, customer_id, text, state, set_by_login, set_by_name, set_at, \
         used_by_action_id, used_in_run_id, closed_by_login, closed_at"
    };
}

fn paragraph_from_row(row: &impl LedgerRow, op: &'static str) -> Result<Paragraph, LedgerError> {
    let r = Reader {
        row,
        operation: op,
        key: "customer_paragraphs row".into(),
    };
    let id = r.i64("id")?;
    let r = Reader {
        key: format!("paragraph {id}"),
        ..r
    };
    Ok(Paragraph {
        id,
        company_id: r.i64("company_id")?.into(),
        customer_id: r.i64("customer_id")?.into(),
        text: r.text("text")?,
        state: r.parse("state")?,
        set_by_login: r.text("set_by_login")?,
        set_by_name: r.text("set_by_name")?,
        set_at: r.time("set_at")?,
        used_by_action: r.opt_i64("used_by_action_id")?.map(ActionId),
        used_in_run: r.opt_i64("used_in_run_id")?.map(RunId),
        closed_by_login: r.opt_text("closed_by_login")?,
        closed_at: r.opt_time("closed_at")?,
    })
}

fn customer_key(company: CompanyId, customer: CustomerId) -> String {
    format!("company {company}, customer {customer}")
}

impl Ledger {
    /// Sets the paragraph of `customer`'s next reminder, replacing (clearing) the pending
    /// one if there is one, in one transaction. `text` is stored as given.
    pub async fn set_paragraph(
        &self,
        company: CompanyId,
        customer: CustomerId,
        text: &str,
        login: &str,
        name: &str,
    ) -> Result<Paragraph, LedgerError> {
        const OP: &str = "set_paragraph";
        let key = customer_key(company, customer);
        let now = Utc::now();
        let id: i64 = with_writer!(self, OP, key, |tx| async {
            sqlx::query(
                "UPDATE customer_paragraphs SET state = 'cleared', closed_by_login = $1, \
                 closed_at = $2 WHERE company_id = $3 AND customer_id = $4 AND state = 'pending'",
            )
            .bind(login)
            .bind(now)
            .bind(company.get())
            .bind(customer.get())
            .execute(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            let row: (i64,) = sqlx::query_as(
                "INSERT INTO customer_paragraphs (company_id, customer_id, text, state, \
                 set_by_login, set_by_name, set_at) VALUES ($1, $2, $3, 'pending', $4, $5, $6) \
                 RETURNING id",
            )
            .bind(company.get())
            .bind(customer.get())
            .bind(text)
            .bind(login)
            .bind(name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(row.0)
        }
        .await)?;
        self.paragraph(id).await
    }

    /// Clears the pending paragraph of `customer`; returns it, or `None` when there was none.
    pub async fn clear_paragraph(
        &self,
        company: CompanyId,
        customer: CustomerId,
        login: &str,
    ) -> Result<Option<Paragraph>, LedgerError> {
        const OP: &str = "clear_paragraph";
        let key = customer_key(company, customer);
        let id: Option<(i64,)> = with_writer!(self, OP, key, |tx| async {
            let id = sqlx::query_as(
                "UPDATE customer_paragraphs SET state = 'cleared', closed_by_login = $1, \
                 closed_at = $2 WHERE company_id = $3 AND customer_id = $4 AND state = 'pending' \
                 RETURNING id",
            )
            .bind(login)
            .bind(Utc::now())
            .bind(company.get())
            .bind(customer.get())
            .fetch_optional(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(id)
        }
        .await)?;
        match id {
            Some((id,)) => Ok(Some(self.paragraph(id).await?)),
            None => Ok(None),
        }
    }

    /// One paragraph, whatever its state.
    pub async fn paragraph(&self, id: i64) -> Result<Paragraph, LedgerError> {
        const OP: &str = "paragraph";
        let found = with_reader!(self, |pool| {
            match sqlx::query(concat!(
                "SELECT ",
                paragraph_columns!(),
                " FROM customer_paragraphs WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(LedgerError::query(OP, format!("paragraph {id}")))?
            {
                Some(row) => Some(paragraph_from_row(&row, OP)?),
                None => None,
            }
        });
        found.ok_or_else(|| LedgerError::NotFound {
            operation: OP,
            what: "paragraph",
            id: id.to_string(),
        })
    }

    /// The paragraph waiting for `customer`'s next reminder, if any.
    pub async fn pending_paragraph(
        &self,
        company: CompanyId,
        customer: CustomerId,
    ) -> Result<Option<Paragraph>, LedgerError> {
        Ok(self
            .paragraphs_where(company, Some(customer), true)
            .await?
            .into_iter()
            .next())
    }

    /// Every pending paragraph of a company, by customer (what a run composes with).
    pub async fn pending_paragraphs(
        &self,
        company: CompanyId,
    ) -> Result<BTreeMap<CustomerId, Paragraph>, LedgerError> {
        Ok(self
            .paragraphs_where(company, None, true)
            .await?
            .into_iter()
            .map(|p| (p.customer_id, p))
            .collect())
    }

    /// Every paragraph of a customer, newest first (its history).
    pub async fn customer_paragraphs(
        &self,
        company: CompanyId,
        customer: CustomerId,
    ) -> Result<Vec<Paragraph>, LedgerError> {
        self.paragraphs_where(company, Some(customer), false).await
    }

    async fn paragraphs_where(
        &self,
        company: CompanyId,
        customer: Option<CustomerId>,
        pending_only: bool,
    ) -> Result<Vec<Paragraph>, LedgerError> {
        const OP: &str = "paragraphs";
        let key = match customer {
            Some(c) => customer_key(company, c),
            None => format!("company {company}"),
        };
        with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                paragraph_columns!(),
                " FROM customer_paragraphs WHERE company_id = $1 \
                 AND ($2 < 0 OR customer_id = $2) AND ($3 = 0 OR state = 'pending') \
                 ORDER BY id DESC"
            ))
            .bind(company.get())
            .bind(customer.map_or(-1, |c| c.get()))
            .bind(i64::from(pending_only))
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            rows.iter()
                .map(|row| paragraph_from_row(row, OP))
                .collect::<Result<Vec<_>, _>>()
        })
    }

    /// Records who approved `run` (an approval run), once; a second call is refused.
    pub async fn record_approver(
        &self,
        run: RunId,
        approver: &Approver,
    ) -> Result<(), LedgerError> {
        const OP: &str = "record_approver";
        with_writer!(self, OP, run, |tx| async {
            sqlx::query(
                "INSERT INTO run_approvals (run_id, login, name, user_id, approved_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(run.0)
            .bind(&approver.login)
            .bind(&approver.name)
            .bind(approver.user_id)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, run))?;
            tx.commit().await.map_err(LedgerError::query(OP, run))?;
            Ok(())
        }
        .await)
    }

    /// Who approved `run`, when it is an approval run recorded with its approver.
    pub async fn run_approver(&self, run: RunId) -> Result<Option<Approver>, LedgerError> {
        const OP: &str = "run_approver";
        with_reader!(self, |pool| {
            let row =
                sqlx::query("SELECT login, name, user_id FROM run_approvals WHERE run_id = $1")
                    .bind(run.0)
                    .fetch_optional(pool)
                    .await
                    .map_err(LedgerError::query(OP, run))?;
            match row {
                None => Ok(None),
                Some(row) => {
                    let r = Reader {
                        row: &row,
                        operation: OP,
                        key: run.to_string(),
                    };
                    Ok(Some(Approver {
                        login: r.text("login")?,
                        name: r.text("name")?,
                        user_id: r.opt_i64("user_id")?,
                    }))
                }
            }
        })
    }

    /// Every action recorded for a customer, oldest first (its reminders so far).
    pub async fn customer_actions(
        &self,
        company: CompanyId,
        customer: CustomerId,
    ) -> Result<Vec<Action>, LedgerError> {
        const OP: &str = "customer_actions";
        let key = customer_key(company, customer);
        with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE company_id = $1 AND customer_id = $2 ORDER BY id"
            ))
            .bind(company.get())
            .bind(customer.get())
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            rows.iter()
                .map(|row| action_from_row(row, OP))
                .collect::<Result<Vec<_>, _>>()
        })
    }
}
