//! A run's letters as one PDF to print recto-verso (desk's bundle): `/runs/{id}/print`
//! says how many letters and sheets, `/runs/{id}/letters.pdf` is the PDF. Only for a user
//! who sees every company of the run. The bundle is made on request (it merges every
//! letter of the run), not when the run page is shown.

use super::super::session::Session;
use super::super::web::Signed;
use super::super::{Console, web};
use super::{not_found, work};
use crate::desk::print::PrintBundle;
use crate::ledger::RunId;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The bundle of run `id`, or the response saying why not.
async fn bundle(c: &Console, s: &Session, id: i64) -> Result<PrintBundle, Response> {
    let app = c.app();
    let companies = s.identity.companies.clone();
    let result = work(move || async move {
        let (_, actions) = app.ledger().await?.show_run(RunId(id)).await?;
        if let Some(other) = actions
            .iter()
            .find(|a| !companies.contains(&a.company_id.get()))
        {
            return Ok(Err(other.company_id.get()));
        }
        crate::desk::print::run_letters_for_print(&app, RunId(id))
            .await
            .map(Ok)
    })
    .await;
    match result {
        Ok(Ok(Ok(bundle))) if bundle.letters > 0 => Ok(bundle),
        Ok(Ok(Ok(_))) => Err(not_found()),
        Ok(Ok(Err(company))) => Err(web::failure(
            c,
            s,
            format!("run {id} has letters of company {company}, which you may not see"),
        )),
        Ok(Err(e)) => Err(web::failure(c, s, e)),
        Err(e) => Err(web::failure(c, s, e)),
    }
}

pub async fn page(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    let bundle = match bundle(&c, &s, id).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "runs");
    ctx.insert("run_id", &id);
    ctx.insert("letters", &bundle.letters);
    ctx.insert("sheets", &bundle.sheets);
    ctx.insert("pages", &bundle.pages);
    web::page(&c, "print.html", &ctx)
}

pub async fn pdf(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    match bundle(&c, &s, id).await {
        Ok(bundle) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"run-{id}-letters.pdf\""),
                ),
                (
                    header::HeaderName::from_static("x-sheets"),
                    bundle.sheets.to_string(),
                ),
            ],
            bundle.pdf,
        )
            .into_response(),
        Err(r) => r,
    }
}
