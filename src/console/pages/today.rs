//! `/`: what the next run will send (the plan by level, with reasons), the customers
//! without email, those awaiting approval, the uncertain emails, when the next run is
//! due, how the last one went, and the run in progress (the page refreshes by itself
//! while one runs).

use super::super::web::Signed;
use super::super::{Console, web};
use super::attempt;
use crate::ledger::{ActionFilter, ActionState};
use axum::extract::State;
use axum::response::Response;
use std::sync::Arc;

pub async fn page(State(c): State<Arc<Console>>, Signed(s): Signed) -> Response {
    let as_of = web::today(&c);
    let app = c.app();
    let identity = s.identity.clone();
    let result = attempt(&c, &s, move || async move {
        let mine = crate::manual::companies_among(&app, &identity.companies).await?;
        let plans = crate::manual::plans(&app, as_of, &mine, &|_| {}).await?;
        let ledger = app
            .ledger()
            .await
            .map_err(crate::manual::ManualError::from)?;
        let last = ledger.list_runs(1).await?.into_iter().next();
        let uncertain = ledger
            .list_actions(ActionFilter {
                run: None,
                state: Some(ActionState::Uncertain),
            })
            .await?
            .into_iter()
            .filter(|a| identity.companies.contains(&a.company_id.get()))
            .count();
        let pending = crate::manual::pending_approval(ledger).await?;
        Ok::<_, crate::manual::ManualError>((plans, last, uncertain, pending))
    })
    .await;
    let (plans, last, uncertain, pending) = match result {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "today");
    ctx.insert("as_of", &as_of.to_string());
    ctx.insert("view", &crate::present::console::today(&plans));
    ctx.insert(
        "last",
        &last.as_ref().map(crate::present::console::run_line),
    );
    ctx.insert("uncertain", &uncertain);
    ctx.insert(
        "pending",
        &pending.map(|(run, customers)| (run.id.0, customers.len())),
    );
    let next = c
        .daemon
        .as_ref()
        .and_then(|d| d.with_metrics(|m| m.next_run))
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
    ctx.insert("next_run", &next);
    ctx.insert("progress", &progress(&c));
    web::page(&c, "today.html", &ctx)
}

/// `(done, total)` of a run in progress, started here or by the daemon.
pub fn progress(c: &Console) -> Option<(u64, u64)> {
    if let Some((done, total)) = c.progress.now() {
        return Some((done as u64, total as u64));
    }
    c.daemon
        .as_ref()
        .filter(|d| d.is_running())
        .map(|d| d.progress_now())
}
