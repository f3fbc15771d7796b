//! `/customers/{id}`: a customer's open items with days overdue, the reminders already
//! sent (from the ledger), the level due next and why, a preview of the email (served
//! apart under `Content-Security-Policy: sandbox` and shown in a sandboxed iframe) and of
//! the letter (PDF). Only customers of the user's companies are shown.

use super::super::session::Session;
use super::super::web::Signed;
use super::super::{Console, web};
use super::{attempt, not_found, work};
use crate::followup::Decision;
use crate::preview::{PreviewFormat, PreviewRequest};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The customer's decision today, in one of the user's companies, and its company.
async fn decision(
    c: &Console,
    s: &Session,
    customer: i64,
) -> Result<Option<(i64, Decision)>, String> {
    let app = c.app();
    let as_of = web::today(c);
    let identity = s.identity.clone();
    let result = work(move || async move {
        let mine = crate::manual::companies_among(&app, &identity.companies).await?;
        let plans = crate::manual::plans(&app, as_of, &mine, &|_| {}).await?;
        Ok::<_, crate::manual::ManualError>(
            crate::present::console::find(&plans, customer).map(|(co, d)| (co, d.clone())),
        )
    })
    .await?;
    result.map_err(|e| e.to_string())
}

pub async fn page(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    let (company, d) = match decision(&c, &s, id).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return web::message(
                &c,
                &s.identity.lang,
                StatusCode::NOT_FOUND,
                "not_found",
                None,
            );
        }
        Err(e) => return web::failure(&c, &s, e),
    };
    let app = c.app();
    let as_of = web::today(&c);
    let situation = attempt(&c, &s, move || async move {
        crate::desk::situation::customer_situation(&app, company.into(), id.into(), as_of).await
    })
    .await;
    let situation = match situation {
        Ok(situation) => situation,
        Err(r) => return r,
    };
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("customer_id", &id);
    ctx.insert("as_of", &as_of.to_string());
    ctx.insert("view", &crate::present::console::customer(&situation));
    ctx.insert("line", &crate::present::console::line(company, &d));
    web::page(&c, "customer.html", &ctx)
}

/// The preview of the customer's communication due today in `format`.
async fn preview(
    c: &Console,
    s: &Session,
    id: i64,
    format: PreviewFormat,
) -> Result<Vec<u8>, Response> {
    let d = match decision(c, s, id).await {
        Ok(Some((_, d))) => d,
        Ok(None) => return Err(not_found()),
        Err(e) => return Err(web::failure(c, s, e)),
    };
    let Some(level) = d.communication().map(|x| x.key.clone()) else {
        return Err(web::message(
            c,
            &s.identity.lang,
            StatusCode::NOT_FOUND,
            "no_preview",
            None,
        ));
    };
    let request = PreviewRequest {
        customer: d.customer_id,
        level: Some(level),
        lang: None,
        format,
        as_of: web::today(c),
    };
    let app = c.app();
    attempt(c, s, move || async move {
        let pdf = app.pdf_single();
        crate::preview::preview(&app, pdf.as_ref(), &request).await
    })
    .await
}

/// The email as HTML, sandboxed: no script, no form, no same-origin access.
pub async fn email(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    match preview(&c, &s, id, PreviewFormat::Html).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "sandbox; default-src 'none'; img-src data: https:; style-src 'unsafe-inline'",
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(r) => r,
    }
}

/// The letter as PDF.
pub async fn letter(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    match preview(&c, &s, id, PreviewFormat::Pdf).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"letter-{id}.pdf\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(r) => r,
    }
}
