//! `relanced check`, per followed company: the user may access it, how many open items
//! and customers it has, and the strategies' minimum amounts for the currencies of those
//! items (`minimums.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::{Report, minimums};
use crate::config::Config;
use crate::odoo::api::OdooApi;
use crate::odoo::error::{ErrorKind, OdooError};
use crate::odoo::records::{company_context, open_items_domain};
use crate::odoo::{OdooClient, Value};

pub(super) async fn check_companies(
    config: &Config,
    client: &OdooClient,
    user_companies: &BTreeSet<i64>,
    report: &mut Report,
) {
    let companies: Vec<i64> = if config.odoo.companies.is_empty() {
        user_companies.iter().copied().collect()
    } else {
        config.odoo.companies.clone()
    };
    for company in companies {
        let context = Some(company_context(company));
        match client.search_count("account.move.line", open_items_domain(company), context.clone()).await {
            Ok(items) => {
                let counted = count_open_items(client, company, config.odoo.page_size).await;
                match counted {
                    Ok((n, per_currency)) => {
                        report.ok("company", format!("company {company}: {items} open receivable items, {n} customers"));
                        let currency = company_currency(client, company).await;
                        for w in minimums::missing_minimums(
                            company,
                            currency.as_deref(),
                            &per_currency,
                            &config.strategy_set.strategies,
                            config.strategies.is_empty(),
                        ) {
                            report.warn("strategy", w);
                        }
                    }
                    Err(e) => report.fail("company", format!("company {company}: {e}")),
                }
            }
            Err(e) if e.kind == ErrorKind::UnauthorizedCompany => report.fail(
                "company",
                format!("company {company}: the user may not access it (add it to the user's allowed companies, or remove it from odoo.companies)"),
            ),
            Err(e) => report.fail("company", format!("company {company}: {e}")),
        }
    }
}

/// The number of customers with open items, and the open items per currency code.
async fn count_open_items(
    client: &OdooClient,
    company: i64,
    page_size: usize,
) -> Result<(usize, BTreeMap<String, usize>), OdooError> {
    let rows = client
        .search_read_all(
            "account.move.line",
            open_items_domain(company),
            &["partner_id", "currency_id"],
            page_size,
            Some(company_context(company)),
        )
        .await?;
    let mut per_currency: BTreeMap<String, usize> = BTreeMap::new();
    for (_, code) in rows
        .iter()
        .filter_map(|r| r.get("currency_id").and_then(Value::as_many2one))
    {
        *per_currency.entry(code.to_owned()).or_default() += 1;
    }
    let customers: BTreeSet<i64> = rows
        .iter()
        .filter_map(|r| {
            r.get("partner_id")
                .and_then(Value::as_many2one)
                .map(|(id, _)| id)
        })
        .collect();
    Ok((customers.len(), per_currency))
}

/// The company's currency code, if it can be read (only used to word a warning).
async fn company_currency(client: &OdooClient, company: i64) -> Option<String> {
    let rows = client
        .read("res.company", &[company], &["currency_id"], None)
        .await
        .ok()?;
    rows.first()?
        .get("currency_id")
        .and_then(Value::as_many2one)
        .map(|(_, code)| code.to_owned())
}
