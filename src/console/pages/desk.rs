//! The customer page's actions, each a POST checked for its CSRF token and the user's
//! right to act, calling the desk's library functions in the user's name, audited, then
//! back to the customer: postpone an invoice or the customer (an Odoo activity), exclude
//! or include (the exclusion tag), the personal paragraph of the next reminder.

use super::super::session::Session;
use super::super::{Console, web};
use super::work;
use crate::desk::Actor;
use crate::desk::postpone::PostponeRequest;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// The person acting, as the desk records them.
pub fn actor(s: &Session) -> Actor {
    Actor {
        login: s.identity.login.clone(),
        name: s.identity.name.clone(),
        user_id: Some(s.identity.uid),
    }
}

/// The company of `customer` among the user's, from the form (checked against theirs).
fn company(s: &Session, form: &web::Form) -> Option<i64> {
    form.get("company")
        .and_then(|c| c.parse().ok())
        .filter(|c| s.identity.companies.contains(c))
}

/// Runs a desk call, audits it, and goes back to the customer (or says what failed).
async fn done<T, E: std::fmt::Display>(
    c: &Console,
    s: &Session,
    address: &str,
    customer: i64,
    action: &str,
    detail: String,
    result: Result<Result<T, E>, String>,
) -> Response {
    match result {
        Ok(Ok(_)) => {
            web::audit(
                c,
                s,
                address,
                action,
                format!("customer {customer}: {detail}"),
            )
            .await;
            Redirect::to(&format!("/customers/{customer}")).into_response()
        }
        Ok(Err(e)) => web::failure(c, s, e),
        Err(e) => web::failure(c, s, e),
    }
}

pub async fn postpone(
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
    let (Some(company), Some(until)) = (
        company(&s, &form),
        form.get("until").and_then(|d| d.parse().ok()),
    ) else {
        return bad_request(&c, &s, "company and date (until) are needed");
    };
    let invoice = form
        .get("invoice")
        .and_then(|i| i.parse().ok())
        .filter(|&i: &i64| i > 0);
    let request = PostponeRequest {
        company: company.into(),
        customer: id.into(),
        invoice,
        until,
        reason: form.get("reason").unwrap_or("").to_owned(),
        by: actor(&s),
    };
    let detail = format!(
        "{} until {until}",
        invoice.map_or("the customer".to_owned(), |i| format!("invoice {i}"))
    );
    let app = c.app();
    let result =
        work(move || async move { crate::desk::postpone::postpone(&app, request).await }).await;
    let address = web::address(&c, &headers, peer);
    done(&c, &s, &address, id, "postpone", detail, result).await
}

pub async fn exclusion(
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
    let Some(company) = company(&s, &form) else {
        return bad_request(&c, &s, "company is needed");
    };
    let exclude = form.get("do") == Some("exclude");
    let by = actor(&s);
    let app = c.app();
    let result = work(move || async move {
        if exclude {
            crate::desk::exclude::exclude(&app, company.into(), id.into(), &by).await
        } else {
            crate::desk::exclude::include(&app, company.into(), id.into(), &by).await
        }
    })
    .await;
    let address = web::address(&c, &headers, peer);
    let action = if exclude { "exclude" } else { "include" };
    done(&c, &s, &address, id, action, String::new(), result).await
}

pub async fn paragraph(
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
    let Some(company) = company(&s, &form) else {
        return bad_request(&c, &s, "company is needed");
    };
    let text = form.get("text").unwrap_or("").to_owned();
    let clear = form.get("do") == Some("clear");
    let by = actor(&s);
    let app = c.app();
    let chars = text.chars().count();
    let result = work(move || async move {
        if clear {
            crate::desk::paragraph::clear_paragraph(&app, company.into(), id.into(), &by)
                .await
                .map(|_| ())
        } else {
            crate::desk::paragraph::set_paragraph(&app, company.into(), id.into(), &text, &by)
                .await
                .map(|_| ())
        }
    })
    .await;
    let address = web::address(&c, &headers, peer);
    let (action, detail) = if clear {
        ("paragraph_cleared", String::new())
    } else {
        ("paragraph", format!("{chars} characters"))
    };
    done(&c, &s, &address, id, action, detail, result).await
}

/// The error page for a form that lacks a field (400), naming what is needed.
fn bad_request(c: &Console, s: &Session, needed: &str) -> Response {
    web::message(
        c,
        &s.identity.lang,
        StatusCode::BAD_REQUEST,
        "error",
        Some(needed.to_owned()),
    )
}
