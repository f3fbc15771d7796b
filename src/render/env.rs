//! The template environment: built-in templates compiled into the binary, overridden
//! file by file from an optional `templates_dir`, resolved per level and language, and
//! rendered into emails (MJML → HTML, plus text) and letters (HTML for the PDF renderer).
//!
//! Naming: `<level>.<lang>.mjml` (email body), `<level>.<lang>.txt` (plain-text part; its
//! `{% block subject %}` is the email subject, given to the MJML template as `subject`),
//! `<level>.<lang>.letter.html` (letter; its `subject` block is the letter's "Objet").
//! Files starting with `_` are shared layouts and partials. Autoescaping is on for
//! `.mjml`, `.html` and `.xml`, so data is escaped before mrml parses the MJML.
//! Language fallback: exact (`nl_BE`) → language (`nl`) → default language → `en`.
//!
//! This module does not send, store or convert to PDF; see `pdf.rs` for letters.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use super::builtin::BUILTIN;
use super::context::build_context;
use super::error::{RenderError, TemplateError};
use super::filters;
use super::format::{single_line, strip_control};
use super::mjml::mjml_to_html;
use super::model::CommunicationView;
use super::tera_errors::{load_error, template_error};

/// An email ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A letter as HTML, to be turned into PDF by a `PdfRenderer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedLetter {
    pub subject: String,
    pub html: String,
}

/// Which file of a level a template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    Mjml,
    Text,
    Letter,
}

impl TemplateKind {
    pub fn suffix(self) -> &'static str {
        match self {
            TemplateKind::Mjml => "mjml",
            TemplateKind::Text => "txt",
            TemplateKind::Letter => "letter.html",
        }
    }
}

/// The loaded templates.
pub struct Templates {
    tera: Tera,
    /// Template name → path shown in errors.
    origins: HashMap<String, String>,
    /// Template name → source, to quote the faulty line in errors.
    sources: HashMap<String, String>,
    default_lang: String,
}

/// Suffix of the template holding only the `subject` block of a `.txt`/`.letter.html`.
const SUBJECT: &str = "#subject";

/// The `{% block subject %}` of a template as a template of its own, padded with newlines
/// so that line numbers stay those of the file. It renders without autoescaping (plain
/// text, escaped later where it is inserted into HTML) and without rendering the whole
/// template, as tera's `render_block` would.
fn subject_template(src: &str) -> Option<String> {
    let open = src.find("{% block subject %}")?;
    let body_start = open + "{% block subject %}".len();
    let body_len = src[body_start..].find("{% endblock")?;
    let lines_before = src[..open].matches('\n').count();
    Some(format!(
        "{}{}",
        "\n".repeat(lines_before),
        &src[body_start..body_start + body_len]
    ))
}

const TEMPLATE_SUFFIXES: [&str; 5] = [".mjml", ".txt", ".html", ".xml", ".css"];

impl Templates {
    /// Built-in templates only.
    pub fn builtin() -> Result<Self, RenderError> {
        Self::new(None, "en")
    }

