//! Loading: TOML file, then environment overrides, then deserialization with key paths,
//! then secrets and validation. Every error names its key.
//!
//! Environment overrides are `RELANCED__SECTION__KEY=value` (double underscores between
//! levels, case-insensitive). The value is read as a TOML value when it is one (`5`,
//! `true`, `[1, 2]`, `{ env = "X" }`) and as a string otherwise; a key that expects a
//! string always gets the text as written.

use crate::config::secret::{CredentialDirs, PACKAGED_CREDENTIALS_DIR, SecretWarning};
use crate::config::{Config, ConfigError, validate};
use std::path::{Path, PathBuf};

const ENV_PREFIX: &str = "RELANCED__";

/// What loading may read besides the file: given, not global, so tests choose.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Environment variables (only `RELANCED__*` are overrides; others feed `{ env = … }`).
    pub env: Vec<(String, String)>,
    /// `$CREDENTIALS_DIRECTORY`.
    pub credentials_dir: Option<PathBuf>,
    /// Where credentials are read when `credentials_dir` is `None`: the directory the
    /// packaged unit loads them from, for `relanced check` run by hand before the start.
    pub credentials_fallback: Option<PathBuf>,
}

impl LoadOptions {
    /// The process environment.
    pub fn from_process() -> Self {
        let env: Vec<(String, String)> = std::env::vars().collect();
        let credentials_dir = env
            .iter()
            .find(|(k, _)| k == "CREDENTIALS_DIRECTORY")
            .map(|(_, v)| PathBuf::from(v));
        let credentials_fallback = credentials_dir
            .is_none()
            .then(|| PathBuf::from(PACKAGED_CREDENTIALS_DIR));
        Self {
            env,
            credentials_dir,
            credentials_fallback,
        }
    }

    fn var(&self, name: &str) -> Option<String> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Loads and validates the configuration file at `path`.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Config, Vec<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::PermissionDenied {
            " (relanced.service reads it through group relanced-config: \
             `chgrp relanced-config` the file and `chmod 0640` it; run commands by hand as root)"
        } else {
            ""
        };
        vec![ConfigError::new(
            path.display().to_string(),
            format!("cannot read the configuration file: {e}{hint}"),
        )]
    })?;
    load_str(&text, &path.display().to_string(), options)
}

/// Loads and validates configuration text; `origin` names it in messages.
pub fn load_str(
    text: &str,
    origin: &str,
    options: &LoadOptions,
) -> Result<Config, Vec<ConfigError>> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(span) => {
                let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                format!("{origin}:{line}")
            }
            None => origin.to_owned(),
        };
        vec![ConfigError::new(
            place,
            format!("not valid TOML: {}", e.message()),
        )]
    })?;

    let overrides = env_overrides(options);
    for (path, raw) in &overrides {
        set_path(&mut table, path, parse_env_value(raw));
    }

    let mut config = deserialize(table, &overrides)?;
    let mut errors = validate::validate(&config);
    resolve_strategies(&mut config, &mut errors);
    resolve_secrets(&mut config, options, &mut errors);
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

/// Deserializes, turning an env override back into a plain string when the schema
/// wanted a string there (e.g. `RELANCED__ODOO__DATABASE=2024`).
fn deserialize(
    mut table: toml::Table,
    overrides: &[(Vec<String>, String)],
) -> Result<Config, Vec<ConfigError>> {
    loop {
        let value = toml::Value::Table(table.clone());
        match serde_path_to_error::deserialize::<_, Config>(value) {
            Ok(config) => return Ok(config),
            Err(err) => {
                let path = err.path().to_string();
                let retry = overrides.iter().find(|(p, raw)| {
                    p.join(".") == path && !matches!(parse_env_value(raw), toml::Value::String(_))
                });
                if let Some((p, raw)) = retry
                    && get_path(&table, p) != Some(&toml::Value::String(raw.clone()))
                {
                    set_path(&mut table, p, toml::Value::String(raw.clone()));
                    continue;
                }
                let key = if path == "." {
                    "(top level)".to_owned()
                } else {
                    path
                };
                return Err(vec![ConfigError::new(
                    key,
                    humanize_serde(&err.inner().to_string()),
                )]);
            }
        }
    }
}

fn humanize_serde(message: &str) -> String {
    let message = message.trim();
    // toml's value deserializer appends a position that means nothing once merged.
    let message = message.split("\n").next().unwrap_or(message);
    if message.starts_with("unknown field") {
        format!("{message} (check the spelling, or remove the key)")
    } else if message.starts_with("data did not match any variant of untagged enum SecretSource") {
        "a secret is written `{ credential = \"NAME\" }`, `{ file = \"/path\" }`, `{ env = \"VAR\" }` or as a string".into()
    } else {
        message.to_owned()
    }
}

