//! `/launch`: the launch wizard. Choose a strategy, a level and a date; the customers due
//! are listed (those without email apart), each can be left out, others added by id;
//! launching runs `manual::launch_selection` + `manual::run_selection`, the same path as
//! `relanced launch`, in the background (the runs page follows its progress).

use super::super::progress::Outcome;
use super::super::session::Session;
use super::super::{Console, web};
use super::work;
use crate::execute::Selection;
use crate::ledger::RunKind;
use crate::select::LaunchRequest;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// The strategies and their levels, for the form's choices.
fn choices(c: &Console) -> Vec<(String, Vec<(String, String)>)> {
    c.app()
        .config()
        .strategy_set
        .strategies
        .iter()
        .map(|s| {
            let levels = s
                .levels
                .iter()
                .map(|l| (l.key.clone(), l.label.clone()))
                .collect();
            (s.name.clone(), levels)
        })
        .collect()
}

/// The plans of the user's companies as of `as_of`.
async fn plans(
    c: &Console,
    s: &Session,
    as_of: NaiveDate,
) -> Result<Vec<crate::followup::Plan>, String> {
    let app = c.app();
    let identity = s.identity.clone();
    work(move || async move {
        let mine = crate::manual::companies_among(&app, &identity.companies).await?;
        crate::manual::plans(&app, as_of, &mine, &|_| {}).await
    })
    .await?
    .map_err(|e| e.to_string())
}

pub async fn form(
    State(c): State<Arc<Console>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let s = match web::actor(&c, &headers) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    let as_of = q
        .get("as_of")
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| web::today(&c));
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "launch");
    ctx.insert("choices", &choices(&c));
    ctx.insert("as_of", &as_of.to_string());
    ctx.insert("strategy", &q.get("strategy"));
    ctx.insert("level", &q.get("level"));
    if let (Some(strategy), Some(level)) = (q.get("strategy"), q.get("level")) {
        let plans = match plans(&c, &s, as_of).await {
            Ok(p) => p,
            Err(e) => return web::failure(&c, &s, e),
        };
        let request = LaunchRequest {
            strategy: strategy.clone(),
            level: level.clone(),
            ..LaunchRequest::default()
        };
        let chosen = match crate::manual::launch_selection(&plans, &request, as_of) {
            Ok(chosen) => chosen,
            Err(e) => return web::failure(&c, &s, e),
        };
        let lines: Vec<_> = chosen
            .customers
            .iter()
            .filter_map(|due| crate::present::console::find(&plans, due.customer_id.get()))
            .filter_map(|(company, d)| crate::present::console::line(company, d))
            .collect();
        let (without, with): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.no_email);
        ctx.insert("with_email", &with);
        ctx.insert("without_email", &without);
    }
    web::page(&c, "launch.html", &ctx)
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
    let (Some(strategy), Some(level)) = (form.get("strategy"), form.get("level")) else {
        return Redirect::to("/launch").into_response();
    };
    let as_of = form
        .get("as_of")
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| web::today(&c));
    let plans = match plans(&c, &s, as_of).await {
        Ok(p) => p,
        Err(e) => return web::failure(&c, &s, e),
    };
    // Listed customers left unticked are removed; ids typed in are added.
    let kept = form.ids("customer");
    let listed = form.ids("listed");
    let request = LaunchRequest {
        strategy: strategy.to_owned(),
        level: level.to_owned(),
        add: form.ids("add").into_iter().map(Into::into).collect(),
        remove: listed
            .iter()
            .filter(|id| !kept.contains(id))
            .map(|&id| id.into())
            .collect(),
    };
    let chosen = match crate::manual::launch_selection(&plans, &request, as_of) {
        Ok(chosen) => chosen,
        Err(e) => return web::failure(&c, &s, e),
    };
    let ids: Vec<i64> = chosen
        .customers
        .iter()
        .map(|d| d.customer_id.get())
        .collect();
    let address = web::address(&c, &headers, peer);
    let detail = format!(
        "strategy {strategy}, level {level}, as of {as_of}, customers {ids:?}, removed {:?}",
        request.remove
    );
    web::audit(&c, &s, &address, "launch", detail).await;
    if chosen.is_empty() {
        return Redirect::to("/runs").into_response();
    }
    if !start_run(&c, as_of, RunKind::Launch, chosen.selection()) {
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

/// Starts `selection` as a run in the background; `false` when one started here still
/// runs. The run takes the ledger's run lock like any other.
pub fn start_run(c: &Console, as_of: NaiveDate, kind: RunKind, selection: Selection) -> bool {
    if !c.progress.start() {
        return false;
    }
    let app = c.app();
    let progress = c.progress.clone();
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        handle.block_on(async move {
            let report = |done: usize, total: usize| progress.update(done, total);
            let outcome = crate::manual::run_selection(&app, as_of, kind, selection, &report).await;
            let said = match outcome {
                Ok(o) => Outcome {
                    run_id: Some(o.run_id),
                    error: None,
                },
                Err(e) => {
                    tracing::error!("the {kind} run started from the console failed: {e}");
                    Outcome {
                        run_id: None,
                        error: Some(e.to_string()),
                    }
                }
            };
            progress.finish(said);
        })
    });
    true
}
