//! `/approvals`: the levels with manual approval that a run proposed and nobody approved
//! yet (`manual::pending_approval`), each with its letter preview; approving all or some
//! runs `manual::approval_selection` + `manual::run_selection` (as `relanced approve`)
//! with the approver set on the selection: recorded in the ledger (`run_approvals`), said
//! in the Odoo notes ("Approuvé par …") and in the audit trail.

use super::super::web::Signed;
use super::super::{Console, web};
use super::launch::start_run;
use super::{attempt, work};
use crate::followup::CustomerId;
use crate::ledger::{RunId, RunKind};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

type Pending = Option<(crate::ledger::Run, Vec<crate::present::console::PlanLine>)>;

/// The pending run and the lines of its customers the user may see.
async fn pending(c: &Console, companies: Vec<i64>) -> Result<Pending, String> {
    let app = c.app();
    work(move || async move {
        let ledger = app
            .ledger()
            .await
            .map_err(crate::manual::ManualError::from)?;
        let Some((run, waiting)) = crate::manual::pending_approval(ledger).await? else {
            return Ok(None);
        };
        let mine = crate::manual::companies_among(&app, &companies).await?;
        let plans = crate::manual::plans(&app, run.as_of, &mine, &|_| {}).await?;
        let lines = waiting
            .iter()
            .filter_map(|id| crate::present::console::find(&plans, id.get()))
            .filter_map(|(company, d)| crate::present::console::line(company, d))
            .collect();
        Ok::<_, crate::manual::ManualError>(Some((run, lines)))
    })
    .await?
    .map_err(|e| e.to_string())
}

pub async fn page(State(c): State<Arc<Console>>, Signed(s): Signed) -> Response {
    let pending = match pending(&c, s.identity.companies.clone()).await {
        Ok(p) => p,
        Err(e) => return web::failure(&c, &s, e),
    };
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "approvals");
    ctx.insert("run", &pending.as_ref().map(|(r, _)| r));
    ctx.insert("lines", &pending.map(|(_, l)| l).unwrap_or_default());
    web::page(&c, "approvals.html", &ctx)
}

pub async fn submit(
    State(c): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (s, form) = match web::posted(&c, &headers, &body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let Some((run, lines)) = (match pending(&c, s.identity.companies.clone()).await {
        Ok(p) => p,
        Err(e) => return web::failure(&c, &s, e),
    }) else {
        return Redirect::to("/approvals").into_response();
    };
    if form.get("run").and_then(|r| r.parse().ok()) != Some(run.id.0) {
        return web::failure(
            &c,
            &s,
            format!(
                "run {} is not the one waiting for approval",
                form.get("run").unwrap_or("?")
            ),
        );
    }
    // Only customers shown to this user (their companies) can be approved.
    let visible: Vec<i64> = lines.iter().map(|l| l.customer_id).collect();
    let asked = form.ids("customer");
    if let Some(other) = asked.iter().find(|id| !visible.contains(id)) {
        return web::failure(
            &c,
            &s,
            format!("customer {other} is not waiting for your approval"),
        );
    }
    if asked.is_empty() {
        return Redirect::to("/approvals").into_response();
    }
    let customers: Vec<CustomerId> = asked.iter().map(|&id| id.into()).collect();
    let app = c.app();
    let run_id = run.id;
    let result = attempt(&c, &s, move || async move {
        crate::manual::approval_selection(&app, RunId(run_id.0), &customers).await
    })
    .await;
    let (as_of, mut selection) = match result {
        Ok(v) => v,
        Err(r) => return r,
    };
    // The approver goes into the ledger (the run's approvals) and the Odoo notes.
    selection.approved_by = Some((&super::desk::actor(&s)).into());
    let address = web::address(&c, &headers, peer);
    web::audit(
        &c,
        &s,
        &address,
        "approve",
        format!("run {}, customers {asked:?}", run.id.0),
    )
    .await;
    if !start_run(&c, as_of, RunKind::Approve, selection) {
        return web::message(
            &c,
            &s.identity.lang,
            StatusCode::CONFLICT,
            "in_progress",
            None,
        );
    }
    Redirect::to("/runs").into_response()
}
