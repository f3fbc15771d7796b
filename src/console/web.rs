//! What every handler needs from a request: the session (or a redirect to the login
//! page), the client's address (the proxy's `X-Forwarded-For` when trusted), the form
//! fields with the CSRF check, the audit entry, and rendering a page with the words of
//! the user's language.

use super::Console;
use super::session::{COOKIE, Session, cookie};
use crate::ledger::AuditEntry;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::net::SocketAddr;

/// The answer that ends a request early (a redirect to the login page, a 403), boxed:
/// a response is large.
pub type Refusal = Box<Response>;

/// Unix seconds now, from the console's clock.
pub fn now(c: &Console) -> i64 {
    c.clock.now().timestamp()
}

/// The session of this request, or the response that sends the browser to log in.
pub fn session(c: &Console, headers: &HeaderMap) -> Result<Session, Refusal> {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| cookie(h, COOKIE))
        .and_then(|v| c.keys.open(v, now(c)))
        .ok_or_else(|| Box::new(Redirect::to("/login").into_response()))
}

/// The signed-in user of a request, as a handler's argument: a request without a valid
/// session is answered by [`session`]'s redirect to the login page before the handler runs.
/// Handlers take it after their `Path`, which axum extracts first (a malformed id stays a
/// 400, as before the extractor).
pub struct Signed(pub Session);

impl axum::extract::FromRequestParts<std::sync::Arc<Console>> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        c: &std::sync::Arc<Console>,
    ) -> Result<Self, Response> {
        session(c, &parts.headers).map(Signed).map_err(|r| *r)
    }
}

/// A session whose user may act (Odoo `console.act_groups`), or 403.
pub fn actor(c: &Console, headers: &HeaderMap) -> Result<Session, Refusal> {
    let s = session(c, headers)?;
    if s.identity.can_act {
        Ok(s)
    } else {
        Err(Box::new(message(
            c,
            &s.identity.lang,
            StatusCode::FORBIDDEN,
            "read_only",
            None,
        )))
    }
}

/// Where the request comes from.
pub fn address(c: &Console, headers: &HeaderMap, peer: SocketAddr) -> String {
    if c.app().config().console.trust_forwarded
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return first.trim().to_owned();
    }
    peer.ip().to_string()
}

/// Whether cookies must be `Secure`: configured, or a trusted proxy says HTTPS.
pub fn secure(c: &Console, headers: &HeaderMap) -> bool {
    let app = c.app();
    let config = &app.config().console;
    config.secure_cookies
        || (config.trust_forwarded
            && headers
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https")))
}

/// The fields of a URL-encoded form body, in order (repeated names kept).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(url::form_urlencoded::parse(body).into_owned().collect())
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Every value of `name` that is an integer id.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        self.all(name)
            .iter()
            .flat_map(|v| v.split([',', ' ']))
            .filter_map(|v| v.trim().parse().ok())
            .collect()
    }
}

/// The form of a POST by an actor, CSRF checked: otherwise 403 (or the login redirect).
pub fn posted(c: &Console, headers: &HeaderMap, body: &[u8]) -> Result<(Session, Form), Refusal> {
    let s = session(c, headers)?;
    let form = Form::parse(body);
    if !super::csrf::check(&c.keys, &s.nonce, form.get(super::csrf::FIELD)) {
        return Err(Box::new(forbidden_csrf()));
    }
    if !s.identity.can_act {
        return Err(Box::new(message(
            c,
            &s.identity.lang,
            StatusCode::FORBIDDEN,
            "read_only",
            None,
        )));
    }
    Ok((s, form))
}

pub fn forbidden_csrf() -> Response {
    (
        StatusCode::FORBIDDEN,
        "403 Forbidden: the form's CSRF token is missing or wrong; reload the page and try again\n",
    )
        .into_response()
}

/// Appends to the ledger's audit trail; a failure is logged, never shown as success.
pub async fn audit(c: &Console, s: &Session, address: &str, action: &str, detail: String) {
    let entry = AuditEntry {
        uid: s.identity.uid,
        login: s.identity.login.clone(),
        action: action.to_owned(),
        detail,
        address: address.to_owned(),
    };
    audit_entry(c, &entry).await;
}

pub async fn audit_entry(c: &Console, entry: &AuditEntry) {
    let app = c.app();
    let result = match app.ledger().await {
        Ok(ledger) => ledger.audit(entry).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::error!(action = %entry.action, login = %entry.login, "cannot write the console's audit entry: {e}");
    }
}

