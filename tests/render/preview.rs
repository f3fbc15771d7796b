//! Writes one letter PDF and one email HTML per level into `$RENDER_PREVIEW_DIR`, for a
//! person to look at (`pdftoppm -png -r 60`). Ignored by default:
//! `RENDER_PREVIEW_DIR=/tmp/preview cargo test --test render preview -- --ignored`.

use relanced::render::pdf::WarmWeasyPrint;
use relanced::render::{LEVEL_KEYS, PdfRenderer, Templates, sample_communication};

#[test]
#[ignore = "writes files for a visual check"]
fn write_previews() {
    let Some(dir) = std::env::var_os("RENDER_PREVIEW_DIR").map(std::path::PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("preview dir");
    let logo = dir.join("logo.svg");
    std::fs::write(
        &logo,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60"><rect width="60" height="60" rx="8" fill="#2b6cb0"/><text x="72" y="40" font-size="28" font-family="sans-serif" fill="#1f2933">Durand</text></svg>"##,
    )
    .expect("logo");
    let templates = Templates::builtin().expect("loads");
    let renderer = WarmWeasyPrint::start(2, None, "/").expect("weasyprint");
    let langs = ["fr", "nl", "en", "fr", "nl", "en"];
    for (level, lang) in LEVEL_KEYS.iter().zip(langs) {
        let mut comm = sample_communication(lang, level);
        comm.company.logo_path = Some(logo.display().to_string());
        let letter = templates.render_letter(&comm).expect("letter");
        let pdf = renderer.render_pdf(&letter.html).expect("pdf");
        std::fs::write(dir.join(format!("{level}.{lang}.pdf")), pdf).expect("write");
        let email = templates.render_email(&comm).expect("email");
        std::fs::write(dir.join(format!("{level}.{lang}.html")), email.html).expect("write");
    }
}
