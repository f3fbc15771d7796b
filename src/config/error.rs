//! Configuration errors: every one names the key path and says how to fix it.

use std::fmt;

/// One problem in the configuration, e.g. `odoo.url: not a URL: "htp:/x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Dotted key path, with indices for arrays: `strategy[0].level[2].offset_days`.
    pub key: String,
    /// What is wrong and what to write instead.
    pub message: String,
}

impl ConfigError {
    pub fn new(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::error::Error for ConfigError {}