/// The context every page starts from: words, language, user, CSRF token.
pub fn context(c: &Console, lang: &str, s: Option<&Session>) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("t", &super::i18n::words(lang));
    ctx.insert("lang", lang);
    ctx.insert("page", "");
    // Reasons are also written in the company's language: shown when it is the user's.
    let company_lang = match c.app().config().strategy_set.settings.lang {
        crate::followup::Lang::Fr => "fr",
        crate::followup::Lang::Nl => "nl",
        crate::followup::Lang::En => "en",
    };
    ctx.insert("company_lang", company_lang);
    ctx.insert("user", &None::<super::session::Identity>);
    ctx.insert("csrf", "");
    if let Some(s) = s {
        ctx.insert("user", &s.identity);
        ctx.insert("csrf", &super::csrf::token(&c.keys, &s.nonce));
    }
    ctx
}

/// Renders `page` as HTML (500 naming the template when it fails).
pub fn page(c: &Console, name: &str, ctx: &tera::Context) -> Response {
    match c.views.render(name, ctx) {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("{e}");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("500: {e}\n")).into_response()
        }
    }
}

/// A page saying one thing (`word` from the table) and an optional detail.
pub fn message(
    c: &Console,
    lang: &str,
    status: StatusCode,
    word: &str,
    detail: Option<String>,
) -> Response {
    let mut ctx = context(c, lang, None);
    ctx.insert("word", word);
    ctx.insert("detail", &detail);
    let mut r = page(c, "message.html", &ctx);
    *r.status_mut() = status;
    r
}

/// A page saying that the library failed, with its error (which never holds a secret).
pub fn failure(c: &Console, s: &Session, error: impl std::fmt::Display) -> Response {
    tracing::warn!(login = %s.identity.login, "console: {error}");
    let mut ctx = context(c, &s.identity.lang, Some(s));
    ctx.insert("word", "error");
    ctx.insert("detail", &Some(error.to_string()));
    let mut r = page(c, "message.html", &ctx);
    *r.status_mut() = StatusCode::BAD_GATEWAY;
    r
}

/// The business date today, in the schedule's time zone.
pub fn today(c: &Console) -> chrono::NaiveDate {
    let app = c.app();
    let now = c.clock.now();
    match crate::daemon::schedule::Schedule::from_config(&app.config().schedule) {
        Ok(s) => s.local_date(now),
        Err(_) => now.date_naive(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{LoadOptions, load_str};
    use std::sync::Arc;

    fn console(extra: &str) -> Console {
        let text = format!(
            "[odoo]\nurl = \"https://erp.example.com\"\ndatabase = \"prod\"\nlogin = \"bot\"\n\
             api_key = {{ env = \"K\" }}\n[mail]\nfrom = \"C <c@example.com>\"\n\
             [console]\nenabled = true\n{extra}\n"
        );
        let options = LoadOptions {
            env: vec![("K".into(), "key".into())],
            ..Default::default()
        };
        let config = load_str(&text, "test", &options).expect("a valid configuration");
        let app = Arc::new(crate::app::App::new(config));
        Console::standalone(app).expect("a console")
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("a header value"));
        }
        h
    }

    #[test]
    fn forwarded_headers_count_only_behind_a_trusted_proxy() {
        let peer: SocketAddr = "10.0.0.9:5555".parse().unwrap();
        let forwarded = headers(&[
            ("x-forwarded-for", "203.0.113.7, 10.0.0.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let direct = console("");
        assert_eq!(address(&direct, &forwarded, peer), "10.0.0.9");
        assert!(
            !secure(&direct, &forwarded),
            "a client cannot ask for Secure itself"
        );
        let proxied = console("trust_forwarded = true");
        assert_eq!(address(&proxied, &forwarded, peer), "203.0.113.7");
        assert!(secure(&proxied, &forwarded));
        assert!(!secure(
            &proxied,
            &headers(&[("x-forwarded-proto", "http")])
        ));
        assert!(secure(&console("secure_cookies = true"), &HeaderMap::new()));
    }

    #[test]
    fn a_page_without_a_valid_session_sends_to_the_login_page() {
        let c = console("");
        let forged = headers(&[("cookie", "relanced_session=e30.00ff")]);
        for h in [HeaderMap::new(), forged] {
            let refused = session(&c, &h).expect_err("no session");
            assert_eq!(refused.status(), StatusCode::SEE_OTHER);
            assert_eq!(refused.headers()["location"], "/login");
        }
    }
}
