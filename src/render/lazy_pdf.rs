//! A WeasyPrint pool started at the first letter, so that a run (or a preview) without
//! letters never pays for a Python process. It renders; it must not decide which letters
//! exist nor where they go.

use super::pdf::{PdfError, PdfRenderer, WarmWeasyPrint};
use std::sync::OnceLock;

/// A WeasyPrint pool started on first use.
pub struct LazyPdf {
    size: usize,
    base_url: String,
    /// The start-up failure is kept as text: it is replayed to every letter of the run.
    pool: OnceLock<Result<WarmWeasyPrint, String>>,
}

impl LazyPdf {
    /// A pool of `size` WeasyPrint workers resolving relative URLs against `base_url`.
    pub fn new(size: usize, base_url: &str) -> Self {
        Self {
            size,
            base_url: base_url.to_owned(),
            pool: OnceLock::new(),
        }
    }
}

impl PdfRenderer for LazyPdf {
    fn render_pdf(&self, html: &str) -> Result<Vec<u8>, PdfError> {
        let pool = self.pool.get_or_init(|| {
            WarmWeasyPrint::start(self.size, None, &self.base_url).map_err(|e| e.to_string())
        });
        match pool {
            Ok(p) => p.render_pdf(html),
            Err(e) => Err(PdfError::Process(e.clone())),
        }
    }
}
