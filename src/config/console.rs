//! `[console]`: the credit controller's web console served by the daemon (off unless
//! `enabled = true`), who may look and who may act (Odoo groups by xmlid), its session
//! cookies and how it sits behind a reverse proxy. Read and validated here; served by
//! `crate::console`.

use super::SecretSource;
use serde::Deserialize;

/// The console's settings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    #[serde(default)]
    pub enabled: bool,
    /// Address and port to listen on; loopback by default (put a reverse proxy with TLS
    /// in front to reach it from elsewhere).
    #[serde(default = "defaults::listen")]
    pub listen: String,
    /// Odoo groups (xmlids) whose members may act (launch, approve, postpone…).
    #[serde(default = "defaults::act_groups")]
    pub act_groups: Vec<String>,
    /// Odoo groups (xmlids) whose members may look.
    #[serde(default = "defaults::read_groups")]
    pub read_groups: Vec<String>,
    /// How long a session lasts, in hours.
    #[serde(default = "defaults::session_hours")]
    pub session_hours: u64,
    /// The key that signs session cookies (32 bytes or more); unset: a random key made at
    /// start, so sessions end when the daemon restarts.
    #[serde(default)]
    pub session_secret: Option<SecretSource>,
    /// Mark cookies `Secure` (the console is reached over HTTPS through a proxy).
    #[serde(default)]
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (only behind a reverse proxy that
    /// sets them; otherwise a client could pretend any address).
    #[serde(default)]
    pub trust_forwarded: bool,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            listen: defaults::listen(),
            act_groups: defaults::act_groups(),
            read_groups: defaults::read_groups(),
            session_hours: defaults::session_hours(),
            session_secret: None,
            secure_cookies: false,
            trust_forwarded: false,
        }
    }
}

mod defaults {
    pub fn listen() -> String {
        "127.0.0.1:9188".into()
    }
    pub fn act_groups() -> Vec<String> {
        vec!["account.group_account_invoice".into()]
    }
    pub fn read_groups() -> Vec<String> {
        vec![
            "account.group_account_invoice".into(),
            "account.group_account_readonly".into(),
        ]
    }
    pub fn session_hours() -> u64 {
        8
    }
}

/// The problems of `[console]`, as (key, message).
pub(super) fn problems(c: &ConsoleConfig) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if c.listen.parse::<std::net::SocketAddr>().is_err() {
        out.push((
            "console.listen",
            format!(
                "not an address:port: {:?} (write \"127.0.0.1:9188\")",
                c.listen
            ),
        ));
    }
    for (key, groups) in [
        ("console.act_groups", &c.act_groups),
        ("console.read_groups", &c.read_groups),
    ] {
        if groups.is_empty() {
            out.push((key, "is empty: name at least one Odoo group xmlid".into()));
        }
        for g in groups.iter() {
            if g.split_once('.')
                .is_none_or(|(m, n)| m.is_empty() || n.is_empty())
            {
                out.push((
                    key,
                    format!("not a group xmlid: {g:?} (write \"account.group_account_invoice\")"),
                ));
            }
        }
    }
    if c.session_hours == 0 || c.session_hours > 24 * 30 {
        out.push((
            "console.session_hours",
            format!("must be between 1 and 720, not {}", c.session_hours),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::config::{LoadOptions, load_str};

    fn load(console: &str) -> Result<crate::config::Config, Vec<String>> {
        let text = format!(
            "[odoo]\nurl = \"https://erp.example.com\"\ndatabase = \"prod\"\nlogin = \"bot\"\n\
             api_key = {{ env = \"K\" }}\n[mail]\nfrom = \"C <c@example.com>\"\n[console]\n{console}\n"
        );
        let options = LoadOptions {
            env: vec![
                ("K".into(), "key".into()),
                ("S".into(), "s3cr3t-v4lue".into()),
            ],
            ..Default::default()
        };
        load_str(&text, "test", &options)
            .map_err(|errors| errors.iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn the_console_is_off_on_loopback_by_default_with_the_billing_groups() {
        let c = load("").expect("valid").console;
        assert!(!c.enabled);
        assert_eq!(c.listen, "127.0.0.1:9188");
        assert_eq!(c.act_groups, vec!["account.group_account_invoice"]);
        assert!(
            c.read_groups
                .contains(&"account.group_account_readonly".to_owned())
        );
        assert!(!c.secure_cookies && !c.trust_forwarded);
    }

    #[test]
    fn bad_console_settings_are_named_by_their_key() {
        let errors = load(
            "listen = \"everywhere\"\nact_groups = []\nread_groups = [\"nodot\"]\n\
             session_hours = 0\nsession_secret = { env = \"S\" }",
        )
        .expect_err("invalid");
        for key in [
            "console.listen",
            "console.act_groups",
            "console.read_groups",
            "console.session_hours",
            "console.session_secret",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(key)),
                "{key}: {errors:?}"
            );
        }
        assert!(
            errors.iter().all(|e| !e.contains("s3cr3t-v4lue")),
            "the secret is never shown: {errors:?}"
        );
    }
}
