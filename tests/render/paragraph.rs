//! The personal paragraph of a reminder (the desk's): shown in every built-in email and
//! letter, fr/nl/en and every level, escaped (markup a person typed reads as text), its
//! newlines as line breaks; in the plain text as typed; absent when there is none.

use relanced::render::{LEVEL_KEYS, Templates, sample_communication};

const TYPED: &str =
    "Suite à notre appel <b>du 3</b> & \"merci\"\nDeuxième ligne <script>x</script>";
const ESCAPED: &str = "Suite à notre appel &lt;b&gt;du 3&lt;/b&gt; &amp; &quot;merci&quot;<br />Deuxième ligne &lt;script&gt;x&lt;/script&gt;";

fn with_paragraph(lang: &str, level: &str) -> relanced::render::CommunicationView {
    let mut comm = sample_communication(lang, level);
    comm.personal_paragraph = Some(TYPED.to_owned());
    comm
}

#[test]
fn every_builtin_email_and_letter_shows_the_paragraph_escaped_with_line_breaks() {
    let templates = Templates::builtin().expect("built-in templates load");
    for lang in ["fr", "nl", "en"] {
        for level in LEVEL_KEYS {
            let comm = with_paragraph(lang, level);
            let email = templates.render_email(&comm).expect("email renders");
            assert!(
                email.html.contains(ESCAPED),
                "{lang}/{level}: email html lacks the escaped paragraph:\n{}",
                email.html
            );
            assert!(!email.html.contains("<b>du 3</b>"), "{lang}/{level}");
            assert!(!email.html.contains("<script>"), "{lang}/{level}");
            assert!(
                email.text.contains(TYPED),
                "{lang}/{level}: the text part shows it as typed:\n{}",
                email.text
            );
            let letter = templates.render_letter(&comm).expect("letter renders");
            assert!(
                letter.html.contains(ESCAPED),
                "{lang}/{level}: letter lacks the escaped paragraph"
            );
            assert!(!letter.html.contains("<script>"), "{lang}/{level}");
        }
    }
}

#[test]
fn without_a_paragraph_nothing_is_added() {
    let templates = Templates::builtin().expect("built-in templates load");
    for lang in ["fr", "nl", "en"] {
        let comm = sample_communication(lang, "standard");
        assert_eq!(comm.personal_paragraph, None);
        let email = templates.render_email(&comm).expect("renders");
        assert!(!email.html.contains("class=\"personal\""), "{lang}");
        let letter = templates.render_letter(&comm).expect("renders");
        assert!(!letter.html.contains("class=\"personal\""), "{lang}");
    }
}

#[test]
fn the_paragraph_comes_after_the_levels_text_and_before_the_statement() {
    let templates = Templates::builtin().expect("built-in templates load");
    let comm = with_paragraph("fr", "standard");
    let letter = templates.render_letter(&comm).expect("renders");
    let body = letter
        .html
        .find("Malgré notre précédent rappel")
        .expect("the level's text");
    let paragraph = letter.html.find(ESCAPED).expect("the paragraph");
    let statement = letter
        .html
        .find(&comm.items[0].number)
        .expect("the statement");
    assert!(body < paragraph && paragraph < statement);
}
