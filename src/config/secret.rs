//! Secrets in configuration: where they come from, and a type that never prints them.
//!
//! A secret is written `{ credential = "NAME" }` (systemd's `LoadCredential=`, read from
//! `$CREDENTIALS_DIRECTORY/NAME`), `{ file = "/path" }`, `{ env = "VAR" }`, or inline as a
//! plain string (accepted, with a warning: it ends up in backups and `ps` of editors).
//! The resolved value lives in [`Secret`], whose `Debug` and `Display` are redacted.

use crate::config::ConfigError;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where a secret is to be read from, as written in the configuration.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum SecretSource {
    Credential { credential: String },
    File { file: PathBuf },
    Env { env: String },
    Inline(String),
}

impl fmt::Debug for SecretSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretSource::Credential { credential } => {
                write!(f, "{{ credential = {credential:?} }}")
            }
            SecretSource::File { file } => write!(f, "{{ file = {file:?} }}"),
            SecretSource::Env { env } => write!(f, "{{ env = {env:?} }}"),
            SecretSource::Inline(_) => f.write_str("<inline secret, redacted>"),
        }
    }
}

/// A resolved secret. Its value is only reachable through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret's text, for the one place that must send it (an HTTP header,
    /// an SMTP AUTH). Never format it into a message.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What resolving a secret found out besides its value.
#[derive(Debug, PartialEq, Eq)]
pub enum SecretWarning {
    /// The secret is written in the configuration file itself.
    Inline { key: String },
}

impl SecretSource {
    /// Reads the secret. `key` is the configuration key path, for messages.
    /// `credentials_dir` is `$CREDENTIALS_DIRECTORY` (passed in: no global state).
    pub fn resolve(
        &self,
        key: &str,
        credentials_dir: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Secret, Option<SecretWarning>), ConfigError> {
        let value = match self {
            SecretSource::Inline(value) => {
                return Ok((
                    Secret::new(value.clone()),
                    Some(SecretWarning::Inline {
                        key: key.to_owned(),
                    }),
                ));
            }
            SecretSource::Credential { credential } => {
                let Some(dir) = credentials_dir else {
                    return Err(ConfigError::new(
                        key,
                        format!(
                            "credential {credential:?} asked for, but $CREDENTIALS_DIRECTORY is not set: \
                             run under systemd with `LoadCredential={credential}:/path/to/file`, \
                             or write {{ file = \"/path\" }} instead"
                        ),
                    ));
                };
                let path = dir.join(credential);
                read_secret_file(key, &path)?
            }
            SecretSource::File { file } => read_secret_file(key, file)?,
            SecretSource::Env { env: var } => env(var).ok_or_else(|| {
                ConfigError::new(key, format!("environment variable {var} is not set"))
            })?,
        };
        if value.is_empty() {
            return Err(ConfigError::new(key, "the secret is empty"));
        }
        Ok((Secret::new(value), None))
    }
}

fn read_secret_file(key: &str, path: &Path) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::new(
            key,
            format!("cannot read secret file {}: {e}", path.display()),
        )
    })?;
    // A trailing newline is an editor's, not the secret's.
    Ok(text.trim_end_matches(['\n', '\r']).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2-api-key");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        let src = SecretSource::Inline("hunter2-api-key".into());
        assert!(!format!("{src:?}").contains("hunter2"));
    }

    #[test]
    fn credential_is_read_from_the_credentials_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("odoo-api-key"), "k3y\n").unwrap();
        let src = SecretSource::Credential {
            credential: "odoo-api-key".into(),
        };
        let (secret, warning) = src
            .resolve("odoo.api_key", Some(dir.path()), &|_| None)
            .unwrap();
        assert_eq!(secret.expose(), "k3y");
        assert_eq!(warning, None);
        let err = src.resolve("odoo.api_key", None, &|_| None).unwrap_err();
        assert_eq!(err.key, "odoo.api_key");
        assert!(err.message.contains("CREDENTIALS_DIRECTORY"), "{err}");
    }

    #[test]
    fn env_secret_and_inline_warning() {
        let src = SecretSource::Env {
            env: "ODOO_KEY".into(),
        };
        let (s, _) = src
            .resolve("odoo.api_key", None, &|v| {
                (v == "ODOO_KEY").then(|| "abc".to_owned())
            })
            .unwrap();
        assert_eq!(s.expose(), "abc");
        let err = src.resolve("odoo.api_key", None, &|_| None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "odoo.api_key: environment variable ODOO_KEY is not set"
        );
        let (_, w) = SecretSource::Inline("x".into())
            .resolve("mail.smtp.password", None, &|_| None)
            .unwrap();
        assert_eq!(
            w,
            Some(SecretWarning::Inline {
                key: "mail.smtp.password".into()
            })
        );
    }
}
