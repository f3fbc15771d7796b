//! Every built-in template renders against the sample communication, and broken
//! overrides are reported with their file and line.

use relanced::render::{LANGS, LEVEL_KEYS, Templates, check_templates, sample_communication};

#[test]
fn every_builtin_template_renders_for_every_level_and_language() {
    let templates = Templates::builtin().expect("built-in templates load");
    let errors = check_templates(&templates, &LEVEL_KEYS, &LANGS);
    assert!(errors.is_empty(), "{}", errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
}

#[test]
fn dump_one() {
    let templates = Templates::builtin().unwrap();
    let comm = sample_communication("fr", "urgent");
    let email = templates.render_email(&comm).unwrap();
    println!("SUBJECT {}\n{}\n-----", email.subject, email.text);
    std::fs::write("/tmp/render_email.html", &email.html).unwrap();
    let letter = templates.render_letter(&comm).unwrap();
    std::fs::write("/tmp/render_letter.html", &letter.html).unwrap();
}
