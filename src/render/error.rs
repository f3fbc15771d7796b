//! Errors of the rendering module, each naming the template file (and line) at fault
//! and what to do about it.
//!
//! Never includes the communication's data beyond a short excerpt of generated markup.

use std::path::PathBuf;

/// A problem in one template file: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct TemplateError {
    /// Path of the template as the operator knows it: `templates/urgent.fr.mjml` for a
    /// built-in, the full path for an override.
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] TemplateError),

    #[error(
        "no `{kind}` template for level `{level}` in language `{lang}` (tried {tried}): add \
         one to the templates directory or use a level key among predue, amical, standard, \
         urgent, suspension, demeure"
    )]
    MissingTemplate {
        level: String,
        lang: String,
        kind: &'static str,
        tried: String,
    },

    #[error("cannot read templates directory {}: {source}", path.display())]
    TemplatesDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot turn the communication into template data: {0}")]
    Data(String),
}

impl RenderError {
    /// The template error inside, if this is one.
    pub fn template(&self) -> Option<&TemplateError> {
        match self {
            RenderError::Template(t) => Some(t),
            _ => None,
        }
    }
}
