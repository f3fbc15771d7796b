//! `relanced setup-odoo`: run once with an administrator's key, it creates what the daily
//! runs rely on — the marker tags (with their colours), the exclusion tag, the strategy
//! tags and the postponement activity type — idempotently, and says which groups the
//! daily bot user needs.

use crate::config::Config;
use crate::odoo::{OdooApi, OdooError, Struct, Value, leaf, writeback};
use std::collections::BTreeMap;

/// What setup found and did.
#[derive(Debug, Default, serde::Serialize)]
pub struct SetupReport {
    /// Tag name → (id, created now).
    pub tags: BTreeMap<String, (i64, bool)>,
    /// Postponement activity type (id, created now).
    pub postponement_type: Option<(i64, bool)>,
}

/// Groups the daily bot user needs, as Odoo 18 names them, then Odoo 19 (which renamed
/// them; neither has a "Billing" group: `account.group_account_invoice` is "Invoicing").
pub const BOT_GROUPS: &[&str] = &[
    "User types / Internal User (Odoo 19: Role / User)",
    "Invoicing / Invoicing (Odoo 19: Accounting / Invoicing)",
    "Extra Rights / Contact Creation (Odoo 19: Contact / Creation)",
];

pub async fn setup_odoo(config: &Config, api: &impl OdooApi) -> Result<SetupReport, OdooError> {
    let mut wanted: BTreeMap<String, i64> = BTreeMap::new();
    for level in config
        .strategy_set
        .strategies
        .iter()
        .flat_map(|s| s.levels.iter())
    {
        if let Some(m) = &level.marker {
            wanted.insert(m.tag.clone(), i64::from(m.color));
        }
    }
    // The exclusion tag in grey, strategy tags without colour.
    wanted
        .entry(config.followup.exclusion_tag.clone())
        .or_insert(0);
    for s in &config.strategies {
        if let Some(tag) = &s.tag {
            wanted.entry(tag.clone()).or_insert(0);
        }
    }
    let names: Vec<Value> = wanted.keys().map(|n| Value::from(n.as_str())).collect();
    let existing: Vec<String> = api
        .search_read(
            "res.partner.category",
            vec![leaf("name", "in", Value::Array(names))],
            &["name"],
            Default::default(),
        )
        .await?
        .iter()
        .filter_map(|r| r.get("name").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let list: Vec<(String, i64)> = wanted.into_iter().collect();
    let ids = writeback::ensure_tags(api, &list).await?;
    let mut report = SetupReport::default();
    for (name, id) in ids {
        let created = !existing.contains(&name);
        report.tags.insert(name, (id, created));
    }

    let type_name = &config.followup.postponement_activity_type;
    let found = api
        .search_read(
            "mail.activity.type",
            vec![leaf("name", "=", type_name.as_str())],
            &["name"],
            Default::default(),
        )
        .await?;
    report.postponement_type = match found
        .first()
        .and_then(|r| r.get("id"))
        .and_then(Value::as_i64)
    {
        Some(id) => Some((id, false)),
        None => {
            let vals = Struct::new()
                .with("name", type_name.as_str())
                .with("category", "default")
                .with(
                    "summary",
                    "Relance suspendue jusqu'à la date d'échéance de l'activité",
                )
                .with("delay_count", 30);
            let ids = api.create("mail.activity.type", vec![vals], None).await?;
            ids.first().map(|id| (*id, true))
        }
    };
    Ok(report)
}

pub fn describe(report: &SetupReport) -> String {
    let mut out = String::new();
    for (name, (id, created)) in &report.tags {
        out.push_str(&format!(
            "{} tag {name:?} (id {id})\n",
            if *created { "created " } else { "existing" }
        ));
    }
    if let Some((id, created)) = report.postponement_type {
        out.push_str(&format!(
            "{} activity type for postponements (id {id})\n",
            if created { "created " } else { "existing" }
        ));
    }
    out.push_str(&format!(
        "\nThe daily bot user needs the groups: {}; and an email address.\nThen run `relanced check` with the bot user's key.\n",
        BOT_GROUPS.join(", ")
    ));
    out
}
