//! `/uncertain`: the emails whose fate is unknown (the user's companies), each settled
//! as `relanced resolve` does: confirmed sent (`Resolution::Sent`) or sent again now
//! (`operate::resend`). Audited.

use super::super::web::Signed;
use super::super::{Console, web};
use super::{attempt, work};
use crate::ledger::{ActionFilter, ActionId, ActionState, Resolution};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn page(State(c): State<Arc<Console>>, Signed(s): Signed) -> Response {
    let app = c.app();
    let filter = ActionFilter {
        run: None,
        state: Some(ActionState::Uncertain),
    };
    let actions = attempt(&c, &s, move || async move {
        app.ledger().await?.list_actions(filter).await
    })
    .await;
    let actions = match actions {
        Ok(a) => a,
        Err(r) => return r,
    };
    #[derive(serde::Serialize)]
    struct Line {
        #[serde(flatten)]
        line: crate::present::console::ActionLine,
        name: String,
    }
    let mine: Vec<_> = actions
        .iter()
        .filter(|a| s.identity.companies.contains(&a.company_id.get()))
        .collect();
    let names = super::names(&c, mine.iter().map(|a| a.customer_id.get()).collect()).await;
    let lines: Vec<Line> = mine
        .iter()
        .map(|a| Line {
            line: crate::present::console::action_line(a),
            name: names
                .get(&a.customer_id.get())
                .cloned()
                .unwrap_or_else(|| format!("#{}", a.customer_id.get())),
        })
        .collect();
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "uncertain");
    ctx.insert("lines", &lines);
    web::page(&c, "uncertain.html", &ctx)
}

pub async fn submit(
    State(c): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Response {
    let (s, form) = match web::posted(&c, &headers, &body) {
        Ok(v) => v,
        Err(r) => return *r,
    };
    let resend = form.get("decision") == Some("resend");
    let app = c.app();
    let companies = s.identity.companies.clone();
    let result = work(move || async move {
        let ledger = app.ledger().await.map_err(|e| e.to_string())?;
        let action = ledger
            .action(ActionId(id))
            .await
            .map_err(|e| e.to_string())?;
        if !companies.contains(&action.company_id.get()) || action.state != ActionState::Uncertain {
            return Err(format!(
                "action {id} is not an uncertain email of your companies"
            ));
        }
        if resend {
            crate::operate::resend(&app, app.pdf_single(), ActionId(id))
                .await
                .map(|o| format!("{o:?}"))
                .map_err(|e| e.to_string())
        } else {
            ledger
                .resolve(ActionId(id), Resolution::Sent)
                .await
                .map(|_| "recorded as sent".to_owned())
                .map_err(|e| e.to_string())
        }
    })
    .await;
    let address = web::address(&c, &headers, peer);
    let what = if resend { "resend" } else { "resolve_sent" };
    match result {
        Ok(Ok(outcome)) => {
            web::audit(&c, &s, &address, what, format!("action {id}: {outcome}")).await;
            Redirect::to("/uncertain").into_response()
        }
        Ok(Err(e)) | Err(e) => web::failure(&c, &s, e),
    }
}
