//! Turns tera's errors into `TemplateError`s that name the template file as the operator
//! knows it (built-in path or override path) and the line, e.g.
//! `templates/urgent.fr.mjml:12: Variable x is not defined`.
//!
//! It only describes errors; it never renders nor retries.

use std::collections::HashMap;

use super::error::TemplateError;

/// Load errors come as one report listing every broken file (`error: …` then
/// ` --> name:line:col`): keep the first as the error, count the others.
pub(super) fn load_error(err: &tera::Error, origins: &HashMap<String, String>) -> TemplateError {
    let report = err.to_string();
    let mut found: Vec<(String, usize, String)> = Vec::new();
    let mut message = String::new();
    for line in report.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = m.to_owned();
        } else if let Some(place) = line.trim_start().strip_prefix("--> ") {
            let mut parts = place.rsplitn(3, ':');
            let (_col, line_no, name) = (parts.next(), parts.next(), parts.next());
            if let (Some(name), Some(Ok(n))) = (name, line_no.map(str::parse::<usize>)) {
                found.push((name.to_owned(), n, std::mem::take(&mut message)));
            }
        }
    }
    match found.first() {
        Some((name, line, msg)) => {
            let file = origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| format!("templates/{name}"));
            let more = match found.len() {
                1 => String::new(),
                n => format!(" (and {} more template errors)", n - 1),
            };
            TemplateError {
                file,
                line: Some(*line),
                message: format!("{msg}{more}"),
            }
        }
        None => template_error(err, origins, None),
    }
}

/// Turns a tera error into `file:line: message`, following the error chain.
pub(super) fn template_error(
    err: &tera::Error,
    origins: &HashMap<String, String>,
    rendering: Option<&str>,
) -> TemplateError {
    let origin = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut messages = Vec::new();
    while let Some(e) = current {
        if let Some(te) = e.downcast_ref::<tera::Error>() {
            match te.kind() {
                tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                    let file = if r.filename().is_empty() {
                        rendering.map(origin).unwrap_or_default()
                    } else {
                        origin(r.filename())
                    };
                    messages.push(r.message().to_owned());
                    return TemplateError {
                        file,
                        line: Some(r.span().start_line),
                        message: messages.join(": "),
                    };
                }
                kind => messages.push(kind.to_string()),
            }
        } else {
            messages.push(e.to_string());
        }
        current = e.source();
    }
    TemplateError {
        file: rendering
            .map(origin)
            .unwrap_or_else(|| "templates".to_owned()),
        line: None,
        message: messages.join(": "),
    }
}
