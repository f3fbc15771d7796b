//! What a run reads from Odoo besides the snapshot: the companies to follow, a company's
//! letterhead, the currencies of its open items, the salespeople named in the plan, and
//! the ids of the marker tags (created once) and activity types the strategies use.
//!
//! It reads (and creates missing marker tags); it must not decide who gets reminded.

use crate::config::Config;
use crate::execute::compose::fallback_currency;
use crate::followup::{Plan, Snapshot};
use crate::odoo::records::{
    COMPANY_FIELDS, CURRENCY_FIELDS, CompanyRecord, CurrencyRecord, read_typed,
};
use crate::odoo::{OdooApi, OdooClient, OdooError, Value, leaf, writeback};
use crate::render::{BankAccount, CompanyInfo, CurrencyInfo, ResponsibleView, SymbolPosition};
use std::collections::{BTreeMap, BTreeSet};

/// The companies to follow: configured, else every company the user may access.
pub async fn companies(config: &Config, client: &OdooClient) -> Result<Vec<i64>, OdooError> {
    if !config.odoo.companies.is_empty() {
        return Ok(config.odoo.companies.clone());
    }
    let uid = client.session().await?.uid;
    let users = client
        .read("res.users", &[uid], &["company_ids"], None)
        .await?;
    Ok(users
        .first()
        .and_then(|u| u.get("company_ids"))
        .and_then(Value::as_ids)
        .unwrap_or_default())
}

/// Company letterhead: Odoo's company record, with the configured banks and logo.
pub async fn company_info(
    config: &Config,
    client: &OdooClient,
    company: i64,
) -> Result<CompanyInfo, OdooError> {
    let rec = read_typed(
        client,
        "res.company",
        &[company],
        COMPANY_FIELDS,
        None,
        CompanyRecord::from_record,
    )
    .await?
    .into_iter()
    .next();
    let mut info = match rec {
        Some(c) => CompanyInfo {
            name: c.name,
            street: c.street,
            zip: c.zip,
            city: c.city,
            country: c.country.map(|c| c.name),
            vat: c.vat,
            phone: c.phone,
            email: c.email,
            website: c.website,
            logo_path: None,
            bank_accounts: vec![],
        },
        None => CompanyInfo {
            name: format!("company {company}"),
            street: None,
            zip: None,
            city: None,
            country: None,
            vat: None,
            phone: None,
            email: None,
            website: None,
            logo_path: None,
            bank_accounts: vec![],
        },
    };
    info.bank_accounts = config
        .letterhead
        .bank_accounts
        .iter()
        .map(|b| BankAccount {
            bank: b.bank.clone(),
            iban: b.iban.clone(),
            bic: b.bic.clone(),
        })
        .collect();
    info.logo_path = config
        .letterhead
        .logo
        .as_ref()
        .map(|p| p.display().to_string());
    Ok(info)
}

/// How the currencies of the snapshot's open items are written (Odoo's, else a fallback).
pub async fn currencies(
    client: &OdooClient,
    snapshot: &Snapshot,
) -> Result<BTreeMap<String, CurrencyInfo>, OdooError> {
    let codes: BTreeSet<String> = snapshot.items.iter().map(|i| i.currency.clone()).collect();
    if codes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = client
        .search_read(
            "res.currency",
            vec![leaf(
                "name",
                "in",
                Value::Array(codes.iter().map(|c| Value::from(c.as_str())).collect()),
            )],
            CURRENCY_FIELDS,
            Default::default(),
        )
        .await?;
    let mut out: BTreeMap<String, CurrencyInfo> = rows
        .iter()
        .map(CurrencyRecord::from_record)
        .map(|c| {
            let position = if c.position == "before" {
                SymbolPosition::Before
            } else {
                SymbolPosition::After
            };
            (
                c.name.clone(),
                CurrencyInfo::new(&c.name, &c.symbol, c.decimal_places, position),
            )
        })
        .collect();
    for code in codes {
        out.entry(code.clone())
            .or_insert_with(|| fallback_currency(&code));
    }
    Ok(out)
}

/// The salespeople the plan names (calls and activities), with their email and phone.
pub async fn users(
    client: &OdooClient,
    plan: &Plan,
) -> Result<BTreeMap<i64, ResponsibleView>, OdooError> {
    let ids: Vec<i64> = plan
        .decisions
        .iter()
        .filter_map(|d| d.responsible.as_ref().map(|r| r.user_id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows = client
        .read("res.users", &ids, &["name", "partner_id"], None)
        .await?;
    let partners: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.get("partner_id")?.as_many2one().map(|(id, _)| id))
        .collect();
    let contacts: BTreeMap<i64, (Option<String>, Option<String>)> = client
        .read("res.partner", &partners, &["email", "phone"], None)
        .await?
        .iter()
        .filter_map(|p| {
            let text = |f: &str| p.get(f).and_then(Value::as_str).map(str::to_owned);
            Some((p.get("id")?.as_i64()?, (text("email"), text("phone"))))
        })
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id = r.get("id")?.as_i64()?;
            let name = r.get("name")?.as_str()?.to_owned();
            let (email, phone) = r
                .get("partner_id")
                .and_then(Value::as_many2one)
                .and_then(|(p, _)| contacts.get(&p).cloned())
                .unwrap_or_default();
            Some((id, ResponsibleView { name, email, phone }))
        })
        .collect())
}

/// The Odoo ids a run's write-back needs, resolved once per run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritebackIds {
    /// Marker tag name → id (missing tags are created).
    pub tags: BTreeMap<String, i64>,
    /// The "Call" activity type (`mail.mail_activity_data_call`), when it exists.
    pub call_type: Option<i64>,
    /// Activity type as configured (xml id or name) → id.
    pub activity_types: BTreeMap<String, i64>,
}

impl WritebackIds {
    /// The borrowed form the executor takes.
    pub fn as_ids(&self) -> crate::execute::prepare::Ids<'_> {
        crate::execute::prepare::Ids {
            tags: &self.tags,
            call_type: self.call_type,
            activity_types: &self.activity_types,
        }
    }
}

/// Marker tags (created once) and activity types used by the strategies.
pub async fn resolve_ids(client: &OdooClient, config: &Config) -> Result<WritebackIds, OdooError> {
    let levels = || {
        config
            .strategy_set
            .strategies
            .iter()
            .flat_map(|s| s.levels.iter())
    };
    let wanted: Vec<(String, i64)> = levels()
        .filter_map(|l| {
            l.marker
                .as_ref()
                .map(|m| (m.tag.clone(), i64::from(m.color)))
        })
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let tags = writeback::ensure_tags(client, &wanted).await?;
    let call_type = writeback::xmlid(client, "mail", "mail_activity_data_call")
        .await
        .ok();
    let mut activity_types = BTreeMap::new();
    for spec in levels().filter_map(|l| l.activity.as_ref()) {
        let name = spec.activity_type.clone();
        if activity_types.contains_key(&name) {
            continue;
        }
        let id = match name.split_once('.') {
            Some((module, xml)) if !name.contains(' ') => {
                writeback::xmlid(client, module, xml).await.ok()
            }
            _ => client
                .search_read(
                    "mail.activity.type",
                    vec![leaf("name", "=", name.as_str())],
                    &["name"],
                    Default::default(),
                )
                .await?
                .first()
                .and_then(|r| r.get("id"))
                .and_then(Value::as_i64),
        };
        if let Some(id) = id {
            activity_types.insert(name, id);
        }
    }
    Ok(WritebackIds {
        tags,
        call_type,
        activity_types,
    })
}
