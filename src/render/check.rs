//! `check_templates`: renders every template of the given levels and languages against
//! the sample communication and reports each problem with its file and line, so that
//! `relanced check` catches a broken override before a run does.
//!
//! It renders only; it never converts to PDF nor sends anything.

use super::env::{TemplateKind, Templates, lang_candidates};
use super::error::{RenderError, TemplateError};
use super::sample::sample_communication;

/// Every problem found, empty when all templates render.
pub fn check_templates(
    templates: &Templates,
    levels: &[&str],
    langs: &[&str],
) -> Vec<TemplateError> {
    let mut errors = Vec::new();
    for level in levels {
        for lang in langs {
            let comm = sample_communication(lang, level);
            if let Err(e) = templates.render_email(&comm) {
                push(&mut errors, templates, level, lang, TemplateKind::Mjml, e);
            }
            if let Err(e) = templates.render_letter(&comm) {
                push(&mut errors, templates, level, lang, TemplateKind::Letter, e);
            }
        }
    }
    errors.dedup();
    errors
}

fn push(
    errors: &mut Vec<TemplateError>,
    templates: &Templates,
    level: &str,
    lang: &str,
    kind: TemplateKind,
    err: RenderError,
) {
    let error = match err {
        RenderError::Template(t) => t,
        other => TemplateError {
            file: templates.origin(&format!(
                "{level}.{}.{}",
                lang_candidates(lang, "en")[0],
                kind.suffix()
            )),
            line: None,
            message: other.to_string(),
        },
    };
    if !errors.contains(&error) {
        errors.push(error);
    }
}
