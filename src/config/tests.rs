use super::*;
use pretty_assertions::assert_eq;

const MINIMAL: &str = r#"
[odoo]
url = "https://erp.example.com"
database = "prod"
login = "bot@example.com"
api_key = { env = "ODOO_KEY" }

[mail]
from = "Comptabilité <compta@example.com>"
"#;

fn opts(env: &[(&str, &str)]) -> LoadOptions {
    LoadOptions {
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        credentials_dir: None,
        credentials_fallback: None,
    }
}

fn errors_of(text: &str, env: &[(&str, &str)]) -> Vec<String> {
    load_str(text, "test.toml", &opts(env))
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn minimal_configuration_loads_with_defaults() {
    let c = load_str(MINIMAL, "test.toml", &opts(&[("ODOO_KEY", "k")])).unwrap();
    assert_eq!(c.odoo.protocol, Protocol::Auto);
    assert_eq!(c.secrets.odoo_api_key.as_ref().unwrap().expose(), "k");
    assert_eq!(c.schedule.at, "07:30");
    assert!(c.warnings.is_empty());
}

#[test]
fn a_bad_url_names_the_key_and_the_value() {
    let text = MINIMAL.replace("https://erp.example.com", "htp:/x");
    assert_eq!(
        errors_of(&text, &[("ODOO_KEY", "k")]),
        vec![
            r#"odoo.url: not a URL: "htp:/x" (the scheme must be https:// or http://, not htp://)"#
        ]
    );
}

#[test]
fn an_unknown_key_is_refused_with_its_path() {
    let text = MINIMAL.replace("login =", "logn = \"x\"\nlogin =");
    let errors = errors_of(&text, &[("ODOO_KEY", "k")]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("odoo"), "{errors:?}");
    assert!(errors[0].contains("unknown field `logn`"), "{errors:?}");
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let text = MINIMAL
        .replace("https://erp.example.com", "ftp://x")
        .replace("\"prod\"", "\"\"")
        .replace("Comptabilité <compta@example.com>", "not an address")
        + "[schedule]\nat = \"25h\"\ntimezone = \"Mars/Olympus\"\n";
    let errors = errors_of(&text, &[]);
    let keys: Vec<&str> = errors
        .iter()
        .map(|e| e.split(':').next().unwrap())
        .collect();
    assert_eq!(
        keys,
        vec![
            "odoo.url",
            "odoo.database",
            "mail.from",
            "schedule.at",
            "schedule.timezone",
            "odoo.api_key"
        ]
    );
}

#[test]
fn environment_overrides_the_file() {
    let c = load_str(
        MINIMAL,
        "test.toml",
        &opts(&[
            ("ODOO_KEY", "k"),
            ("RELANCED__ODOO__URL", "https://other.example.com"),
            ("RELANCED__ODOO__DATABASE", "2024"),
            ("RELANCED__ODOO__COMPANIES", "[1, 3]"),
            ("RELANCED__SCHEDULE__BUSINESS_DAYS_ONLY", "false"),
        ]),
    )
    .unwrap();
    assert_eq!(c.odoo.url, "https://other.example.com");
    assert_eq!(
        c.odoo.database, "2024",
        "a numeric-looking value stays text where text is wanted"
    );
    assert_eq!(c.odoo.companies, vec![1, 3]);
    assert!(!c.schedule.business_days_only);
}

#[test]
fn an_inline_secret_works_with_a_warning_that_does_not_show_it() {
    let text = MINIMAL.replace("{ env = \"ODOO_KEY\" }", "\"s3cret-inline\"");
    let c = load_str(&text, "test.toml", &opts(&[])).unwrap();
    assert_eq!(c.warnings.len(), 1);
    assert!(c.warnings[0].starts_with("odoo.api_key"));
    assert!(!c.warnings[0].contains("s3cret"));
    assert!(
        !format!("{c:?}").contains("s3cret-inline"),
        "Debug of the whole config leaks the secret"
    );
}

#[test]
fn toml_syntax_errors_name_the_line() {
    let errors = errors_of("[odoo]\nurl = \n", &[]);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("test.toml:2: not valid TOML"),
        "{errors:?}"
    );
}

#[test]
fn the_example_configuration_is_complete_and_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/config/relanced.example.toml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("odoo-api-key"), "key").unwrap();
    std::fs::write(dir.path().join("smtp-password"), "pw").unwrap();
    let options = LoadOptions {
        env: vec![],
        credentials_dir: Some(dir.path().to_owned()),
        credentials_fallback: None,
    };
    let c = load(std::path::Path::new(path), &options).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(c.secrets.smtp_password.as_ref().unwrap().expose(), "pw");
}

#[test]
fn without_strategies_the_built_in_default_is_used() {
    let c = load_str(MINIMAL, "test.toml", &opts(&[("ODOO_KEY", "k")])).unwrap();
    let keys: Vec<&str> = c.strategy_set.strategies[0]
        .levels
        .iter()
        .map(|l| l.key.as_str())
        .collect();
    assert_eq!(
        keys,
        vec!["amical", "standard", "urgent", "suspension", "demeure"],
        "the pre-due level ships disabled"
    );
}

#[test]
fn a_strategy_naming_a_missing_template_is_refused_with_its_key_path() {
    let text = format!(
        "{MINIMAL}\n[[strategy]]\nname = \"s\"\ndefault = true\n[[strategy.level]]\nkey = \"amical\"\nlabel = \"A\"\noffset_days = 3\nactions = [\"email\"]\ntemplate = \"no-such-template\"\n"
    );
    let errors = errors_of(&text, &[("ODOO_KEY", "k")]);
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("strategy[0].level[0].template")
                && e.contains("no-such-template")),
        "{errors:?}"
    );
}
