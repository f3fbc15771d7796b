//! `relanced preview`: what a customer would receive today (or at a given level), rendered
//! from live Odoo data exactly as a run would render it, without sending or writing.

use crate::config::Config;
use crate::execute::compose::{ComposeContext, SUSPENSION_NOTICE_DAYS, compose};
use crate::followup::{Communication as Planned, PlannedAction};
use crate::odoo::OdooClient;
use crate::odoo::features::Features;
use crate::operate::{OperateError, companies, plan_company};
use crate::render::PdfRenderer;
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreviewFormat {
    Html,
    Txt,
    Eml,
    Pdf,
}

pub struct PreviewRequest {
    pub customer: i64,
    pub level: Option<String>,
    pub lang: Option<String>,
    pub format: PreviewFormat,
    pub as_of: NaiveDate,
}

/// The communication at `key` for a decision, built from the strategy's level.
fn forced(strategy: &crate::followup::Strategy, key: &str, as_of: NaiveDate) -> Option<Planned> {
    let n = strategy.level_number(key)?;
    let level = strategy.level(n)?;
    let actions = level
        .actions
        .iter()
        .filter_map(|a| match a {
            crate::followup::LevelAction::Email => Some(PlannedAction::Email),
            crate::followup::LevelAction::Letter => Some(PlannedAction::Letter {
                instead_of_email: false,
            }),
            crate::followup::LevelAction::Call => Some(PlannedAction::Call {
                deadline: as_of,
                summary: None,
            }),
            // Activities are for the salesperson: nothing the customer receives.
            crate::followup::LevelAction::Activity => None,
        })
        .collect();
    Some(Planned {
        level: n,
        key: level.key.clone(),
        label: level.label.clone(),
        template: level.template.clone(),
        actions,
        approval: level.approval,
        record: vec![],
        // A preview writes nothing into Odoo.
        explanation_odoo: String::new(),
    })
}

/// Renders the preview; returns the bytes to write.
pub async fn preview(
    config: &Config,
    client: &OdooClient,
    pdf: &dyn PdfRenderer,
    request: &PreviewRequest,
) -> Result<Vec<u8>, OperateError> {
    let features = Features::detect(client).await?;
    let state = Default::default();
    for company in companies(config, client).await? {
        let (snapshot, plan) =
            plan_company(config, client, &features, &state, company, request.as_of).await?;
        let Some(decision) = plan.decision(request.customer) else {
            continue;
        };
        let strategy = decision
            .strategy
            .as_deref()
            .and_then(|s| config.strategy_set.strategies.iter().find(|x| x.name == s))
            .ok_or_else(|| {
                OperateError::Setup(format!(
                    "customer {} is not followed: {}",
                    request.customer, decision.explanation
                ))
            })?;
        let planned = match (&request.level, decision.communication()) {
            (Some(key), _) => forced(strategy, key, request.as_of).ok_or_else(|| {
                OperateError::Setup(format!("strategy {:?} has no level {key:?}", strategy.name))
            })?,
            (None, Some(c)) => c.clone(),
            (None, None) => {
                return Err(OperateError::Setup(format!(
                    "customer {} gets nothing today ({}); pass --level to see a level anyway",
                    request.customer, decision.explanation
                )));
            }
        };
        let mut decision = decision.clone();
        if let Some(lang) = &request.lang {
            decision.lang = Some(lang.clone());
        }
        let company_info = crate::operate::company_info(config, client, company).await?;
        let currencies = crate::operate::currencies(client, &snapshot).await?;
        let users = BTreeMap::new();
        let ctx = ComposeContext {
            snapshot: &snapshot,
            reference_rates: &config.strategy_set.settings.reference_rates,
            company: &company_info,
            currencies: &currencies,
            users: &users,
            default_lang: config.render.language(),
            odoo_lang: config.strategy_set.settings.lang,
            as_of: request.as_of,
            suspension_notice_days: SUSPENSION_NOTICE_DAYS,
        };
        let view = compose(&decision, &planned, strategy, &ctx, "preview");
        let templates = config.render.templates()?;
        return Ok(match request.format {
            PreviewFormat::Html => templates.render_email(&view)?.html.into_bytes(),
            PreviewFormat::Txt => {
                let e = templates.render_email(&view)?;
                format!("Subject: {}\n\n{}", e.subject, e.text).into_bytes()
            }
            PreviewFormat::Eml => {
                let e = templates.render_email(&view)?;
                let from: crate::deliver::Mailbox = config
                    .mail
                    .from
                    .as_deref()
                    .unwrap_or("relanced <relanced@localhost>")
                    .parse()
                    .map_err(|e| OperateError::Setup(format!("mail.from: {e}")))?;
                let to = decision
                    .recipients
                    .iter()
                    .filter_map(|r| {
                        r.email
                            .parse()
                            .ok()
                            .map(|a| crate::deliver::Mailbox::new(Some(r.name.clone()), a))
                    })
                    .collect();
                let email = crate::deliver::OutgoingEmail {
                    message_id: crate::deliver::message_id_for("preview", &from),
                    from,
                    to,
                    cc: vec![],
                    reply_to: None,
                    subject: e.subject,
                    html: e.html,
                    text: e.text,
                    attachments: vec![],
                    headers: vec![],
                    date: None,
                };
                crate::deliver::message::build(&email)?.eml
            }
            PreviewFormat::Pdf => pdf.render_pdf(&templates.render_letter(&view)?.html)?,
        });
    }
    Err(OperateError::Setup(format!(
        "customer {} has no open item in the followed companies",
        request.customer
    )))
}
