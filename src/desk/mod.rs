//! The credit controller's desk (issue 12): what a person does about one customer besides
//! the daily run — see its situation, postpone it (an Odoo activity), exclude or include it
//! (the exclusion tag), write a personal paragraph for its next reminder, approve a
//! proposed level in their own name, print a run's letters in one PDF.
//!
//! Each function takes the `App` and typed arguments and returns typed results or a
//! [`DeskError`] naming what failed (Odoo model, method and record; ledger operation). The
//! web console (HTTP, login, sessions) and the CLI (`postpone`, `exclude`, `include`,
//! `note-paragraph`, `approve --by`, `print`) call in here; nothing here knows about HTTP
//! or prints anything, and nothing decides who gets reminded (that stays the engine's).

pub mod approve;
pub mod exclude;
pub mod paragraph;
pub mod postpone;
pub mod print;
pub mod situation;

use crate::app::{App, AppError};
use crate::followup::{CompanyId, CustomerId};
use crate::ledger::{Approver, LedgerError, RunId};
use crate::odoo::OdooError;

/// The person acting: the console's logged-in Odoo user, or `--by` on the command line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Actor {
    pub login: String,
    /// As written in Odoo and the ledger: "Approuvé par {name}".
    pub name: String,
    /// The Odoo user (`res.users` id), when known: postponements are assigned to them.
    pub user_id: Option<i64>,
}

impl Actor {
    /// The person running a command: `by` when given, else the OS user, else
    /// "command line". The login is the OS user (or "command line").
    pub fn command_line(by: Option<&str>) -> Actor {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        let login = os_user.clone().unwrap_or_else(|| "command line".to_owned());
        let name = by
            .map(|b| single_line(b, MAX_NAME_CHARS))
            .filter(|b| !b.is_empty())
            .or(os_user)
            .unwrap_or_else(|| "command line".to_owned());
        Actor {
            login,
            name,
            user_id: None,
        }
    }
}

impl From<&Actor> for Approver {
    fn from(a: &Actor) -> Approver {
        Approver {
            login: a.login.clone(),
            name: a.name.clone(),
            user_id: a.user_id,
        }
    }
}

/// Longest name kept for an actor.
const MAX_NAME_CHARS: usize = 120;

/// One line of text: control characters and bidi overrides removed, whitespace collapsed,
/// at most `max` characters.
pub(crate) fn single_line(text: &str, max: usize) -> String {
    crate::render::format::single_line(text)
        .chars()
        .take(max)
        .collect()
}

/// What a person typed that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputProblem {
    #[error("it is empty")]
    Empty,
    #[error("it has {chars} characters, more than the {max} allowed; shorten it")]
    TooLong { chars: usize, max: usize },
}

/// Why a desk operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error(transparent)]
    App(#[from] AppError),
    /// Odoo refused or failed (the error names the model, method and records).
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Operate(#[from] crate::operate::OperateError),
    #[error(transparent)]
    NotProposed(#[from] crate::select::NotProposed),
    #[error(
        "company {company} is not followed (odoo.companies) or the Odoo user may not access it"
    )]
    CompanyNotFollowed { company: CompanyId },
    #[error(
        "customer {customer} (res.partner) does not exist, is archived or is not readable by the Odoo user"
    )]
    NoSuchCustomer { customer: CustomerId },
    #[error(
        "invoice {invoice} (account.move) is not a posted entry of customer {customer} in company {company}"
    )]
    InvoiceNotOfCustomer {
        invoice: i64,
        customer: CustomerId,
        company: CompanyId,
    },
    #[error(
        "Odoo has no activity type {name:?} (mail.activity.type, followup.postponement_activity_type): run `relanced setup-odoo`"
    )]
    NoPostponementType { name: String },
    #[error("{what} for customer {customer}: {problem}")]
    Input {
        what: &'static str,
        customer: CustomerId,
        problem: InputProblem,
    },
    #[error("printing {run}: {detail}")]
    Print { run: RunId, detail: String },
}

/// Fails unless `company` is one of the companies relanced follows for this Odoo user.
pub(crate) async fn followed_company(app: &App, company: CompanyId) -> Result<(), DeskError> {
    let client = app.odoo()?;
    let followed = crate::odoo::company::companies(app.config(), client).await?;
    if followed.contains(&company.get()) {
        Ok(())
    } else {
        Err(DeskError::CompanyNotFollowed { company })
    }
}

/// Fails unless `customer` is a readable partner.
pub(crate) async fn existing_customer(app: &App, customer: CustomerId) -> Result<(), DeskError> {
    use crate::odoo::{OdooApi, leaf};
    let client = app.odoo()?;
    let found = client
        .search_count("res.partner", vec![leaf("id", "=", customer.get())], None)
        .await?;
    if found == 1 {
        Ok(())
    } else {
        Err(DeskError::NoSuchCustomer { customer })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_actor_is_named_by_by_cleaned_and_shortened() {
        let a = Actor::command_line(Some("  Jeanne\u{7} \n Dupont\u{202E} "));
        assert_eq!(a.name, "Jeanne Dupont");
        assert_eq!(a.user_id, None);
        assert!(!a.login.is_empty());
        let long = Actor::command_line(Some(&"x".repeat(500)));
        assert_eq!(long.name.chars().count(), MAX_NAME_CHARS);
        // Without --by (or an empty one), the login names the person.
        let os = Actor::command_line(Some("  "));
        assert_eq!(os.name, os.login);
        assert_eq!(Actor::command_line(None).name, os.login);
    }
}
