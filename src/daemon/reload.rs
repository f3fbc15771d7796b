//! Loading what a run needs and validating it like `relanced check` does: the
//! configuration (`config::load`, every problem with its key path) and the templates of
//! every level in every language (`render::check_templates`, with file and line). Used at
//! start-up and on SIGHUP; a rejected reload keeps the old configuration.
//!
//! It reads files only; it never talks to Odoo, the ledger or SMTP.

use crate::config::{self, Config, LoadOptions};
use crate::render::{Templates, check_templates};
use std::path::Path;

/// The languages relanced ships templates for.
pub const LANGS: [&str; 3] = ["fr", "nl", "en"];

/// A configuration found valid, templates included.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub config: Config,
}

/// Loads `path` and checks its templates; on failure, every problem as one line each.
pub fn load_and_validate(path: &Path, options: &LoadOptions) -> Result<Loaded, Vec<String>> {
    let config = config::load(path, options).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{}: {e}", path.display()))
            .collect::<Vec<_>>()
    })?;
    let default_lang = config.render.default_lang.as_deref().unwrap_or("fr");
    let templates = Templates::new(config.render.templates_dir.clone(), default_lang)
        .map_err(|e| vec![format!("templates: {e}")])?;
    let mut levels: Vec<&str> = config
        .strategy_set
        .strategies
        .iter()
        .flat_map(|s| s.levels.iter())
        .map(|l| l.template.as_str())
        .collect();
    levels.sort_unstable();
    levels.dedup();
    let problems = check_templates(&templates, &levels, &LANGS);
    if !problems.is_empty() {
        return Err(problems.iter().map(|p| format!("template {p}")).collect());
    }
    Ok(Loaded { config })
}
