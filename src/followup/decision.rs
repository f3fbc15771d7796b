//! Output of the engine: a `Plan` of one `Decision` per customer, ready for the executor
//! (what to do, to whom, what to record) and the renderer (items, totals, texts).
//!
//! Plain serialisable data; building it is `plan.rs`'s job.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::assign::AssignedBy;
use super::eligibility::ItemStatus;
use super::ids::CustomerId;
use super::marker::MarkerShown;
use super::model::{Tag, UserRef};
use super::strategy::{ActivitySpec, Approval};

/// The decisions of one run for one company.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub as_of: NaiveDate,
    pub company_id: crate::followup::CompanyId,
    /// One per customer, sorted by customer id.
    pub decisions: Vec<Decision>,
    /// Things a person should fix (strategy tag conflicts, items of unknown customers).
    pub warnings: Vec<String>,
}

impl Plan {
    /// The decision about customer `id`.
    pub fn decision(&self, customer_id: CustomerId) -> Option<&Decision> {
        self.decisions.iter().find(|d| d.customer_id == customer_id)
    }

    /// Decisions that communicate (executed or proposed).
    pub fn communications(&self) -> impl Iterator<Item = (&Decision, &Communication)> {
        self.decisions
            .iter()
            .filter_map(|d| d.communication().map(|c| (d, c)))
    }
}

/// What happens to one customer in this run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decision {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub lang: Option<String>,
    /// Strategy followed (none when not followed).
    pub strategy: Option<String>,
    pub assigned_by: Option<AssignedBy>,
    pub decision: Outcome,
    /// Every open item, sorted by due date then name, with its status.
    pub items: Vec<ListedItem>,
    /// Per currency, sorted by currency code.
    pub totals: Vec<CurrencyTotal>,
    /// The marker the customer must carry after this run (none → no marker).
    pub marker: Option<MarkerShown>,
    /// Marker tags the customer carries and must lose.
    pub markers_to_remove: Vec<Tag>,
    pub recipients: Vec<Recipient>,
    /// An email was due but no address exists: a letter replaces it.
    pub no_email: bool,
    /// Who gets calls and activities.
    pub responsible: Option<Responsible>,
    /// Why, in one line a person can read (plan output and chatter note).
    pub explanation: String,
}

impl Decision {
    pub fn communication(&self) -> Option<&Communication> {
        match &self.decision {
            Outcome::Communicate(c) => Some(c),
            Outcome::Nothing { .. } => None,
        }
    }

    /// Items listed as counted in the communication.
    pub fn reminded_items(&self) -> impl Iterator<Item = &ListedItem> {
        self.items
            .iter()
            .filter(|i| i.status == ItemStatus::Overdue)
    }
}

/// Communicate or not.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Outcome {
    Communicate(Communication),
    Nothing { reason: NothingReason },
}

/// A communication at the customer level.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Communication {
    pub level: u32,
    pub key: String,
    pub label: String,
    pub template: String,
    pub actions: Vec<PlannedAction>,
    /// Manual: proposed, not executed until approved.
    pub approval: Approval,
    /// `sent(i)` of each listed item once executed.
    pub record: Vec<ItemRecord>,
    /// The decision's explanation in the company's language (`Settings::lang`), for
    /// what relanced writes into Odoo: the chatter note and activities.
    pub explanation_odoo: String,
}

/// Level to record for an item after the communication is executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ItemRecord {
    pub item_id: i64,
    pub level: u32,
}

/// One side effect of a communication (the chatter note is always written as well).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PlannedAction {
    Email,
    Letter {
        /// The level asked for an email and the customer has no address.
        instead_of_email: bool,
    },
    Call {
        deadline: NaiveDate,
        /// From the level's `activity` settings, when given.
        summary: Option<String>,
    },
    Activity {
        spec: ActivitySpec,
        deadline: NaiveDate,
    },
}

/// Why nothing is sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NothingReason {
    NotFollowed { why: String },
    NoOpenItem,
    NetCredit { balance: Decimal, currency: String },
    Postponed { until: NaiveDate },
    BelowMinimum,
    NothingDue,
    Gated { until: NaiveDate },
}

/// An open item as listed for this customer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListedItem {
    pub item_id: i64,
    pub move_id: i64,
    pub move_name: String,
    pub payment_reference: Option<String>,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub currency: String,
    pub residual: Decimal,
    pub residual_company: Decimal,
    #[serde(flatten)]
    pub status: ItemStatus,
    /// `sent(i)` before this run.
    pub level_sent: u32,
    /// Level the item is due for now, if any.
    pub level_due: Option<u32>,
    /// Highest level whose offset has elapsed.
    pub level_reached: u32,
    /// Late interest on this item (zero unless the level charges interest).
    pub interest: Decimal,
    /// Recovery indemnity charged on this item (once per invoice).
    pub indemnity: Decimal,
}

/// Amounts of one currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CurrencyTotal {
    pub currency: String,
    /// Counted items listed in the communication (overdue or pre-due).
    pub overdue: Decimal,
    pub not_yet_due: Decimal,
    /// Sum of credits (≤ 0).
    pub credits: Decimal,
    /// Sum of every open item.
    pub balance: Decimal,
    pub minimum: Option<Decimal>,
    /// The overdue amount reaches the minimum: this currency is reminded.
    pub reaches_minimum: bool,
    pub fee: Decimal,
    pub interest: Decimal,
    pub indemnity: Decimal,
    /// `overdue + fee + interest + indemnity`.
    pub total_due: Decimal,
}

/// Someone an email goes to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub partner_id: i64,
    pub name: String,
    pub email: String,
    pub lang: Option<String>,
}

/// Where the responsible user comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibleSource {
    CustomerSalesperson,
    InvoiceSalesperson,
    Configured,
    Fallback,
}

/// The user who gets calls and activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Responsible {
    pub user_id: i64,
    pub name: Option<String>,
    pub source: ResponsibleSource,
}

impl Responsible {
    pub fn from_user(user: &UserRef, source: ResponsibleSource) -> Self {
        Self {
            user_id: user.id,
            name: Some(user.name.clone()),
            source,
        }
    }
}
