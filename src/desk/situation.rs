//! One customer's situation as the credit controller sees it: its open items (days
//! overdue, amounts, currency, status), the reminders already sent (from the ledger:
//! level, date, channel, recipients, documents), the next reminder and when (from the
//! engine's plan for that customer), its postponements, whether it is excluded, and the
//! personal paragraph waiting for its next reminder.
//!
//! It reads Odoo (the company's snapshot) and the ledger; it writes nothing. The date of
//! the next reminder is the engine's answer on the data as it is now (nothing paid, no new
//! invoice): the first day, within [`HORIZON_DAYS`], on which the plan would send one.

use super::{DeskError, followed_company};
use crate::app::App;
use crate::followup::{
    self, CompanyId, CurrencyTotal, CustomerId, ListedItem, PostponementTarget, Snapshot,
};
use crate::ledger::{ActionKind, ActionState, Paragraph, RunId};
use crate::odoo::features::ServerFeatures;
use crate::operate::plan_company;
use chrono::{Duration, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// How far ahead the next reminder is looked for.
pub const HORIZON_DAYS: i64 = 366;

/// Everything about one customer, as of one date.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CustomerSituation {
    pub company: CompanyId,
    pub customer: CustomerId,
    pub name: String,
    pub as_of: NaiveDate,
    /// The strategy it follows (`None`: not followed, e.g. excluded).
    pub strategy: Option<String>,
    /// It carries the exclusion tag.
    pub excluded: bool,
    /// Every open item with its status and days overdue (the engine's listing).
    pub items: Vec<ListedItem>,
    /// Per currency: overdue, not yet due, credits, balance, charges.
    pub totals: Vec<CurrencyTotal>,
    /// Why the engine does what it does today, in the operator's words.
    pub explanation: String,
    /// The reminders (emails and letters) recorded for it, oldest first.
    pub reminders: Vec<SentReminder>,
    /// The next reminder the engine would send, if any within the horizon.
    pub next: Option<NextReminder>,
    /// Running postponements, on the customer or on its invoices.
    pub postponements: Vec<PostponementView>,
    /// The paragraph waiting for its next reminder.
    pub paragraph: Option<Paragraph>,
}

/// One email or letter of a reminder, from the ledger.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SentReminder {
    pub run: RunId,
    pub level_index: u32,
    pub level_key: String,
    /// The run's date (`as_of`).
    pub date: NaiveDate,
    /// `email` or `letter`.
    pub channel: ActionKind,
    /// `done` when it left; `uncertain`, `failed`… otherwise.
    pub state: ActionState,
    pub recipients: Vec<String>,
    /// The letter's PDF, or the email's copy, when one was kept.
    pub document_path: Option<String>,
}

/// The next reminder the engine would send.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NextReminder {
    pub level_index: u32,
    pub level_key: String,
    pub label: String,
    /// The first day it would be sent (`as_of` when it is due today).
    pub on: NaiveDate,
    /// It waits for a person's approval.
    pub needs_approval: bool,
    /// The engine's reason, that day.
    pub explanation: String,
}

/// A running postponement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PostponementView {
    /// `invoice` or `customer`.
    pub on: PostponementTarget,
    /// The invoice (`account.move`) or customer id.
    pub res_id: i64,
    /// The invoice's number, for an invoice.
    pub invoice: Option<String>,
    /// Last day of the postponement.
    pub until: Option<NaiveDate>,
}

