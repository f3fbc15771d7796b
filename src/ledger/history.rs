//! A customer's history as the ledger knows it: every action recorded for one customer
//! of one company, oldest first (the console's customer page: reminders already sent,
//! their level, date, channel, recipients and documents). Reads only.

use super::rows::{action_columns, action_from_row};
use super::{Action, Ledger, LedgerError, with_reader};

impl Ledger {
    /// The actions recorded for `customer` (an Odoo partner id) of `company`, oldest first.
    pub async fn customer_actions(
        &self,
        company: i64,
        customer: i64,
    ) -> Result<Vec<Action>, LedgerError> {
        const OP: &str = "list a customer's actions";
        let key = format!("company {company}, customer {customer}");
        with_reader!(self, |pool| {
            let rows = sqlx::query(concat!(
                "SELECT ",
                action_columns!(),
                " FROM actions WHERE company_id = $1 AND customer_id = $2 ORDER BY id"
            ))
            .bind(company)
            .bind(customer)
            .fetch_all(pool)
            .await
            .map_err(LedgerError::query(OP, &key))?;
            rows.iter().map(|row| action_from_row(row, OP)).collect()
        })
    }
}
