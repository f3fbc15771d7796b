//! The console's routes, one file per page: `login` (and logout), `today`, `customer` (and
//! its actions, `desk`),
//! `launch`, `approvals`, `runs`, `uncertain`. Handlers parse, call the library, audit
//! and render; the library's futures run on a worker (`work`) so that the handlers stay
//! `Send` whatever the library holds across its awaits.

mod approvals;
mod customer;
mod desk;
mod launch;
mod login;
mod print;
mod runs;
mod today;
mod uncertain;

use super::Console;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::future::Future;
use std::sync::Arc;

pub fn router(console: Arc<Console>) -> Router {
    Router::new()
        .route("/", get(today::page))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/customers/{id}", get(customer::page))
        .route("/customers/{id}/email", get(customer::email))
        .route("/customers/{id}/letter.pdf", get(customer::letter))
        .route("/customers/{id}/postpone", post(desk::postpone))
        .route("/customers/{id}/exclusion", post(desk::exclusion))
        .route("/customers/{id}/paragraph", post(desk::paragraph))
        .route("/launch", get(launch::form).post(launch::submit))
        .route("/approvals", get(approvals::page).post(approvals::submit))
        .route("/runs", get(runs::list))
        .route("/runs/{id}", get(runs::one))
        .route("/runs/{id}/files/{action}/{name}", get(runs::file))
        .route("/runs/{id}/print", get(print::page))
        .route("/runs/{id}/letters.pdf", get(print::pdf))
        .route("/uncertain", get(uncertain::page))
        .route("/uncertain/{id}", post(uncertain::submit))
        .layer(axum::middleware::map_response(headers))
        .with_state(console)
}

/// Every answer: no caching of customers' data, no framing by other sites, no sniffing.
async fn headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        "no-store".parse().expect("static header"),
    );
    h.entry(header::X_FRAME_OPTIONS)
        .or_insert("SAMEORIGIN".parse().expect("static header"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        "nosniff".parse().expect("static header"),
    );
    h.entry(header::REFERRER_POLICY)
        .or_insert("same-origin".parse().expect("static header"));
    r
}

/// Runs a library future on a blocking worker with the runtime's handle.
pub async fn work<F, Fut, T>(f: F) -> Result<T, String>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = T>,
    T: Send + 'static,
{
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(f()))
        .await
        .map_err(|e| format!("the console's worker failed: {e}"))
}

/// [`work`] for a library call that can fail: its value, or the failure page naming its
/// error (the library's, or the worker's).
pub async fn attempt<F, Fut, T, E>(
    c: &Console,
    s: &super::session::Session,
    f: F,
) -> Result<T, Response>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, E>>,
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    match work(f).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(super::web::failure(c, s, e)),
        Err(e) => Err(super::web::failure(c, s, e)),
    }
}

/// A plain 404.
pub fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "404 Not Found\n").into_response()
}

/// The customers' names from Odoo (empty when Odoo cannot say: ids are shown then).
pub async fn names(c: &Console, mut ids: Vec<i64>) -> std::collections::BTreeMap<i64, String> {
    use crate::odoo::{OdooApi, Value};
    ids.sort_unstable();
    ids.dedup();
    let app = c.app();
    let read = work(move || async move {
        let client = app.odoo().map_err(|e| e.to_string())?;
        client
            .read("res.partner", &ids, &["name"], None)
            .await
            .map_err(|e| e.to_string())
    })
    .await;
    match read {
        Ok(Ok(rows)) => rows
            .iter()
            .filter_map(|r| {
                let id = r.get("id").and_then(Value::as_i64)?;
                let name = r.get("name").and_then(Value::as_str)?;
                Some((id, name.to_owned()))
            })
            .collect(),
        Ok(Err(e)) | Err(e) => {
            tracing::warn!("cannot read the customers' names from Odoo: {e}");
            Default::default()
        }
    }
}
