//! `/login` and `/logout`: the login form (its CSRF token tied to a pre-login cookie),
//! the check with Odoo (`auth::login`), throttling, the session cookie, the audit.

use super::super::session::{self, COOKIE, PRE_COOKIE, Session, cookie, set_cookie};
use super::super::{Console, auth, csrf, web};
use super::work;
use crate::ledger::AuditEntry;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// How long the login form stays valid.
const FORM_SECONDS: i64 = 3600;

fn pre_nonce(c: &Console, headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| cookie(h, PRE_COOKIE))?;
    let (nonce, tag) = value.split_once('.')?;
    c.keys
        .verify("login", nonce.as_bytes(), tag)
        .then(|| nonce.to_owned())
}

/// The form, with a fresh pre-login cookie; `problem` is a word of the table, `login` what
/// was typed (kept in the field).
fn show(
    c: &Console,
    headers: &HeaderMap,
    status: StatusCode,
    problem: Option<&str>,
    wait: Option<u64>,
    login: &str,
) -> Response {
    let nonce = match session::random_hex(16) {
        Ok(n) => n,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("no randomness: {e}\n"),
            )
                .into_response();
        }
    };
    let lang = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(|v| super::super::i18n::ui_lang(Some(v)))
        .unwrap_or("en");
    let mut ctx = web::context(c, lang, None);
    ctx.insert("csrf", &csrf::token(&c.keys, &nonce));
    ctx.insert("problem", &problem);
    ctx.insert("wait", &wait);
    ctx.insert("login", login);
    let mut r = web::page(c, "login.html", &ctx);
    *r.status_mut() = status;
    let value = format!("{nonce}.{}", c.keys.sign("login", nonce.as_bytes()));
    let cookie = set_cookie(PRE_COOKIE, &value, FORM_SECONDS, web::secure(c, headers));
    if let Ok(v) = cookie.parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

pub async fn form(State(c): State<Arc<Console>>, headers: HeaderMap) -> Response {
    if web::session(&c, &headers).is_ok() {
        return Redirect::to("/").into_response();
    }
    show(&c, &headers, StatusCode::OK, None, None, "")
}

pub async fn submit(
    State(c): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = web::Form::parse(&body);
    let Some(nonce) = pre_nonce(&c, &headers) else {
        return web::forbidden_csrf();
    };
    if !csrf::check(&c.keys, &nonce, form.get(csrf::FIELD)) {
        return web::forbidden_csrf();
    }
    let login = form.get("login").unwrap_or("").trim().to_owned();
    let password = form.get("password").unwrap_or("").to_owned();
    let address = web::address(&c, &headers, peer);
    let now = std::time::Instant::now();
    if let Err(wait) = c.throttle.check(&login, &address, now) {
        let entry = entry(0, &login, "login_throttled", String::new(), &address);
        web::audit_entry(&c, &entry).await;
        let wait = Some(wait.as_secs().max(1));
        return show(
            &c,
            &headers,
            StatusCode::TOO_MANY_REQUESTS,
            Some("login_wait"),
            wait,
            &login,
        );
    }
    let app = c.app();
    let http = c.http.clone();
    let (l, p) = (login.clone(), password);
    let result = work(move || async move { auth::login(&app, &http, &l, &p).await }).await;
    match result {
        Ok(Ok(identity)) => {
            c.throttle.succeeded(&login, &address);
            let hours = c.app().config().console.session_hours as i64;
            let nonce = match session::random_hex(16) {
                Ok(n) => n,
                Err(e) => {
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("no randomness: {e}\n"),
                    )
                        .into_response();
                }
            };
            let s = Session {
                identity,
                expires: web::now(&c) + hours * 3600,
                nonce,
            };
            let detail = format!(
                "companies {:?}, may act: {}",
                s.identity.companies, s.identity.can_act
            );
            web::audit(&c, &s, &address, "login", detail).await;
            let secure = web::secure(&c, &headers);
            let mut r = Redirect::to("/").into_response();
            for cookie in [
                set_cookie(COOKIE, &c.keys.seal(&s), hours * 3600, secure),
                set_cookie(PRE_COOKIE, "", 0, secure),
            ] {
                if let Ok(v) = cookie.parse() {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Ok(Err(auth::LoginError::BadCredentials)) => {
            // The wait counts from the answer: Odoo may take a while to say no.
            c.throttle
                .failed(&login, &address, std::time::Instant::now());
            web::audit_entry(
                &c,
                &entry(0, &login, "login_failed", String::new(), &address),
            )
            .await;
            show(
                &c,
                &headers,
                StatusCode::UNAUTHORIZED,
                Some("login_failed"),
                None,
                &login,
            )
        }
        Ok(Err(auth::LoginError::NotAllowed { uid })) => {
            let detail = "in none of console.read_groups".to_owned();
            web::audit_entry(&c, &entry(uid, &login, "login_refused", detail, &address)).await;
            show(
                &c,
                &headers,
                StatusCode::FORBIDDEN,
                Some("login_denied"),
                None,
                &login,
            )
        }
        Ok(Err(e)) => {
            tracing::warn!(login = %login, "console login: {e}");
            web::audit_entry(
                &c,
                &entry(0, &login, "login_error", e.to_string(), &address),
            )
            .await;
            show(
                &c,
                &headers,
                StatusCode::BAD_GATEWAY,
                Some("odoo_down"),
                None,
                &login,
            )
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    }
}

fn entry(uid: i64, login: &str, action: &str, detail: String, address: &str) -> AuditEntry {
    AuditEntry {
        uid,
        login: login.to_owned(),
        action: action.to_owned(),
        detail,
        address: address.to_owned(),
    }
}

pub async fn logout(
    State(c): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let s = match web::session(&c, &headers) {
        Ok(s) => s,
        Err(r) => return *r,
    };
    if !csrf::check(&c.keys, &s.nonce, web::Form::parse(&body).get(csrf::FIELD)) {
        return web::forbidden_csrf();
    }
    c.keys.revoke(&s, web::now(&c));
    let address = web::address(&c, &headers, peer);
    web::audit(&c, &s, &address, "logout", String::new()).await;
    let mut r = Redirect::to("/login").into_response();
    if let Ok(v) = set_cookie(COOKIE, "", 0, web::secure(&c, &headers)).parse() {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
