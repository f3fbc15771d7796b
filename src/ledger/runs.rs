//! Runs: opening one (`running`), finishing it (`done`/`failed`, with a JSON summary),
//! marking dead ones `interrupted`, and the history (list, show with its actions).
//! It must not decide whether a run may start: that is the run lock's job.

use chrono::{NaiveDate, Utc};

use super::rows::{action_columns, action_from_row, run_columns, run_from_row};
use super::{
    Action, Ledger, LedgerError, Run, RunId, RunKind, RunStatus, with_reader, with_writer,
};

/// The host name, for the runs history (best effort: empty when unknown).
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .unwrap_or_default()
}

impl Ledger {
    /// Records the start of a run (status `running`) and returns its id.
    pub async fn begin_run(&self, kind: RunKind, as_of: NaiveDate) -> Result<RunId, LedgerError> {
        const OP: &str = "begin_run";
        let key = format!("{kind} run as of {as_of}");
        let host = host_name();
        let pid = i64::from(std::process::id());
        let id: i64 = with_writer!(self, OP, key, |tx| async {
            let row: (i64,) = sqlx::query_as(
                "INSERT INTO runs (started_at, as_of, kind, status, host, pid) \
                 VALUES ($1, $2, $3, 'running', $4, $5) RETURNING id",
            )
            .bind(Utc::now())
            .bind(as_of)
            .bind(kind.as_str())
            .bind(&host)
            .bind(pid)
            .fetch_one(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            tx.commit().await.map_err(LedgerError::query(OP, &key))?;
            Ok(row.0)
        }
        .await)?;
        Ok(RunId(id))
    }

    /// Finishes a `running` run with `status` (`done`, `failed` or `interrupted`) and its
    /// summary. Finishing a run that is not `running` any more is refused.
    pub async fn finish_run(
        &self,
        run: RunId,
        status: RunStatus,
        summary: &serde_json::Value,
    ) -> Result<(), LedgerError> {
        const OP: &str = "finish_run";
        if status == RunStatus::Running {
            return Err(LedgerError::Invalid {
                operation: OP,
                field: "status",
                key: run.to_string(),
                detail: "a run is finished as done, failed or interrupted, not running".into(),
            });
        }
        let summary_text = summary.to_string();
        let changed = with_writer!(self, OP, run, |tx| async {
            let done = sqlx::query(
                "UPDATE runs SET status = $1, finished_at = $2, summary = $3 \
                 WHERE id = $4 AND status = 'running'",
            )
            .bind(status.as_str())
            .bind(Utc::now())
            .bind(&summary_text)
            .bind(run.0)
            .execute(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, run))?;
            tx.commit().await.map_err(LedgerError::query(OP, run))?;
            Ok(done.rows_affected())
        }
        .await)?;
        if changed == 1 {
            return Ok(());
        }
        let actual = self.run(run).await?.status;
        Err(LedgerError::RunNotRunning {
            operation: OP,
            run_id: run.0,
            actual: actual.to_string(),
        })
    }

    /// Marks every `running` run as `interrupted` and returns their ids. Call it while
    /// holding the run lock, before starting a run: any other `running` run is then a
    /// dead process's.
    pub async fn interrupt_stale_runs(&self) -> Result<Vec<RunId>, LedgerError> {
        const OP: &str = "interrupt_stale_runs";
        let ids: Vec<(i64,)> = with_writer!(self, OP, "running runs", |tx| async {
            let ids = sqlx::query_as(
                "UPDATE runs SET status = 'interrupted', finished_at = $1 \
                 WHERE status = 'running' RETURNING id",
            )
            .bind(Utc::now())
            .fetch_all(&mut *tx)
            .await
            .map_err(LedgerError::query(OP, "running runs"))?;
            tx.commit()
                .await
                .map_err(LedgerError::query(OP, "running runs"))?;
            Ok(ids)
        }
        .await)?;
        let mut ids: Vec<RunId> = ids.into_iter().map(|(id,)| RunId(id)).collect();
        ids.sort();
        Ok(ids)
    }

    /// One run.
    pub async fn run(&self, run: RunId) -> Result<Run, LedgerError> {
        const OP: &str = "show run";
        let found = with_reader!(self, |pool| {
            match sqlx::query(concat!(
                "SELECT ",
                run_columns!(),
                " FROM runs WHERE id = $1"
            ))
            .bind(run.0)
            .fetch_optional(pool)
            .await
            .map_err(LedgerError::query(OP, run))?
            {
                Some(row) => Some(run_from_row(&row, OP)?),
                None => None,
            }
        });
        found.ok_or_else(|| LedgerError::NotFound {
            operation: OP,
            what: "run",
            id: run.0.to_string(),
        })
    }

    /// The most recent runs, newest first.
    pub async fn list_runs(&self, limit: u32) -> Result<Vec<Run>, LedgerError> {
        const OP: &str = "list runs";
        with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                run_columns!(),
                " FROM runs ORDER BY id DESC LIMIT $1"
            ))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, format!("last {limit} runs")))?;
            rows.iter().map(|row| run_from_row(row, OP)).collect()
        })
    }

    /// A run and its actions (in the order they were recorded).
    pub async fn show_run(&self, run: RunId) -> Result<(Run, Vec<Action>), LedgerError> {
        const OP: &str = "show run";
        let header = self.run(run).await?;
        let actions = with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE run_id = $1 ORDER BY id"
            ))
            .bind(run.0)
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, run))?;
            rows.iter()
                .map(|row| action_from_row(row, OP))
                .collect::<Result<Vec<_>, _>>()?
        });
        Ok((header, actions))
    }
}
