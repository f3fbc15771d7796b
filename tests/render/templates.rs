//! Rendering emails and letters from the built-in templates: every level and language
//! renders (golden files), hostile data comes out escaped, missing data is handled,
//! and overrides replace built-ins file by file with errors naming file and line.
//!
//! Golden files live in `tests/golden/render/`; regenerate with `UPDATE_GOLDEN=1`.

use std::path::PathBuf;

use relanced::render::{LANGS, LEVEL_KEYS, Templates, check_templates, sample_communication};

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/render")
}

fn assert_golden(name: &str, actual: &str, mismatches: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).expect("create golden dir");
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(_) => mismatches.push(format!("{name} differs (UPDATE_GOLDEN=1 to accept)")),
        Err(e) => mismatches.push(format!("{name}: {e} (UPDATE_GOLDEN=1 to create)")),
    }
}

#[test]
fn every_builtin_template_renders_for_every_level_and_language() {
    let templates = Templates::builtin().expect("built-in templates load");
    let errors = check_templates(&templates, &LEVEL_KEYS, &LANGS);
    let listed: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(errors.is_empty(), "{}", listed.join("\n"));
}

#[test]
fn emails_and_letters_match_the_golden_files_for_each_level_and_language() {
    let templates = Templates::builtin().expect("built-in templates load");
    let mut mismatches = Vec::new();
    for level in LEVEL_KEYS {
        for lang in LANGS {
            let comm = sample_communication(lang, level);
            let email = templates.render_email(&comm).expect("email renders");
            let letter = templates.render_letter(&comm).expect("letter renders");
            let text = format!("Subject: {}\n\n{}", email.subject, email.text);
            assert_golden(
                &format!("{level}.{lang}.email.html"),
                &email.html,
                &mut mismatches,
            );
            assert_golden(&format!("{level}.{lang}.email.txt"), &text, &mut mismatches);
            assert_golden(
                &format!("{level}.{lang}.letter.html"),
                &letter.html,
                &mut mismatches,
            );
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn each_level_speaks_in_its_own_tone_and_cites_the_law_where_due() {
    let templates = Templates::builtin().expect("built-in templates load");
    let expect = [
        (
            "demeure",
            "fr",
            "Mise en demeure",
            "article 1344 du Code civil",
        ),
        ("demeure", "fr", "Mise en demeure", "L441-10 et D441-5"),
        (
            "demeure",
            "nl",
            "Ingebrekestelling",
            "wet van 2 augustus 2002",
        ),
        (
            "demeure",
            "en",
            "Formal notice",
            "Late Payment of Commercial Debts (Interest) Act 1998",
        ),
        ("demeure", "en", "Formal notice", "2011/7/EU"),
        ("suspension", "fr", "suspension", "7 décembre 2026"),
        ("suspension", "nl", "opschorting", "7 december 2026"),
        ("suspension", "en", "suspension", "7 December 2026"),
        ("predue", "en", "Upcoming", "will soon fall due"),
    ];
    for (level, lang, subject_part, body_part) in expect {
        let email = templates
            .render_email(&sample_communication(lang, level))
            .expect("renders");
        assert!(
            email.subject.contains(subject_part),
            "{level}.{lang}: {}",
            email.subject
        );
        assert!(
            email.text.contains(body_part),
            "{level}.{lang} lacks {body_part:?}"
        );
        assert!(
            email.html.contains(body_part),
            "{level}.{lang} html lacks {body_part:?}"
        );
    }
}

#[test]
fn consumers_are_never_told_about_the_40_euro_indemnity() {
    let templates = Templates::builtin().expect("built-in templates load");
    for lang in LANGS {
        let mut comm = sample_communication(lang, "demeure");
        comm.customer.is_company = false;
        comm.customer.vat = None;
        comm.charges.clear();
        comm.totals = relanced::render::totals_of(&comm.items, &comm.charges);
        let email = templates.render_email(&comm).expect("renders");
        let letter = templates.render_letter(&comm).expect("renders");
        for doc in [&email.text, &email.html, &letter.html] {
            assert!(
                !doc.contains("40 euro"),
                "{lang}: consumer text mentions the indemnity"
            );
        }
        let business = templates
            .render_email(&sample_communication(lang, "demeure"))
            .expect("renders");
        assert!(
            business.text.contains("40 euro"),
            "{lang}: business text lacks the indemnity"
        );
    }
}

#[test]
fn missing_emails_addresses_and_bank_accounts_render_without_placeholders() {
    let templates = Templates::builtin().expect("built-in templates load");
    for lang in LANGS {
        let mut comm = sample_communication(lang, "standard");
        comm.recipients.clear();
        comm.customer.address_lines.clear();
        comm.customer.reference = None;
        comm.company.bank_accounts.clear();
        comm.company.street = None;
        comm.company.vat = None;
        comm.responsible.email = None;
        comm.responsible.phone = None;
        comm.payment_reference = None;
        comm.upcoming.clear();
        comm.credits.clear();
        let email = templates.render_email(&comm).expect("email renders");
        let letter = templates.render_letter(&comm).expect("letter renders");
        for doc in [&email.text, &email.html, &letter.html] {
            for bad in ["None", ">none", " none<", "null", "undefined"] {
                assert!(!doc.contains(bad), "{lang}: `{bad}` printed");
            }
        }
        assert!(
            !email.text.contains("none"),
            "{lang}: `none` in the text part"
        );
        // Without a global payment reference, the first item's reference is asked for.
        assert!(
            email.text.contains("INV202600412"),
            "{lang}: {}",
            email.text
        );
    }
}

#[test]
fn regional_languages_fall_back_to_their_language_then_english() {
    let templates = Templates::builtin().expect("built-in templates load");
    let mut comm = sample_communication("nl_BE", "amical");
    assert!(
        templates
            .render_email(&comm)
            .expect("renders")
            .subject
            .starts_with("Herinnering")
    );
    comm.lang = "de_DE".into();
    assert!(
        templates
            .render_email(&comm)
            .expect("renders")
            .subject
            .starts_with("Friendly reminder")
    );
    let french_default = Templates::new(None, "fr").expect("loads");
    assert!(
        french_default
            .render_email(&comm)
            .expect("renders")
            .subject
            .starts_with("Rappel")
    );
}

#[test]
fn an_override_file_replaces_the_builtin_of_the_same_name_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("amical.fr.txt"),
        "{% extends \"_layout.fr.txt\" %}{% block subject %}Petit rappel de {{ company.name }}{% endblock %}{% block body %}Texte maison.{% endblock %}",
    )
    .expect("write override");
    let templates = Templates::new(Some(dir.path().to_path_buf()), "en").expect("loads");
    let email = templates
        .render_email(&sample_communication("fr", "amical"))
        .expect("renders");
    assert_eq!(email.subject, "Petit rappel de Atelier Durand SAS");
    assert!(email.text.contains("Texte maison."));
    assert!(
        email.html.contains("oubli"),
        "the built-in MJML is still used"
    );
    let other = templates
        .render_email(&sample_communication("nl", "amical"))
        .expect("renders");
    assert!(other.subject.starts_with("Herinnering"));
}

#[test]
fn a_broken_override_is_reported_with_its_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("urgent.fr.mjml");
    std::fs::write(
        &path,
        "{% extends \"_layout.fr.mjml\" %}\n{% block body %}\n<p>ok</p>\n<p>{{ customer.name </p>\n{% endblock %}\n",
    )
    .expect("write override");
    let err = Templates::new(Some(dir.path().to_path_buf()), "en")
        .err()
        .expect("a syntax error is an error");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:4:", path.display())),
        "{message}"
    );
}

