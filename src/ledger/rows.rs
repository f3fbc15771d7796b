//! Reading stored rows back into the ledger's plain types, the same way for SQLite and
//! PostgreSQL rows. A value that cannot be understood becomes `LedgerError::Corrupt`
//! naming the column and the row; nothing here panics.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;

use super::LedgerError;
use super::model::{Action, ActionId, Run, RunId};

/// Typed column access shared by both backends' rows.
pub(crate) trait LedgerRow {
    fn i64(&self, column: &'static str) -> Result<i64, sqlx::Error>;
    fn opt_i64(&self, column: &'static str) -> Result<Option<i64>, sqlx::Error>;
    fn text(&self, column: &'static str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, column: &'static str) -> Result<Option<String>, sqlx::Error>;
    fn date(&self, column: &'static str) -> Result<NaiveDate, sqlx::Error>;
    fn opt_date(&self, column: &'static str) -> Result<Option<NaiveDate>, sqlx::Error>;
    fn time(&self, column: &'static str) -> Result<DateTime<Utc>, sqlx::Error>;
    fn opt_time(&self, column: &'static str) -> Result<Option<DateTime<Utc>>, sqlx::Error>;
}

macro_rules! impl_ledger_row {
    ($row:ty) => {
        impl LedgerRow for $row {
            fn i64(&self, column: &'static str) -> Result<i64, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_i64(&self, column: &'static str) -> Result<Option<i64>, sqlx::Error> {
                self.try_get(column)
            }
            fn text(&self, column: &'static str) -> Result<String, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_text(&self, column: &'static str) -> Result<Option<String>, sqlx::Error> {
                self.try_get(column)
            }
            fn date(&self, column: &'static str) -> Result<NaiveDate, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_date(&self, column: &'static str) -> Result<Option<NaiveDate>, sqlx::Error> {
                self.try_get(column)
            }
            fn time(&self, column: &'static str) -> Result<DateTime<Utc>, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_time(&self, column: &'static str) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
                self.try_get(column)
            }
        }
    };
}

impl_ledger_row!(SqliteRow);
impl_ledger_row!(PgRow);

/// Turns a column read error or a parse error into `Corrupt`, naming column and row.
pub(crate) struct Reader<'a, R> {
    pub row: &'a R,
    pub operation: &'static str,
    pub key: String,
}

impl<R: LedgerRow> Reader<'_, R> {
    fn corrupt(&self, column: &'static str, detail: impl ToString) -> LedgerError {
        LedgerError::Corrupt {
            operation: self.operation,
            column,
            key: self.key.clone(),
            detail: detail.to_string(),
        }
    }

    pub fn i64(&self, column: &'static str) -> Result<i64, LedgerError> {
        self.row.i64(column).map_err(|e| self.corrupt(column, e))
    }

    pub fn opt_i64(&self, column: &'static str) -> Result<Option<i64>, LedgerError> {
        self.row
            .opt_i64(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn u32(&self, column: &'static str) -> Result<u32, LedgerError> {
        let value = self.i64(column)?;
        u32::try_from(value).map_err(|_| self.corrupt(column, format!("{value} is out of range")))
    }

    pub fn opt_u32(&self, column: &'static str) -> Result<Option<u32>, LedgerError> {
        match self.opt_i64(column)? {
            None => Ok(None),
            Some(value) => u32::try_from(value)
                .map(Some)
                .map_err(|_| self.corrupt(column, format!("{value} is out of range"))),
        }
    }

    pub fn text(&self, column: &'static str) -> Result<String, LedgerError> {
        self.row.text(column).map_err(|e| self.corrupt(column, e))
    }

    pub fn opt_text(&self, column: &'static str) -> Result<Option<String>, LedgerError> {
        self.row
            .opt_text(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn date(&self, column: &'static str) -> Result<NaiveDate, LedgerError> {
        self.row.date(column).map_err(|e| self.corrupt(column, e))
    }

    pub fn opt_date(&self, column: &'static str) -> Result<Option<NaiveDate>, LedgerError> {
        self.row
            .opt_date(column)
            .map_err(|e| self.corrupt(column, e))
    }

    pub fn time(&self, column: &'static str) -> Result<DateTime<Utc>, LedgerError> {
        self.row.time(column).map_err(|e| self.corrupt(column, e))
    }

    pub fn opt_time(&self, column: &'static str) -> Result<Option<DateTime<Utc>>, LedgerError> {
        self.row
            .opt_time(column)
            .map_err(|e| self.corrupt(column, e))
    }

    /// A text column holding one of a text enum's names.
    pub fn parse<T: std::str::FromStr<Err = String>>(
        &self,
        column: &'static str,
    ) -> Result<T, LedgerError> {
        self.text(column)?
            .parse()
            .map_err(|e: String| self.corrupt(column, e))
    }

    /// A text column holding JSON.
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        column: &'static str,
    ) -> Result<T, LedgerError> {
        let text = self.text(column)?;
        serde_json::from_str(&text).map_err(|e| self.corrupt(column, e))
    }
}

/// Columns of `runs` that `run_from_row` reads (a macro, for `concat!`).
macro_rules! run_columns {
    () => {
        "id, started_at, finished_at, as_of, kind, status, summary, host, pid"
    };
}

/// Columns of `actions` that `action_from_row` reads (a macro, for `concat!`).
macro_rules! action_columns {
    () => {
        "id, run_id, idempotency_key, company_id, customer_id, level_index, level_key, kind, \
         state, attempts, last_error, odoo_ids, document_path, document_sha256, recipients, \
         created_at, updated_at"
    };
}

pub(crate) use {action_columns, run_columns};

pub(crate) fn run_from_row(
    row: &impl LedgerRow,
    operation: &'static str,
) -> Result<Run, LedgerError> {
    let id = row.i64("id").map_err(|e| LedgerError::Corrupt {
        operation,
        column: "runs.id",
        key: "a run".into(),
        detail: e.to_string(),
    })?;
    let r = Reader {
        row,
        operation,
        key: RunId(id).to_string(),
    };
    let summary = match r.opt_text("summary")? {
        None => None,
        Some(text) => Some(serde_json::from_str(&text).map_err(|e| r.corrupt("summary", e))?),
    };
    Ok(Run {
        id: RunId(id),
        started_at: r.time("started_at")?,
        finished_at: r.opt_time("finished_at")?,
        as_of: r.date("as_of")?,
        kind: r.parse("kind")?,
        status: r.parse("status")?,
        summary,
        host: r.text("host")?,
        pid: r.i64("pid")?,
    })
}

pub(crate) fn action_from_row(
    row: &impl LedgerRow,
    operation: &'static str,
) -> Result<Action, LedgerError> {
    let id = row.i64("id").map_err(|e| LedgerError::Corrupt {
        operation,
        column: "actions.id",
        key: "an action".into(),
        detail: e.to_string(),
    })?;
    let r = Reader {
        row,
        operation,
        key: ActionId(id).to_string(),
    };
    Ok(Action {
        id: ActionId(id),
        run_id: RunId(r.i64("run_id")?),
        key: r.text("idempotency_key")?,
        company_id: r.i64("company_id")?.into(),
        customer_id: r.i64("customer_id")?.into(),
        level_index: r.u32("level_index")?,
        level_key: r.text("level_key")?,
        kind: r.parse("kind")?,
        state: r.parse("state")?,
        attempts: r.u32("attempts")?,
        last_error: r.opt_text("last_error")?,
        odoo_ids: r.json("odoo_ids")?,
        document_path: r.opt_text("document_path")?,
        document_sha256: r.opt_text("document_sha256")?,
        recipients: r.json("recipients")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
    })
}
