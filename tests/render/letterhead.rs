//! What the letterhead configuration changes in every email and letter (issue 10): without
//! a bank account the payment sentence mentions no account (and still gives the
//! reference); without a signatory the signature is the company once, not twice. Both
//! in every language and every template (HTML email, text email, letter); the PDF of a
//! letter without bank account is checked with `pdftotext`.

use std::io::Write;
use std::process::Command;

use relanced::render::pdf::WarmWeasyPrint;
use relanced::render::{
    CommunicationView, LANGS, LEVEL_KEYS, PdfRenderer, Templates, sample_communication,
};

/// The sentences that promise an account "below", per language.
const ACCOUNT_BELOW: [&str; 3] = [
    "compte ci-dessous",
    "onderstaande rekening",
    "the account below",
];

/// The sentence without account, per language (fr, nl, en as in `LANGS`).
fn without_account(lang: &str) -> &'static str {
    match lang {
        "fr" => "Merci d'indiquer la référence",
        "nl" => "Gelieve bij uw betaling de referentie",
        _ => "Please quote the reference",
    }
}

fn no_bank(lang: &str, level: &str) -> CommunicationView {
    let mut c = sample_communication(lang, level);
    c.company.bank_accounts.clear();
    c
}

/// No signatory configured: the responsible is the company itself (as `compose` does).
fn no_signatory(lang: &str, level: &str) -> CommunicationView {
    let mut c = sample_communication(lang, level);
    c.responsible.name = c.company.name.clone();
    c.responsible.email = c.company.email.clone();
    c.responsible.phone = c.company.phone.clone();
    c
}

/// The three documents of a communication: HTML email, text email, letter HTML.
fn documents(templates: &Templates, c: &CommunicationView) -> [String; 3] {
    let email = templates.render_email(c).expect("email renders");
    let letter = templates.render_letter(c).expect("letter renders");
    [email.html, email.text, letter.html]
}

#[test]
fn without_a_bank_account_no_template_mentions_an_account_below() {
    let templates = Templates::builtin().expect("built-in templates load");
    for level in LEVEL_KEYS {
        for lang in LANGS {
            let c = no_bank(lang, level);
            for (doc, text) in ["email.html", "email.txt", "letter.html"]
                .iter()
                .zip(documents(&templates, &c))
            {
                for phrase in ACCOUNT_BELOW {
                    assert!(
                        !text.contains(phrase),
                        "{level}.{lang} {doc} still says \"{phrase}\""
                    );
                }
                assert!(!text.contains("IBAN"), "{level}.{lang} {doc} shows an IBAN");
                let html = doc.ends_with("html");
                let quoted = if html {
                    text.replace("&#x27;", "'").replace("&#39;", "'")
                } else {
                    text.clone()
                };
                assert!(
                    quoted.contains(without_account(lang)),
                    "{level}.{lang} {doc} lacks \"{}\"",
                    without_account(lang)
                );
            }
        }
    }
}

#[test]
fn with_a_bank_account_the_sentence_points_to_it() {
    let templates = Templates::builtin().expect("built-in templates load");
    for (lang, phrase) in LANGS.iter().zip(ACCOUNT_BELOW) {
        let c = sample_communication(lang, "amical");
        for text in documents(&templates, &c) {
            assert!(text.contains(phrase), "{lang}: \"{phrase}\" missing");
            assert!(text.contains("FR76 3000 6000 0112 3456 7890 189"));
        }
    }
}

#[test]
fn without_a_signatory_the_signature_names_the_company_once() {
    let templates = Templates::builtin().expect("built-in templates load");
    for level in LEVEL_KEYS {
        for lang in LANGS {
            let c = no_signatory(lang, level);
            let name = c.company.name.clone();
            let [html, text, letter] = documents(&templates, &c);
            let twice_html = format!("<strong>{name}</strong><br />{name}");
            let twice_letter = format!("<strong>{name}</strong><br>{name}");
            let twice_text = format!("\n{name}\n{name}\n");
            assert!(!html.contains(&twice_html), "{level}.{lang} email.html");
            assert!(!letter.contains(&twice_letter), "{level}.{lang} letter");
            assert!(!text.contains(&twice_text), "{level}.{lang} email.txt");
            assert!(html.contains(&format!("<strong>{name}</strong>")));
            assert!(letter.contains(&format!("<strong>{name}</strong>")));
        }
    }
}

#[test]
fn with_a_signatory_the_signature_is_the_person_then_the_company() {
    let templates = Templates::builtin().expect("built-in templates load");
    let c = sample_communication("nl", "standard");
    let [html, text, letter] = documents(&templates, &c);
    let person = &c.responsible.name;
    let company = &c.company.name;
    assert!(html.contains(&format!("<strong>{person}</strong><br />{company}")));
    assert!(letter.contains(&format!("<strong>{person}</strong><br>{company}")));
    assert!(text.contains(&format!("\n{person}\n{company}\n")));
}

#[test]
fn a_letter_pdf_without_bank_account_reads_well() {
    let renderer = WarmWeasyPrint::start(1, None, "/").expect("weasyprint available");
    let templates = Templates::builtin().expect("loads");
    let mut c = no_bank("fr", "standard");
    c.responsible.name = c.company.name.clone();
    let letter = templates.render_letter(&c).expect("renders");
    let pdf = renderer.render_pdf(&letter.html).expect("pdf");
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("temp file");
    file.write_all(&pdf).expect("write pdf");
    // To look at them: RELANCED_KEEP_DIR=/tmp/x cargo test --test render letterhead
    if let Some(dir) = std::env::var_os("RELANCED_KEEP_DIR") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("no-bank.fr.pdf"), &pdf).expect("keep");
        let email = templates.render_email(&c).expect("email");
        std::fs::write(dir.join("no-bank.fr.email.html"), email.html).expect("keep");
        std::fs::write(dir.join("no-bank.fr.email.txt"), email.text).expect("keep");
    }
    let out = Command::new("pdftotext")
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8_lossy(&out.stdout).replace(['\u{A0}', '\u{202F}'], " ");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Modalités de paiement"), "{flat}");
    assert!(flat.contains("Merci d'indiquer la référence"), "{flat}");
    assert!(!flat.contains("compte ci-dessous"), "{flat}");
    assert!(!flat.contains("IBAN"), "{flat}");
    let name = &c.company.name;
    let signature = format!("{name} {name}");
    assert!(!flat.contains(&signature), "company named twice: {flat}");
}