#[test]
fn an_override_failing_at_render_time_names_its_file_and_line_in_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("standard.en.letter.html");
    std::fs::write(
        &path,
        "{% extends \"_letter.en.html\" %}\n{% block subject %}Reminder{% endblock %}\n{% block body %}\n<p>{{ customer.nickname | upper }}</p>\n{% endblock %}\n",
    )
    .expect("write override");
    let templates = Templates::new(Some(dir.path().to_path_buf()), "en").expect("loads");
    let errors = check_templates(&templates, &["standard"], &["en", "fr"]);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, path.display().to_string());
    assert_eq!(errors[0].line, Some(4));
    assert!(
        errors[0].to_string().contains("customer.nickname"),
        "{}",
        errors[0]
    );
}

#[test]
fn an_override_producing_invalid_mjml_is_reported_with_its_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("amical.en.mjml");
    std::fs::write(
        &path,
        "<mjml><mj-body><mj-section><mj-column>\n<mj-text>{{ customer.name }}</mj-column></mjml>\n",
    )
    .expect("write override");
    let templates = Templates::new(Some(dir.path().to_path_buf()), "en").expect("loads");
    let err = templates
        .render_email(&sample_communication("en", "amical"))
        .expect_err("invalid MJML");
    let message = err.to_string();
    assert!(
        message.starts_with(&path.display().to_string()),
        "{message}"
    );
    assert!(message.contains("MJML is invalid"), "{message}");
}

#[test]
fn templates_can_be_shared_between_threads_and_tasks() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Templates>();
    shareable::<relanced::render::pdf::WarmWeasyPrint>();
}
