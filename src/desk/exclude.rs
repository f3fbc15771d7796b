//! Excluding a customer from reminders, or including it again: the exclusion tag
//! (`followup.exclusion_tag`, `Relance : exclu` by default) added to or removed from the
//! partner with `[4, id]` / `[3, id]`, in one write; no other tag is touched. The next plan
//! sees the tag (FOLLOWUP.md: an excluded customer is not followed, its marker removed).
//!
//! It writes nothing else (who did it is the console's audit log and the log line here).

use super::{Actor, DeskError, existing_customer, followed_company};
use crate::app::App;
use crate::followup::{CompanyId, CustomerId};
use crate::odoo::{OdooApi, Struct, Value, leaf, writeback};

/// What an exclusion or inclusion did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExclusionChange {
    pub customer: CustomerId,
    /// The exclusion tag (`res.partner.category`), `None` when it does not exist in Odoo
    /// (an inclusion then has nothing to remove).
    pub tag_id: Option<i64>,
    /// The customer is excluded now.
    pub excluded: bool,
    /// The partner's tags were written (false: it already was as asked).
    pub changed: bool,
}

/// Adds the exclusion tag to `customer` (creating the tag, grey, if Odoo lacks it).
pub async fn exclude(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
    by: &Actor,
) -> Result<ExclusionChange, DeskError> {
    followed_company(app, company).await?;
    existing_customer(app, customer).await?;
    let client = app.odoo()?;
    let name = app.config().followup.exclusion_tag.clone();
    let ids = writeback::ensure_tags(client, &[(name.clone(), 0)]).await?;
    let tag = ids.get(&name).copied();
    let tags = partner_tags(app, customer).await?;
    let changed = match tag {
        Some(id) if !tags.contains(&id) => {
            write_tag(app, customer, 4, id).await?;
            true
        }
        _ => false,
    };
    tracing::info!(customer = %customer, by = %by.login, changed, "customer excluded from reminders");
    Ok(ExclusionChange {
        customer,
        tag_id: tag,
        excluded: true,
        changed,
    })
}

/// Removes the exclusion tag from `customer`; other tags stay.
pub async fn include(
    app: &App,
    company: CompanyId,
    customer: CustomerId,
    by: &Actor,
) -> Result<ExclusionChange, DeskError> {
    followed_company(app, company).await?;
    existing_customer(app, customer).await?;
    let client = app.odoo()?;
    let name = app.config().followup.exclusion_tag.as_str();
    let tag = client
        .search_read(
            "res.partner.category",
            vec![leaf("name", "=", name)],
            &["name"],
            Default::default(),
        )
        .await?
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64);
    let tags = partner_tags(app, customer).await?;
    let changed = match tag {
        Some(id) if tags.contains(&id) => {
            write_tag(app, customer, 3, id).await?;
            true
        }
        _ => false,
    };
    tracing::info!(customer = %customer, by = %by.login, changed, "customer included in reminders again");
    Ok(ExclusionChange {
        customer,
        tag_id: tag,
        excluded: false,
        changed,
    })
}

/// The partner's tag ids.
pub(crate) async fn partner_tags(app: &App, customer: CustomerId) -> Result<Vec<i64>, DeskError> {
    let client = app.odoo()?;
    let rows = client
        .read("res.partner", &[customer.get()], &["category_id"], None)
        .await?;
    let row = rows.first().ok_or(DeskError::NoSuchCustomer { customer })?;
    Ok(row
        .get("category_id")
        .and_then(Value::as_ids)
        .unwrap_or_default())
}

/// One many2many command on the partner's tags: `4` links, `3` unlinks.
async fn write_tag(
    app: &App,
    customer: CustomerId,
    command: i64,
    tag: i64,
) -> Result<(), DeskError> {
    let client = app.odoo()?;
    let commands = Value::Array(vec![Value::from(vec![command, tag])]);
    client
        .write(
            "res.partner",
            &[customer.get()],
            Struct::new().with("category_id", commands),
            None,
        )
        .await?;
    Ok(())
}