    /// Built-ins, overridden file by file by the template files found in `templates_dir`
    /// (same file name replaces, new names add). `default_lang` is the fallback language.
    pub fn new(templates_dir: Option<PathBuf>, default_lang: &str) -> Result<Self, RenderError> {
        let mut sources: HashMap<String, (String, String)> = BUILTIN
            .iter()
            .map(|(name, src)| {
                (
                    (*name).to_owned(),
                    (format!("templates/{name}"), (*src).to_owned()),
                )
            })
            .collect();
        if let Some(dir) = templates_dir {
            for (name, path, src) in read_dir_templates(&dir)? {
                sources.insert(name, (path, src));
            }
        }
        let subjects: Vec<(String, (String, String))> = sources
            .iter()
            .filter(|(name, _)| name.ends_with(".txt") || name.ends_with(".letter.html"))
            .filter_map(|(name, (path, src))| {
                subject_template(src).map(|s| (format!("{name}{SUBJECT}"), (path.clone(), s)))
            })
            .collect();
        sources.extend(subjects);
        let origins: HashMap<String, String> = sources
            .iter()
            .map(|(name, (path, _))| (name.clone(), path.clone()))
            .collect();
        let sources: HashMap<String, String> = sources
            .into_iter()
            .map(|(name, (_, src))| (name, src))
            .collect();
        let mut tera = Tera::new();
        tera.autoescape_on([".mjml", ".html", ".xml"]);
        filters::register(&mut tera);
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, src)| (name.as_str(), src.as_str())),
        )
        .map_err(|e| load_error(&e, &origins))?;
        Ok(Self {
            tera,
            origins,
            sources,
            default_lang: default_lang.to_owned(),
        })
    }

    /// The template name used for `level`, `lang` and `kind`, after language fallback.
    pub fn resolve(
        &self,
        level: &str,
        lang: &str,
        kind: TemplateKind,
    ) -> Result<String, RenderError> {
        let candidates = lang_candidates(lang, &self.default_lang);
        let names: Vec<String> = candidates
            .iter()
            .map(|l| format!("{level}.{l}.{}", kind.suffix()))
            .collect();
        names
            .iter()
            .find(|n| self.tera.contains_template(n))
            .cloned()
            .ok_or_else(|| RenderError::MissingTemplate {
                level: level.to_owned(),
                lang: lang.to_owned(),
                kind: kind.suffix(),
                tried: names.join(", "),
            })
    }

    /// Path shown in errors for a template name.
    pub fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    /// Renders the email (subject, HTML from MJML, text part) of a communication.
    pub fn render_email(&self, comm: &CommunicationView) -> Result<RenderedEmail, RenderError> {
        let mut ctx = build_context(comm)?;
        let text_name = self.resolve(&comm.level.key, &comm.lang, TemplateKind::Text)?;
        let mjml_name = self.resolve(&comm.level.key, &comm.lang, TemplateKind::Mjml)?;
        let subject = self.render_subject(&text_name, &ctx)?;
        ctx.insert("subject", &subject);
        let text = tidy_text(&self.render(&text_name, &ctx)?);
        let mjml = self.render(&mjml_name, &ctx)?;
        let html = mjml_to_html(&mjml).map_err(|message| TemplateError {
            file: self.origin(&mjml_name),
            line: None,
            message,
        })?;
        Ok(RenderedEmail {
            subject,
            html,
            text,
        })
    }

    /// The MJML of a communication's email before mrml converts it (for previews and
    /// debugging a template).
    pub fn render_mjml(&self, comm: &CommunicationView) -> Result<String, RenderError> {
        let mut ctx = build_context(comm)?;
        let text_name = self.resolve(&comm.level.key, &comm.lang, TemplateKind::Text)?;
        let subject = self.render_subject(&text_name, &ctx)?;
        ctx.insert("subject", &subject);
        let mjml_name = self.resolve(&comm.level.key, &comm.lang, TemplateKind::Mjml)?;
        self.render(&mjml_name, &ctx)
    }

    /// Renders the printable letter (HTML) of a communication.
    pub fn render_letter(&self, comm: &CommunicationView) -> Result<RenderedLetter, RenderError> {
        let mut ctx = build_context(comm)?;
        // `render_block` (fallback) renders the whole template: `subject` must exist.
        ctx.insert("subject", "");
        let name = self.resolve(&comm.level.key, &comm.lang, TemplateKind::Letter)?;
        let subject = self.render_subject(&name, &ctx)?;
        ctx.insert("subject", &subject);
        let html = self.render(&name, &ctx)?;
        Ok(RenderedLetter { subject, html })
    }

    fn render(&self, name: &str, ctx: &tera::Context) -> Result<String, RenderError> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.quote(template_error(&e, &self.origins, Some(name))))
    }

    /// Adds the faulty line of the template to a render error.
    fn quote(&self, mut err: TemplateError) -> RenderError {
        let source = self
            .origins
            .iter()
            .filter(|(_, path)| **path == err.file)
            .map(|(name, _)| name)
            .min_by_key(|name| name.ends_with(SUBJECT)) // the whole file, not its subject
            .and_then(|name| self.sources.get(name));
        let quoted = source
            .zip(err.line)
            .and_then(|(src, line)| src.lines().nth(line.saturating_sub(1)));
        if let Some(text) = quoted {
            let text: String = text.trim().chars().take(120).collect();
            err.message = format!("{} (in `{text}`)", err.message);
        }
        err.into()
    }

    /// The one-line subject of a template: its extracted `subject` block, else tera's
    /// `render_block` (when the block is written in an unusual way).
    fn render_subject(&self, name: &str, ctx: &tera::Context) -> Result<String, RenderError> {
        let subject_name = format!("{name}{SUBJECT}");
        let raw = if self.tera.contains_template(&subject_name) {
            self.render(&subject_name, ctx)?
        } else {
            self.render_block(name, "subject", ctx)?
        };
        Ok(single_line(&raw))
    }

    fn render_block(
        &self,
        name: &str,
        block: &str,
        ctx: &tera::Context,
    ) -> Result<String, RenderError> {
        self.tera
            .render_block(name, block, ctx)
            .map_err(|e| self.quote(template_error(&e, &self.origins, Some(name))))
    }
}

/// `nl_BE` with default `fr` → `[nl_BE, nl, fr, en]`, without duplicates.
pub fn lang_candidates(lang: &str, default_lang: &str) -> Vec<String> {
    let exact = lang.replace('-', "_");
    let base = exact
        .split('_')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let mut out: Vec<String> = Vec::with_capacity(4);
    for l in [exact, base, default_lang.to_owned(), "en".to_owned()] {
        if !l.is_empty() && !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn read_dir_templates(dir: &Path) -> Result<Vec<(String, String, String)>, RenderError> {
    let io_err = |source| RenderError::TemplatesDir {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let path = entry.map_err(io_err)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !path.is_file() || !TEMPLATE_SUFFIXES.iter().any(|s| name.ends_with(s)) {
            continue;
        }
        let src = std::fs::read_to_string(&path).map_err(|source| RenderError::TemplatesDir {
            path: path.clone(),
            source,
        })?;
        out.push((name, path.display().to_string(), src));
    }
    Ok(out)
}

/// Plain-text part: control characters removed, trailing spaces trimmed, at most one
/// empty line in a row, no leading or trailing empty lines.
fn tidy_text(text: &str) -> String {
    let clean = strip_control(text);
    let mut out = String::with_capacity(clean.len());
    let mut blank = 0;
    for line in clean.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_fall_back_from_region_to_language_to_default_to_english() {
        assert_eq!(lang_candidates("nl_BE", "fr"), ["nl_BE", "nl", "fr", "en"]);
        assert_eq!(lang_candidates("en", "en"), ["en"]);
        assert_eq!(lang_candidates("fr-FR", "nl"), ["fr_FR", "fr", "nl", "en"]);
    }

    #[test]
    fn text_parts_keep_single_blank_lines() {
        assert_eq!(tidy_text("\n\na  \n\n\n\nb\u{7}\nc\n\n"), "a\n\nb\nc\n");
    }
}
