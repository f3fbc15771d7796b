//! Secrets in configuration: where they come from, and a type that never prints them.
//!
//! A secret is written `{ credential = "NAME" }` (systemd's `LoadCredential=`, read from
//! `$CREDENTIALS_DIRECTORY/NAME`), `{ file = "/path" }`, `{ env = "VAR" }`, or inline as a
//! plain string (accepted, with a warning: it ends up in backups and `ps` of editors).
//! The resolved value lives in [`Secret`], whose `Debug` and `Display` are redacted.
//!
//! Outside systemd (`$CREDENTIALS_DIRECTORY` unset: an administrator running
//! `relanced check` before the first start), a credential is read from the directory the
//! packaged unit loads it from ([`PACKAGED_CREDENTIALS_DIR`]), and that is said.

use crate::config::ConfigError;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The directory `relanced.service` loads credentials from (`LoadCredential=relanced:DIR`).
pub const PACKAGED_CREDENTIALS_DIR: &str = "/etc/relanced/credentials";

/// The unit loads [`PACKAGED_CREDENTIALS_DIR`] as credential `relanced`: systemd names
/// each of its files `relanced_FILE`.
pub const UNIT_CREDENTIAL_PREFIX: &str = "relanced_";

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
    /// A credential read outside systemd from the directory the unit loads it from.
    FromPackagedDir { key: String, path: PathBuf },
}

/// Where credentials are found: `$CREDENTIALS_DIRECTORY` under systemd, else (when given)
/// the directory the unit loads them from.
#[derive(Debug, Clone, Copy, Default)]
pub struct CredentialDirs<'a> {
    /// `$CREDENTIALS_DIRECTORY`.
    pub systemd: Option<&'a Path>,
    /// Read when `systemd` is `None`: [`PACKAGED_CREDENTIALS_DIR`] for the real process.
    pub fallback: Option<&'a Path>,
}

impl SecretSource {
    /// Reads the secret. `key` is the configuration key path, for messages.
    /// `dirs` says where credentials are (passed in: no global state).
    pub fn resolve(
        &self,
        key: &str,
        dirs: CredentialDirs<'_>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Secret, Option<SecretWarning>), ConfigError> {
        let mut warning = None;
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
                if credential.is_empty() || credential.contains('/') {
                    return Err(ConfigError::new(
                        key,
                        format!(
                            "credential name {credential:?} is not a file name: write the name \
                             given to LoadCredential=, e.g. {{ credential = \"odoo-api-key\" }}"
                        ),
                    ));
                }
                match (dirs.systemd, dirs.fallback) {
                    (Some(dir), _) => read_systemd_credential(key, credential, dir)?,
                    (None, Some(dir)) => {
                        let path = dir.join(credential);
                        let value = read_packaged_credential(key, credential, &path)?;
                        warning = Some(SecretWarning::FromPackagedDir {
                            key: key.to_owned(),
                            path,
                        });
                        value
                    }
                    (None, None) => {
                        return Err(ConfigError::new(
                            key,
                            format!(
                                "credential {credential:?} asked for, but $CREDENTIALS_DIRECTORY is not set: \
                                 run under systemd with `LoadCredential={credential}:/path/to/file`, \
                                 or write {{ file = \"/path\" }} instead"
                            ),
                        ));
                    }
                }
            }
            SecretSource::File { file } => read_secret_file(key, file)?,
            SecretSource::Env { env: var } => env(var).ok_or_else(|| {
                ConfigError::new(key, format!("environment variable {var} is not set"))
            })?,
        };
        if value.is_empty() {
            let message = match self {
                SecretSource::Credential { credential } => format!(
                    "credential {credential:?} is empty: write it with \
                     `install -m 0600 /dev/stdin {dir}/{credential}` (relanced.service loads \
                     every file of that directory), then restart the service",
                    dir = PACKAGED_CREDENTIALS_DIR
                ),
                _ => "the secret is empty".to_owned(),
            };
            return Err(ConfigError::new(key, message));
        }
        Ok((Secret::new(value), warning))
    }
}

/// A credential under systemd: `$CREDENTIALS_DIRECTORY/NAME` (the unit's own
/// `LoadCredential=NAME:…`), else `$CREDENTIALS_DIRECTORY/relanced_NAME`: the packaged unit
/// loads the directory [`PACKAGED_CREDENTIALS_DIR`] whole (`LoadCredential=relanced:DIR`,
/// each file FILE becoming `relanced_FILE`), so that a secret that is not used (the SMTP
/// password when mail goes through Odoo) may simply be absent: systemd 252 refuses to
/// start a unit whose `LoadCredential=` names a missing file.
fn read_systemd_credential(key: &str, name: &str, dir: &Path) -> Result<String, ConfigError> {
    let own = dir.join(name);
    let packaged = dir.join(format!("{UNIT_CREDENTIAL_PREFIX}{name}"));
    let path = if own.exists() { own } else { packaged };
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text.trim_end_matches(['\n', '\r']).to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::new(
            key,
            format!(
                "credential {name:?} is not among the service's credentials \
                 ($CREDENTIALS_DIRECTORY has neither {name} nor {UNIT_CREDENTIAL_PREFIX}{name}): \
                 write it with `install -m 0600 /dev/stdin {PACKAGED_CREDENTIALS_DIR}/{name}` \
                 (relanced.service loads every file of that directory), then restart the service"
            ),
        )),
        Err(e) => Err(ConfigError::new(
            key,
            format!("cannot read credential {name:?} ({}): {e}", path.display()),
        )),
    }
}

