//! `relanced preview`: what a customer would receive today (or at a given level), rendered
//! from live Odoo data exactly as a run would render it, without sending or writing.
//! It must not send anything nor write anywhere; it reads the ledger only for the personal
//! paragraph waiting for the customer (the desk's), and only when the ledger exists.

use crate::app::{App, AppError};
use crate::execute::compose::{ComposeContext, SUSPENSION_NOTICE_DAYS, compose};
use crate::followup::{Communication as Planned, CustomerId, PlannedAction};
use crate::odoo::OdooError;
use crate::odoo::company::{companies, company_info, currencies};
use crate::odoo::features::ServerFeatures;
use crate::operate::plan_company;
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

/// Why there is nothing to show.
#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("customer {customer} is not followed: {explanation}")]
    NotFollowed {
        customer: CustomerId,
        explanation: String,
    },
    #[error("strategy {strategy:?} has no level {level:?}")]
    NoSuchLevel { strategy: String, level: String },
    #[error(
        "customer {customer} gets nothing today ({explanation}); pass --level to see a level anyway"
    )]
    NothingToday {
        customer: CustomerId,
        explanation: String,
    },
    #[error("customer {0} has no open item in the followed companies")]
    NoOpenItem(CustomerId),
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    Render(#[from] crate::render::RenderError),
    #[error(transparent)]
    Pdf(#[from] crate::render::PdfError),
    #[error(transparent)]
    Channel(#[from] crate::deliver::ChannelError),
    #[error(transparent)]
    Mail(#[from] crate::deliver::MailError),
}

pub struct PreviewRequest {
    pub customer: CustomerId,
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
    app: &App,
    pdf: &dyn PdfRenderer,
    request: &PreviewRequest,
) -> Result<Vec<u8>, PreviewError> {
    let config = app.config();
    let client = app.odoo()?;
    let features = ServerFeatures::detect(client).await?;
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
            .ok_or_else(|| PreviewError::NotFollowed {
                customer: request.customer,
                explanation: decision.explanation.clone(),
            })?;
        let planned = match (&request.level, decision.communication()) {
            (Some(key), _) => {
                forced(strategy, key, request.as_of).ok_or_else(|| PreviewError::NoSuchLevel {
                    strategy: strategy.name.clone(),
                    level: key.clone(),
                })?
            }
            (None, Some(c)) => c.clone(),
            (None, None) => {
                return Err(PreviewError::NothingToday {
                    customer: request.customer,
                    explanation: decision.explanation.clone(),
                });
            }
        };
        let mut decision = decision.clone();
        if let Some(lang) = &request.lang {
            decision.lang = Some(lang.clone());
        }
        let company_info = company_info(config, client, company).await?;
        let currencies = currencies(client, &snapshot).await?;
        let users = BTreeMap::new();
        // The paragraph waiting for this customer shows in the preview (not consumed).
        let paragraphs = app
            .pending_paragraphs_read_only(company)
            .await
            .map_err(|e| PreviewError::App(AppError::Ledger(e)))?;
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
            paragraphs: &paragraphs,
            approved_by: None,
        };
        let view = compose(&decision, &planned, strategy, &ctx, "preview");
        let templates = app.templates()?;
        return Ok(match request.format {
            PreviewFormat::Html => templates.render_email(&view)?.html.into_bytes(),
            PreviewFormat::Txt => {
                let e = templates.render_email(&view)?;
                format!("Subject: {}\n\n{}", e.subject, e.text).into_bytes()
            }
            PreviewFormat::Eml => {
                let e = templates.render_email(&view)?;
                let from = app.from_mailbox()?;
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
    Err(PreviewError::NoOpenItem(request.customer))
}
