//! Validation of a deserialized configuration: every problem, with its key path and
//! what to write instead. Pure: reads nothing but the configuration (and, for
//! `render.templates_dir`, whether the folder exists).

use crate::config::{Config, ConfigError, MailTransportKind};
use std::str::FromStr;

pub(super) fn validate(config: &Config) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    let mut err = |key: &str, message: String| errors.push(ConfigError::new(key, message));

    let odoo = &config.odoo;
    match url::Url::parse(&odoo.url) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => {}
        Ok(u) if u.scheme() != "http" && u.scheme() != "https" => err(
            "odoo.url",
            format!(
                "not a URL: {:?} (the scheme must be https:// or http://, not {}://)",
                odoo.url,
                u.scheme()
            ),
        ),
        _ => err(
            "odoo.url",
            format!(
                "not a URL: {:?} (write it like \"https://erp.example.com\")",
                odoo.url
            ),
        ),
    }
    if odoo.database.trim().is_empty() {
        err(
            "odoo.database",
            "is empty: name the Odoo database (shown in Odoo's database selector)".into(),
        );
    }
    if odoo.login.trim().is_empty() {
        err(
            "odoo.login",
            "is empty: the login of the bot user, usually its email".into(),
        );
    }
    if odoo.timeout_secs == 0 {
        err("odoo.timeout_secs", "must be at least 1 (seconds)".into());
    }
    if !(1..=10).contains(&odoo.attempts) {
        err(
            "odoo.attempts",
            format!("must be between 1 and 10, not {}", odoo.attempts),
        );
    }
    if !(1..=64).contains(&odoo.max_concurrency) {
        err(
            "odoo.max_concurrency",
            format!("must be between 1 and 64, not {}", odoo.max_concurrency),
        );
    }
    if !(1..=10_000).contains(&odoo.page_size) {
        err(
            "odoo.page_size",
            format!("must be between 1 and 10000, not {}", odoo.page_size),
        );
    }
    for (i, id) in odoo.companies.iter().enumerate() {
        if *id <= 0 {
            err(
                &format!("odoo.companies[{i}]"),
                format!("not a company id: {id}"),
            );
        }
    }

    let ledger = &config.ledger.url;
    if !(ledger.starts_with("sqlite:")
        || ledger.starts_with("postgres://")
        || ledger.starts_with("postgresql://"))
    {
        err(
            "ledger.url",
            format!(
                "{ledger:?} is neither \"sqlite:///path/ledger.db\" nor \"postgres://user@host/db\""
            ),
        );
    }

    let mail = &config.mail;
    match &mail.from {
        Some(from) if from.parse::<lettre::message::Mailbox>().is_err() => {
            err(
                "mail.from",
                format!("not an email address: {from:?} (write \"Name <address@example.com>\")"),
            );
        }
        Some(_) => {}
        None if mail.transport != MailTransportKind::Odoo => {
            err(
                "mail.from",
                "is missing: the sender, e.g. \"Comptabilité <compta@example.com>\"".into(),
            );
        }
        None => {}
    }
    if let Some(reply_to) = &mail.reply_to
        && reply_to.parse::<lettre::message::Mailbox>().is_err()
    {
        err(
            "mail.reply_to",
            format!("not an email address: {reply_to:?}"),
        );
    }
    match (&mail.smtp, mail.transport) {
        (None, MailTransportKind::Smtp) => {
            err(
                "mail.smtp",
                "is missing while mail.transport = \"smtp\": add a [mail.smtp] section with host"
                    .into(),
            );
        }
        (Some(smtp), _) => {
            if smtp.host.trim().is_empty() {
                err("mail.smtp.host", "is empty".into());
            }
            if smtp.username.is_some() != smtp.password.is_some() {
                err(
                    "mail.smtp.password",
                    "username and password go together: set both or neither".into(),
                );
            }
            if let Some(ca) = &smtp.ca_file
                && !ca.is_file()
            {
                err(
                    "mail.smtp.ca_file",
                    format!("no such file: {}", ca.display()),
                );
            }
        }
        _ => {}
    }

    let schedule = &config.schedule;
    if chrono::NaiveTime::parse_from_str(&schedule.at, "%H:%M").is_err() {
        err(
            "schedule.at",
            format!("not a time of day: {:?} (write \"07:30\")", schedule.at),
        );
    }
    if chrono_tz::Tz::from_str(&schedule.timezone).is_err() {
        err(
            "schedule.timezone",
            format!(
                "unknown time zone {:?} (write e.g. \"Europe/Paris\")",
                schedule.timezone
            ),
        );
    }
    for (i, day) in schedule.holidays.iter().enumerate() {
        if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
            err(
                &format!("schedule.holidays[{i}]"),
                format!("not a date: {day:?} (write \"2026-12-25\")"),
            );
        }
    }
    if schedule.interval_minutes == Some(0) {
        err("schedule.interval_minutes", "must be at least 1".into());
    }

    if config.http.listen.parse::<std::net::SocketAddr>().is_err() {
        err(
            "http.listen",
            format!(
                "not an address:port: {:?} (write \"127.0.0.1:9187\")",
                config.http.listen
            ),
        );
    }
    if let Some(dir) = &config.render.templates_dir
        && !dir.is_dir()
    {
        err(
            "render.templates_dir",
            format!("no such folder: {}", dir.display()),
        );
    }
    if let Some(logo) = &config.letterhead.logo
        && !logo.is_file()
    {
        err(
            "letterhead.logo",
            format!("no such file: {}", logo.display()),
        );
    }
    for (i, account) in config.letterhead.bank_accounts.iter().enumerate() {
        let compact: String = account
            .iban
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if compact.len() < 15 || !compact.chars().all(|c| c.is_ascii_alphanumeric()) {
            err(
                &format!("letterhead.bank_accounts[{i}].iban"),
                format!("not an IBAN: {:?}", account.iban),
            );
        }
    }
    for (key, message) in super::console::problems(&config.console) {
        err(key, message);
    }
    if config.followup.exclusion_tag.trim().is_empty() {
        err(
            "followup.exclusion_tag",
            "is empty: name the partner tag that excludes a customer".into(),
        );
    }
    errors
}