/// A credential read outside systemd from where the unit loads it.
fn read_packaged_credential(key: &str, name: &str, path: &Path) -> Result<String, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text.trim_end_matches(['\n', '\r']).to_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ConfigError::new(
            key,
            format!(
                "credential {name:?}: $CREDENTIALS_DIRECTORY is not set (not under systemd) and \
                 {path} does not exist: write it with `install -m 0600 /dev/stdin {path}` \
                 (relanced.service loads it from there), or write {{ file = \"/path\" }} instead",
                path = path.display()
            ),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(ConfigError::new(
            key,
            format!(
                "credential {name:?}: $CREDENTIALS_DIRECTORY is not set (not under systemd) and \
                 {path} is not readable by this user ({e}): run the command as root \
                 (`sudo relanced …`), as relanced.service reads it as root",
                path = path.display()
            ),
        )),
        Err(e) => Err(ConfigError::new(
            key,
            format!("cannot read credential {name:?} ({}): {e}", path.display()),
        )),
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
            .resolve(
                "odoo.api_key",
                CredentialDirs {
                    systemd: Some(dir.path()),
                    fallback: None,
                },
                &|_| None,
            )
            .unwrap();
        assert_eq!(secret.expose(), "k3y");
        assert_eq!(warning, None);
        let err = src
            .resolve("odoo.api_key", CredentialDirs::default(), &|_| None)
            .unwrap_err();
        assert_eq!(err.key, "odoo.api_key");
        assert!(err.message.contains("CREDENTIALS_DIRECTORY"), "{err}");
    }

    #[test]
    fn env_secret_and_inline_warning() {
        let src = SecretSource::Env {
            env: "ODOO_KEY".into(),
        };
        let (s, _) = src
            .resolve("odoo.api_key", CredentialDirs::default(), &|v| {
                (v == "ODOO_KEY").then(|| "abc".to_owned())
            })
            .unwrap();
        assert_eq!(s.expose(), "abc");
        let err = src
            .resolve("odoo.api_key", CredentialDirs::default(), &|_| None)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "odoo.api_key: environment variable ODOO_KEY is not set"
        );
        let (_, w) = SecretSource::Inline("x".into())
            .resolve("mail.smtp.password", CredentialDirs::default(), &|_| None)
            .unwrap();
        assert_eq!(
            w,
            Some(SecretWarning::Inline {
                key: "mail.smtp.password".into()
            })
        );
    }

    #[test]
    fn outside_systemd_a_credential_is_read_where_the_unit_loads_it_and_that_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let src = SecretSource::Credential {
            credential: "odoo-api-key".into(),
        };
        let dirs = CredentialDirs {
            systemd: None,
            fallback: Some(dir.path()),
        };
        let err = src.resolve("odoo.api_key", dirs, &|_| None).unwrap_err();
        let missing = dir.path().join("odoo-api-key");
        assert_eq!(err.key, "odoo.api_key");
        assert!(
            err.message
                .contains(&format!("install -m 0600 /dev/stdin {}", missing.display())),
            "{err}"
        );
        std::fs::write(&missing, "s3cret-key\n").unwrap();
        let (secret, warning) = src.resolve("odoo.api_key", dirs, &|_| None).unwrap();
        assert_eq!(secret.expose(), "s3cret-key");
        assert_eq!(
            warning,
            Some(SecretWarning::FromPackagedDir {
                key: "odoo.api_key".into(),
                path: missing.clone()
            })
        );
        // Under systemd the fallback is not looked at: an absent credential names the fix.
        let creds = tempfile::tempdir().unwrap();
        let under_systemd = CredentialDirs {
            systemd: Some(creds.path()),
            fallback: Some(dir.path()),
        };
        let err = src
            .resolve("odoo.api_key", under_systemd, &|_| None)
            .unwrap_err();
        assert!(
            err.message
                .contains("install -m 0600 /dev/stdin /etc/relanced/credentials/odoo-api-key"),
            "{err}"
        );
        assert!(!err.message.contains("s3cret"), "{err}");
        // The packaged unit loads the directory whole: systemd prefixes the names.
        std::fs::write(creds.path().join("relanced_odoo-api-key"), "from-dir\n").unwrap();
        let (secret, warning) = src
            .resolve("odoo.api_key", under_systemd, &|_| None)
            .unwrap();
        assert_eq!((secret.expose(), warning), ("from-dir", None));
        // A credential of the unit's own (a drop-in's LoadCredential=NAME:…) comes first.
        std::fs::write(creds.path().join("odoo-api-key"), "own").unwrap();
        let (secret, _) = src
            .resolve("odoo.api_key", under_systemd, &|_| None)
            .unwrap();
        assert_eq!(secret.expose(), "own");
        std::fs::write(creds.path().join("odoo-api-key"), "\n").unwrap();
        let err = src
            .resolve("odoo.api_key", under_systemd, &|_| None)
            .unwrap_err();
        assert!(err.message.contains("is empty"), "{err}");
    }
}