fn env_overrides(options: &LoadOptions) -> Vec<(Vec<String>, String)> {
    let mut out: Vec<(Vec<String>, String)> = options
        .env
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(ENV_PREFIX)?;
            let path: Vec<String> = rest.split("__").map(str::to_ascii_lowercase).collect();
            (!path.iter().any(String::is_empty)).then(|| (path, v.clone()))
        })
        .collect();
    out.sort();
    out
}

fn parse_env_value(raw: &str) -> toml::Value {
    match toml::from_str::<toml::Table>(&format!("v = {raw}")) {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| toml::Value::String(raw.to_owned())),
        Err(_) => toml::Value::String(raw.to_owned()),
    }
}

fn set_path(table: &mut toml::Table, path: &[String], value: toml::Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut current = table;
    for key in parents {
        let entry = current
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(t) = entry else { return };
        current = t;
    }
    current.insert(last.clone(), value);
}

fn get_path<'a>(table: &'a toml::Table, path: &[String]) -> Option<&'a toml::Value> {
    let (last, parents) = path.split_last()?;
    let mut current = table;
    for key in parents {
        current = current.get(key)?.as_table()?;
    }
    current.get(last)
}

fn resolve_secrets(config: &mut Config, options: &LoadOptions, errors: &mut Vec<ConfigError>) {
    let env = |name: &str| options.var(name);
    let dir = CredentialDirs {
        systemd: options.credentials_dir.as_deref(),
        fallback: options.credentials_fallback.as_deref(),
    };
    match config.odoo.api_key.resolve("odoo.api_key", dir, &env) {
        Ok((secret, w)) => {
            config.secrets.odoo_api_key = Some(secret);
            note_secret(w, config);
        }
        Err(e) => errors.push(e),
    }
    if let Some(source) = config.mail.smtp.as_ref().and_then(|s| s.password.clone()) {
        match source.resolve("mail.smtp.password", dir, &env) {
            Ok((secret, w)) => {
                config.secrets.smtp_password = Some(secret);
                note_secret(w, config);
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(source) = config.console.session_secret.clone() {
        match source.resolve("console.session_secret", dir, &env) {
            Ok((secret, w)) if secret.expose().len() >= 32 => {
                config.secrets.console_session_secret = Some(secret);
                note_secret(w, config);
            }
            Ok(_) => errors.push(ConfigError::new(
                "console.session_secret",
                "is shorter than 32 characters: make one with `head -c 32 /dev/urandom | base64`",
            )),
            Err(e) => errors.push(e),
        }
    }
}

/// Records what resolving a secret found out: a warning for an inline secret, a note for a
/// credential read outside systemd from the directory the unit loads it from.
fn note_secret(warning: Option<SecretWarning>, config: &mut Config) {
    match warning {
        Some(SecretWarning::Inline { key }) => config.warnings.push(format!(
            "{key}: the secret is written in the configuration file; prefer \
             {{ credential = \"NAME\" }} (systemd LoadCredential=) or {{ file = \"/path\" }}"
        )),
        Some(SecretWarning::FromPackagedDir { key, path }) => config.notes.push(format!(
            "{key}: read from {} ($CREDENTIALS_DIRECTORY is not set: not under systemd; \
             relanced.service loads the credential from this file)",
            path.display()
        )),
        None => {}
    }
}

/// Validates the strategies (the built-in default when none is configured) against the
/// templates that exist (built-in, or in `render.templates_dir`).
fn resolve_strategies(config: &mut Config, errors: &mut Vec<ConfigError>) {
    let templates = config.render.templates().ok();
    let lang = config.render.language();
    let known = |name: &str| match &templates {
        Some(t) => t
            .resolve(name, lang, crate::render::TemplateKind::Mjml)
            .is_ok(),
        None => true,
    };
    let result = if config.strategies.is_empty() {
        match toml::from_str::<crate::config::strategy::StrategyFile>(
            crate::config::DEFAULT_STRATEGY,
        ) {
            Ok(file) => {
                let mut rates = file.interest_reference_rate.clone();
                rates.extend(config.interest_reference_rate.iter().cloned());
                crate::config::strategy::strategy_set(
                    &file.strategies,
                    &rates,
                    &config.followup,
                    &known,
                )
            }
            Err(e) => Err(vec![ConfigError::new(
                "(built-in default strategy)",
                e.to_string(),
            )]),
        }
    } else {
        crate::config::strategy::strategy_set(
            &config.strategies,
            &config.interest_reference_rate,
            &config.followup,
            &known,
        )
    };
    match result {
        Ok(set) => {
            config.strategy_set = set;
            // The company's language for what is written into Odoo: relanced reads no
            // per-company language, so it is the configured default language.
            config.strategy_set.settings.lang =
                crate::followup::Lang::from_code(config.render.language());
        }
        Err(e) => errors.extend(e),
    }
}