/// The situation of `customer` in `company` as of `as_of`.
pub async fn customer_situation(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
    as_of: NaiveDate,
) -> Result<CustomerSituation, DeskError> {
    followed_company(app, company).await?;
    let client = app.odoo()?;
    let state = app.followup_state_read_only().await?;
    let features = ServerFeatures::detect(client).await?;
    let (snapshot, plan) = plan_company(
        app.config(),
        client,
        &features,
        &state,
        company.get(),
        as_of,
    )
    .await?;
    let excluded = is_excluded(app, customer).await?;
    let own = only_customer(&snapshot, customer);
    let engine_state = state.engine_state(company.get());
    let next = (1..=HORIZON_DAYS).find_map(|d| {
        let day = as_of + Duration::days(d - 1);
        let plan = if d == 1 {
            plan.clone()
        } else {
            followup::plan(&own, &engine_state, &app.config().strategy_set, day)
        };
        let decision = plan.decision(customer)?;
        let c = decision.communication()?;
        Some(NextReminder {
            level_index: c.level,
            level_key: c.key.clone(),
            label: c.label.clone(),
            on: day,
            needs_approval: c.approval == followup::Approval::Manual,
            explanation: decision.explanation.clone(),
        })
    });
    let decision = plan.decision(customer);
    let name = match decision {
        Some(d) => d.customer_name.clone(),
        None => customer_name(app, customer).await?,
    };
    let (reminders, paragraph) = if app.config().ledger.sqlite_not_created().is_some() {
        (Vec::new(), None)
    } else {
        let ledger = app.ledger().await?;
        (
            reminders(ledger, company, customer).await?,
            ledger.pending_paragraph(company, customer).await?,
        )
    };
    Ok(CustomerSituation {
        company,
        customer,
        name,
        as_of,
        strategy: decision.and_then(|d| d.strategy.clone()),
        excluded,
        items: decision.map(|d| d.items.clone()).unwrap_or_default(),
        totals: decision.map(|d| d.totals.clone()).unwrap_or_default(),
        explanation: decision
            .map(|d| d.explanation.clone())
            .unwrap_or_else(|| "no open item".to_owned()),
        reminders,
        next,
        postponements: postponements(&own, as_of),
        paragraph,
    })
}

/// The part of `snapshot` about `customer` only (its items, invoices, postponements).
fn only_customer(snapshot: &Snapshot, customer: CustomerId) -> Snapshot {
    let mut own = snapshot.clone();
    own.customers.retain(|c| c.id == customer);
    own.items.retain(|i| i.customer_id == customer);
    let moves: BTreeSet<i64> = own.items.iter().map(|i| i.move_id).collect();
    own.invoices.retain(|i| moves.contains(&i.id));
    own.postponements.retain(|p| match p.res_model {
        PostponementTarget::Invoice => moves.contains(&p.res_id),
        PostponementTarget::Customer => p.res_id == customer.get(),
    });
    own
}

fn postponements(own: &Snapshot, as_of: NaiveDate) -> Vec<PostponementView> {
    let names: BTreeMap<i64, &str> = own
        .items
        .iter()
        .map(|i| (i.move_id, i.move_name.as_str()))
        .collect();
    own.postponements
        .iter()
        .filter(|p| p.is_running(as_of))
        .map(|p| PostponementView {
            on: p.res_model,
            res_id: p.res_id,
            invoice: match p.res_model {
                PostponementTarget::Invoice => names.get(&p.res_id).map(|n| (*n).to_owned()),
                PostponementTarget::Customer => None,
            },
            until: p.deadline,
        })
        .collect()
}

async fn reminders(
    ledger: &crate::ledger::Ledger,
    company: CompanyId,
    customer: CustomerId,
) -> Result<Vec<SentReminder>, DeskError> {
    let actions = ledger.customer_actions(company, customer).await?;
    let mut dates: BTreeMap<RunId, NaiveDate> = BTreeMap::new();
    let mut out = Vec::new();
    for a in actions
        .into_iter()
        .filter(|a| matches!(a.kind, ActionKind::Email | ActionKind::Letter))
    {
        let date = match dates.get(&a.run_id) {
            Some(d) => *d,
            None => {
                let d = ledger.run(a.run_id).await?.as_of;
                dates.insert(a.run_id, d);
                d
            }
        };
        out.push(SentReminder {
            run: a.run_id,
            level_index: a.level_index,
            level_key: a.level_key,
            date,
            channel: a.kind,
            state: a.state,
            recipients: a.recipients,
            document_path: a.document_path,
        });
    }
    Ok(out)
}

async fn is_excluded(app: &App, customer: CustomerId) -> Result<bool, DeskError> {
    use crate::odoo::{OdooApi, Value, leaf};
    let client = app.odoo()?;
    let tag = client
        .search_read(
            "res.partner.category",
            vec![leaf(
                "name",
                "=",
                app.config().followup.exclusion_tag.as_str(),
            )],
            &["name"],
            Default::default(),
        )
        .await?
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64);
    let Some(tag) = tag else {
        return Ok(false);
    };
    Ok(super::exclude::partner_tags(app, customer)
        .await?
        .contains(&tag))
}

async fn customer_name(app: &App, customer: CustomerId) -> Result<String, DeskError> {
    use crate::odoo::{OdooApi, Value};
    let rows = app
        .odoo()?
        .read("res.partner", &[customer.get()], &["name"], None)
        .await?;
    rows.first()
        .and_then(|r| r.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(DeskError::NoSuchCustomer { customer })
}
