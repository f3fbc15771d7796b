//! Loading what a run needs and validating it like `relanced check` does: the
//! configuration (`config::load`, every problem with its key path) and the templates of
//! every level in every language (`render::check_templates`, with file and line). Used at
//! start-up and on SIGHUP; a rejected reload keeps the old configuration.
//!
//! It reads files only; it never talks to Odoo, the ledger or SMTP.

use crate::config::{self, Config, LoadOptions};
use crate::render::check_templates;
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
        let file = path.display().to_string();
        errors
            .iter()
            // An error about the file itself (unreadable, not TOML at line N) already
            // starts with its path.
            .map(|e| match e.key.starts_with(&file) {
                true => e.to_string(),
                false => format!("{file}: {e}"),
            })
            .collect::<Vec<_>>()
    })?;
    let templates = config
        .render
        .templates()
        .map_err(|e| vec![format!("templates: {e}")])?;
    let levels = config.template_names();
    let problems = check_templates(&templates, &levels, &LANGS);
    if !problems.is_empty() {
        return Err(problems.iter().map(|p| format!("template {p}")).collect());
    }
    Ok(Loaded { config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_config(dir: &Path, templates: Option<&Path>) -> std::path::PathBuf {
        let render = templates
            .map(|t| format!("[render]\ntemplates_dir = \"{}\"\n", t.display()))
            .unwrap_or_default();
        let path = dir.join("relanced.toml");
        std::fs::write(
            &path,
            format!(
                "[odoo]\nurl = \"http://127.0.0.1:1\"\ndatabase = \"db\"\nlogin = \"bot\"\n\
                 api_key = {{ env = \"KEY\" }}\n[mail]\nfrom = \"Compta <c@example.com>\"\n\
                 outbox_dir = \"{outbox}\"\n{render}",
                outbox = dir.join("outbox").display()
            ),
        )
        .unwrap();
        path
    }

    fn options() -> LoadOptions {
        LoadOptions {
            env: vec![("KEY".into(), "k".into())],
            credentials_dir: None,
            credentials_fallback: None,
        }
    }

    #[test]
    fn a_valid_configuration_with_the_built_in_templates_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load_and_validate(&write_config(dir.path(), None), &options()).unwrap();
        assert_eq!(loaded.config.odoo.database, "db");
    }

    #[test]
    fn a_broken_template_override_is_rejected_with_its_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let templates = dir.path().join("templates");
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(
            templates.join("standard.fr.mjml"),
            "<mjml><mj-body>\n<mj-text>{{ oops </mj-text></mj-body></mjml>\n",
        )
        .unwrap();
        let problems =
            load_and_validate(&write_config(dir.path(), Some(&templates)), &options()).unwrap_err();
        assert!(
            problems.iter().any(|p| p.contains("standard.fr.mjml")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_invalid_configuration_names_the_file_and_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_config(dir.path(), None);
        let text = std::fs::read_to_string(&path).unwrap() + "[schedule]\nat = 7\n";
        std::fs::write(&path, text).unwrap();
        let problems = load_and_validate(&path, &options()).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("relanced.toml") && p.contains("at")),
            "{problems:?}"
        );
    }

    #[test]
    fn an_unreadable_configuration_names_its_path_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.toml");
        let problems = load_and_validate(&path, &options()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            problems[0].matches("missing.toml").count(),
            1,
            "{problems:?}"
        );
        assert!(
            problems[0].contains("cannot read the configuration file"),
            "{problems:?}"
        );
    }
}
