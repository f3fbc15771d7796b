//! Rendering of reminders: the view model of a communication (`model`), the template
//! environment with built-in and overriding templates (`env`), locale formatting
//! (`format`, `filters`), MJML → HTML (`mjml`), HTML → PDF with a warm WeasyPrint
//! process (`pdf`, started at the first letter by `LazyPdf`), and `check_templates` for
//! `relanced check`.
//!
//! It turns data into documents; it must not decide who is reminded (that is
//! `followup`), send anything (`deliver`) or talk to Odoo.

mod builtin;
mod check;
mod context;
mod env;
mod error;
mod filters;
pub mod format;
mod lazy_pdf;
pub mod mjml;
pub mod model;
pub mod pdf;
mod sample;
mod tera_errors;

pub use check::check_templates;
pub use env::{RenderedEmail, RenderedLetter, TemplateKind, Templates, lang_candidates};
pub use error::{RenderError, TemplateError};
pub use filters::paragraph_html;
pub use lazy_pdf::LazyPdf;
pub use model::*;
pub use pdf::{PdfError, PdfRenderer};
pub use sample::{LANGS, LEVEL_KEYS, sample_communication, totals_of};
