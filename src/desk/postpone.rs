//! Postponing a customer's reminders, or one invoice's: an activity of the postponement
//! type (`followup.postponement_activity_type`, `Relance : report` by default) on the
//! invoice (`account.move`) or on the customer (`res.partner`), deadline = until, the
//! reason as its note, assigned to the person who postponed (else the bot user). The next
//! plan reads it like any postponement made in Odoo (FOLLOWUP.md: postponed through its
//! deadline day, counted again the day after).
//!
//! Created with `mail.activity.create` and `default_res_model` in the context, as relanced
//! creates every activity (non-admin users may not read `ir.model`).

use super::{Actor, DeskError, InputProblem, existing_customer, followed_company};
use crate::app::App;
use crate::followup::{CompanyId, CustomerId};
use crate::odoo::{OdooApi, Struct, Value, leaf};
use chrono::NaiveDate;

/// Longest reason kept (the activity's note).
pub const MAX_REASON_CHARS: usize = 2000;
/// Longest activity summary (the reason's first line, shortened).
const MAX_SUMMARY_CHARS: usize = 80;

/// What to postpone, until when and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
pub struct PostponeRequest {
    pub company: CompanyId,
    pub customer: CustomerId,
    /// One invoice (`account.move` id) of the customer; `None`: the whole customer.
    pub invoice: Option<i64>,
    /// Last day of the postponement: the customer is counted again the day after.
    pub until: NaiveDate,
    pub reason: String,
    pub by: Actor,
}

/// The postponement written in Odoo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Postponed {
    /// The `mail.activity` created.
    pub activity_id: i64,
    /// `account.move` or `res.partner`.
    pub res_model: &'static str,
    pub res_id: i64,
    pub until: NaiveDate,
    pub activity_type_id: i64,
    /// The user the activity is assigned to.
    pub user_id: i64,
}

/// Writes the postponement activity in Odoo.
pub async fn postpone(app: &App, request: PostponeRequest) -> Result<Postponed, DeskError> {
    let reason = clean_reason(&request.reason).map_err(|problem| DeskError::Input {
        what: "postponement reason",
        customer: request.customer,
        problem,
    })?;
    followed_company(app, request.company).await?;
    existing_customer(app, request.customer).await?;
    let client = app.odoo()?;
    let type_name = &app.config().followup.postponement_activity_type;
    let activity_type_id = client
        .search_read(
            "mail.activity.type",
            vec![leaf("name", "=", type_name.as_str())],
            &["name"],
            Default::default(),
        )
        .await?
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64)
        .ok_or_else(|| DeskError::NoPostponementType {
            name: type_name.clone(),
        })?;
    let (res_model, res_id) = match request.invoice {
        Some(invoice) => {
            check_invoice(app, invoice, request.customer, request.company).await?;
            ("account.move", invoice)
        }
        None => ("res.partner", request.customer.get()),
    };
    let user_id = match request.by.user_id {
        Some(id) => id,
        None => client.session().await?.uid,
    };
    let summary = summary_of(&reason);
    let note = format!(
        "<p>{}</p><p>— {}</p>",
        crate::render::paragraph_html(&reason),
        crate::odoo::writeback::html_escape(&request.by.name)
    );
    let vals = Struct::new()
        .with("res_id", res_id)
        .with("activity_type_id", activity_type_id)
        .with("summary", summary.as_str())
        .with("note", note.as_str())
        .with(
            "date_deadline",
            request.until.format("%Y-%m-%d").to_string(),
        )
        .with("user_id", user_id);
    let context = Struct::new().with("default_res_model", res_model);
    let created = client
        .create("mail.activity", vec![vals], Some(context))
        .await?;
    let activity_id = created.first().copied().ok_or_else(|| {
        crate::odoo::OdooError::protocol("mail.activity", "create", &[res_id], "no id returned")
    })?;
    tracing::info!(
        activity_id, res_model, res_id, until = %request.until, by = %request.by.login,
        "postponement written"
    );
    Ok(Postponed {
        activity_id,
        res_model,
        res_id,
        until: request.until,
        activity_type_id,
        user_id,
    })
}

/// The reason as kept: control characters gone, lines trimmed at the ends, not empty, at
/// most [`MAX_REASON_CHARS`] characters.
pub fn clean_reason(reason: &str) -> Result<String, InputProblem> {
    super::paragraph::clean_text(reason, MAX_REASON_CHARS)
}

/// The activity's summary: the reason's first line, shortened.
fn summary_of(reason: &str) -> String {
    let first = reason.lines().next().unwrap_or_default();
    if first.chars().count() <= MAX_SUMMARY_CHARS {
        return first.to_owned();
    }
    let mut short: String = first.chars().take(MAX_SUMMARY_CHARS - 1).collect();
    short.push('…');
    short
}

/// Fails unless `invoice` is a posted entry of `customer` in `company`.
async fn check_invoice(
    app: &App,
    invoice: i64,
    customer: CustomerId,
    company: CompanyId,
) -> Result<(), DeskError> {
    let client = app.odoo()?;
    let rows = client
        .search_read(
            "account.move",
            vec![
                leaf("id", "=", invoice),
                leaf("commercial_partner_id", "=", customer.get()),
                leaf("company_id", "=", company.get()),
                leaf("state", "=", "posted"),
            ],
            &["name"],
            Default::default(),
        )
        .await?;
    if rows.is_empty() {
        return Err(DeskError::InvoiceNotOfCustomer {
            invoice,
            customer,
            company,
        });
    }
    Ok(())
}
