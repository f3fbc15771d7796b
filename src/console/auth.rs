//! Who gets in: a login and password (or API key) checked by the configured Odoo with
//! `authenticate(db, login, password, {})` on `/xmlrpc/2/common` (Odoo 18 and 19), then
//! the user's groups (`has_group`, implied groups included), name, language and companies
//! read with relanced's own key (the bot's), never the user's. Nobody without an Odoo
//! account in one of `console.read_groups` gets in; acting needs `console.act_groups`.
//!
//! The password goes to Odoo and nowhere else: never logged, never stored.

use super::session::Identity;
use crate::app::App;
use crate::config::ConsoleConfig;
use crate::odoo::error::CallSite;
use crate::odoo::{Call, OdooApi, OdooError, Struct, Value};

/// Why a login is refused.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("Odoo refused the login or password")]
    BadCredentials,
    #[error("Odoo user {uid} is in none of the groups of console.read_groups")]
    NotAllowed { uid: i64 },
    #[error("cannot check the login with Odoo: {0}")]
    Odoo(#[from] OdooError),
    #[error(transparent)]
    App(#[from] crate::app::AppError),
}

/// Checks `login`/`password` with Odoo and reads what the console needs of the user.
pub async fn login(
    app: &App,
    http: &reqwest::Client,
    login: &str,
    password: &str,
) -> Result<Identity, LoginError> {
    let client = app.odoo()?;
    let conn = client.connection();
    let params = [
        Value::from(conn.database.as_str()),
        Value::from(login),
        Value::from(password),
        Value::Struct(Struct::new()),
    ];
    let site = CallSite {
        model: "common".into(),
        method: "authenticate".into(),
        ids: Vec::new(),
    };
    let uid = match crate::odoo::transport::xmlrpc::post(
        http,
        &conn.url,
        "common",
        "authenticate",
        &params,
        site,
    )
    .await?
    {
        Value::Bool(false) => return Err(LoginError::BadCredentials),
        v => v.as_i64().ok_or(LoginError::BadCredentials)?,
    };
    identity(app, &app.config().console, uid).await
}

/// What the bot reads of user `uid`: groups, name, language, companies.
pub async fn identity(
    app: &App,
    console: &ConsoleConfig,
    uid: i64,
) -> Result<Identity, LoginError> {
    let client = app.odoo()?;
    let can_act = in_any(client, uid, &console.act_groups).await?;
    if !can_act && !in_any(client, uid, &console.read_groups).await? {
        return Err(LoginError::NotAllowed { uid });
    }
    let users = client
        .read(
            "res.users",
            &[uid],
            &["login", "name", "lang", "company_ids"],
            None,
        )
        .await?;
    let user = users.first().ok_or(LoginError::NotAllowed { uid })?;
    let text = |f: &str| user.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
    Ok(Identity {
        uid,
        login: text("login"),
        name: text("name"),
        lang: super::i18n::ui_lang(user.get("lang").and_then(Value::as_str)).to_owned(),
        can_act,
        companies: user
            .get("company_ids")
            .and_then(Value::as_ids)
            .unwrap_or_default(),
    })
}

/// Whether user `uid` is in one of `groups` (xmlids), implied groups included.
async fn in_any(
    client: &crate::odoo::OdooClient,
    uid: i64,
    groups: &[String],
) -> Result<bool, OdooError> {
    for group in groups {
        let call = Call::read("res.users", "has_group")
            .ids(&[uid])
            .positional_arg("group_ext_id", group.as_str());
        if client.call(call).await?.as_bool() == Some(true) {
            return Ok(true);
        }
    }
    Ok(false)
}
