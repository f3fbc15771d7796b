//! Hostile data (markup in names and references, control characters) comes out as
//! literal text: escaped in the MJML before mrml parses it, in the email HTML, in the
//! letter HTML, and readable as-is in the plain text part.

use relanced::render::{Templates, sample_communication};

const HOSTILE_NAME: &str = "<script>alert(1)</script> & Fils \"SARL\"";
const HOSTILE_REF: &str = "INV/<mj-raw><b>bold</b></mj-raw>/7";

fn hostile(lang: &str, level: &str) -> relanced::render::CommunicationView {
    let mut comm = sample_communication(lang, level);
    comm.customer.name = HOSTILE_NAME.into();
    comm.company.name = format!("Durand {HOSTILE_NAME}");
    comm.items[0].number = HOSTILE_REF.into();
    comm.items[0].payment_reference = Some(HOSTILE_REF.into());
    comm.customer.address_lines = vec!["Rue \u{7}du\u{202E} Bell\u{0}\u{1b}[31m 1".into()];
    comm.payment_reference = None;
    comm
}

#[test]
fn a_hostile_customer_name_and_item_reference_are_escaped_in_the_email_html() {
    let templates = Templates::builtin().expect("built-in templates load");
    for lang in ["fr", "nl", "en"] {
        let email = templates
            .render_email(&hostile(lang, "urgent"))
            .expect("renders");
        assert!(
            !email.html.contains("<script>"),
            "{lang}: script tag survived"
        );
        assert!(
            !email.html.contains("<b>bold</b>"),
            "{lang}: mj-raw content became markup"
        );
        assert!(!email.html.contains("<mj-raw>"));
        assert!(
            email
                .html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Fils &quot;SARL&quot;")
        );
        assert!(
            email
                .html
                .contains("INV/&lt;mj-raw&gt;&lt;b&gt;bold&lt;/b&gt;&lt;/mj-raw&gt;/7")
        );
    }
}

#[test]
fn data_is_escaped_in_the_mjml_before_mrml_parses_it() {
    let templates = Templates::builtin().expect("built-in templates load");
    let mjml = templates
        .render_mjml(&hostile("fr", "amical"))
        .expect("renders");
    assert!(!mjml.contains("<mj-raw>") && !mjml.contains("<script>"));
    assert!(mjml.contains("INV/&lt;mj-raw&gt;&lt;b&gt;bold&lt;/b&gt;&lt;/mj-raw&gt;/7"));
}

#[test]
fn the_text_part_and_subject_carry_the_literal_text_without_control_characters() {
    let templates = Templates::builtin().expect("built-in templates load");
    let email = templates
        .render_email(&hostile("en", "urgent"))
        .expect("renders");
    assert!(email.subject.contains(HOSTILE_NAME), "{}", email.subject);
    assert!(email.text.contains(HOSTILE_REF));
    for doc in [&email.subject, &email.text, &email.html] {
        assert!(
            !doc.chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\t') || c == '\u{202E}'),
            "control character left"
        );
    }
}

#[test]
fn the_letter_html_escapes_hostile_data_and_drops_control_characters() {
    let templates = Templates::builtin().expect("built-in templates load");
    let letter = templates
        .render_letter(&hostile("fr", "demeure"))
        .expect("renders");
    assert!(!letter.html.contains("<script>"));
    assert!(!letter.html.contains("<mj-raw>"));
    assert!(
        letter
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Fils &quot;SARL&quot;")
    );
    assert!(
        letter.html.contains("Rue du Bell[31m 1"),
        "control characters removed"
    );
}

#[test]
fn subjects_are_escaped_once_in_html_and_kept_literal_in_the_subject_header() {
    let templates = Templates::builtin().expect("built-in templates load");
    let comm = hostile("nl", "suspension");
    let letter = templates.render_letter(&comm).expect("renders");
    let email = templates.render_email(&comm).expect("renders");
    assert!(letter.subject.contains(HOSTILE_NAME), "{}", letter.subject);
    for html in [&letter.html, &email.html] {
        assert!(
            !html.contains("&amp;amp;") && !html.contains("&amp;lt;"),
            "escaped twice"
        );
        assert!(html.contains("Durand &lt;script&gt;alert(1)&lt;/script&gt; &amp; Fils"));
    }
}
