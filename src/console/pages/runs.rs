//! `/runs`: the history; `/runs/{id}`: one run's customers, levels, channels,
//! recipients and failures (actions of the user's companies only), every document kept
//! in the outbox for it downloadable (`.eml`, `.html`, `.pdf`).

use super::super::web::Signed;
use super::super::{Console, web};
use super::{attempt, not_found, work};
use crate::ledger::{Action, RunId};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// File types the console hands out.
const DOCUMENTS: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("eml", "message/rfc822"),
    ("html", "text/html; charset=utf-8"),
    ("txt", "text/plain; charset=utf-8"),
];

pub async fn list(State(c): State<Arc<Console>>, Signed(s): Signed) -> Response {
    let app = c.app();
    let runs = attempt(&c, &s, move || async move {
        app.ledger().await?.list_runs(50).await
    })
    .await;
    let runs = match runs {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "runs");
    let runs: Vec<_> = runs.iter().map(crate::present::console::run_line).collect();
    ctx.insert("runs", &runs);
    ctx.insert("progress", &super::today::progress(&c));
    ctx.insert("last", &c.progress.last());
    web::page(&c, "runs.html", &ctx)
}

/// A run and its actions in `companies`.
async fn run_actions(
    c: &Console,
    id: i64,
    companies: Vec<i64>,
) -> Result<(crate::ledger::Run, Vec<Action>), String> {
    let app = c.app();
    let (run, actions) = work(move || async move { app.ledger().await?.show_run(RunId(id)).await })
        .await?
        .map_err(|e| e.to_string())?;
    let actions = actions
        .into_iter()
        .filter(|a| companies.contains(&a.company_id.get()))
        .collect();
    Ok((run, actions))
}

/// The action's document and its siblings of the same name (`X.eml` and `X.html`,
/// `Y.html` and `Y.pdf`), by file name.
fn documents(a: &Action) -> Vec<String> {
    let Some(path) = a.document_path.as_deref().map(std::path::Path::new) else {
        return Vec::new();
    };
    let (Some(dir), Some(stem)) = (path.parent(), path.file_stem()) else {
        return Vec::new();
    };
    let stem = format!("{}.", stem.to_string_lossy());
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&stem) && content_type(n).is_some())
        .collect();
    names.sort();
    names
}

fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1;
    DOCUMENTS.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

pub async fn one(
    State(c): State<Arc<Console>>,
    Path(id): Path<i64>,
    Signed(s): Signed,
) -> Response {
    let (run, actions) = match run_actions(&c, id, s.identity.companies.clone()).await {
        Ok(v) => v,
        Err(e) => return web::failure(&c, &s, e),
    };
    #[derive(serde::Serialize)]
    struct Row {
        #[serde(flatten)]
        line: crate::present::console::ActionLine,
        name: String,
        files: Vec<String>,
    }
    let shown = crate::present::console::run_lines(&actions);
    let names = super::names(&c, shown.iter().map(|a| a.customer_id.get()).collect()).await;
    let rows: Vec<Row> = shown
        .iter()
        .map(|a| Row {
            line: crate::present::console::action_line(a),
            name: names
                .get(&a.customer_id.get())
                .cloned()
                .unwrap_or_else(|| format!("#{}", a.customer_id.get())),
            files: documents(a),
        })
        .collect();
    let letters = actions
        .iter()
        .filter(|a| {
            a.kind == crate::ledger::ActionKind::Letter
                && a.state == crate::ledger::ActionState::Done
        })
        .count();
    let mut ctx = web::context(&c, &s.identity.lang, Some(&s));
    ctx.insert("page", "runs");
    ctx.insert("letters", &letters);
    ctx.insert("run", &crate::present::console::run_line(&run));
    ctx.insert(
        "summary",
        &run.summary
            .as_ref()
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default()),
    );
    ctx.insert("rows", &rows);
    web::page(&c, "run.html", &ctx)
}

pub async fn file(
    State(c): State<Arc<Console>>,
    Path((id, action, name)): Path<(i64, i64, String)>,
    Signed(s): Signed,
) -> Response {
    let (_, actions) = match run_actions(&c, id, s.identity.companies.clone()).await {
        Ok(v) => v,
        Err(e) => return web::failure(&c, &s, e),
    };
    // Only a file listed beside one of this run's actions, by its exact name.
    let Some(a) = actions.iter().find(|a| a.id.0 == action) else {
        return not_found();
    };
    if !documents(a).contains(&name) {
        return not_found();
    }
    let (Some(dir), Some(kind)) = (
        a.document_path
            .as_deref()
            .and_then(|p| std::path::Path::new(p).parent()),
        content_type(&name),
    ) else {
        return not_found();
    };
    match std::fs::read(dir.join(&name)) {
        Ok(bytes) => {
            let csp = if kind.starts_with("text/html") {
                "sandbox"
            } else {
                "default-src 'none'"
            };
            (
                [
                    (header::CONTENT_TYPE, kind.to_owned()),
                    (header::CONTENT_SECURITY_POLICY, csp.to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => web::failure(
            &c,
            &s,
            format!("cannot read {name} of action {action}: {e}"),
        ),
    }
}
