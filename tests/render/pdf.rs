//! Letters become real PDFs through WeasyPrint (Debian package `weasyprint`), checked
//! with poppler's `pdftotext` and `pdfinfo`: the customer, the items and the totals are
//! in the text, hostile data reads literally, long statements flow onto further pages.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use chrono::Days;
use relanced::render::pdf::{OneShotWeasyPrint, PdfError, WarmWeasyPrint};
use relanced::render::{ItemLine, PdfRenderer, Templates, sample_communication, totals_of};
use rust_decimal::Decimal;

fn pdf_file(pdf: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("temp file");
    file.write_all(pdf).expect("write pdf");
    file
}

fn pdftotext(path: &PathBuf, page: Option<u32>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed");
    // Normalise the no-break spaces of amounts for searching.
    String::from_utf8_lossy(&out.stdout).replace(['\u{A0}', '\u{202F}'], " ")
}

fn page_count(path: &PathBuf) -> u32 {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .expect("pdfinfo prints Pages")
}

#[test]
fn a_letter_pdf_shows_the_customer_the_items_and_the_total() {
    let renderer = WarmWeasyPrint::start(1, None, "/").expect("weasyprint available");
    let templates = Templates::builtin().expect("loads");
    let letter = templates
        .render_letter(&sample_communication("fr", "urgent"))
        .expect("renders");
    let pdf = renderer.render_pdf(&letter.html).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    let file = pdf_file(&pdf);
    let text = pdftotext(&file.path().to_path_buf(), None);
    for expected in [
        "Brasserie Van den Berghe SRL",
        "INV/2026/00412",
        "INV/2026/00467",
        "1 250,00 €",
        "Total à régler (EUR)",
        "1 750,62 €",
        "FR76 3000 6000 0112 3456 7890 189",
        "Claire Martin",
    ] {
        assert!(
            text.contains(expected),
            "PDF text lacks {expected:?}:\n{text}"
        );
    }
}

#[test]
fn hostile_data_reads_literally_in_the_pdf() {
    let renderer = WarmWeasyPrint::start(1, None, "/").expect("weasyprint available");
    let templates = Templates::builtin().expect("loads");
    let mut comm = sample_communication("en", "demeure");
    comm.customer.name = "<script>alert(1)</script> & Fils \"SARL\"".into();
    comm.items[0].number = "INV/<mj-raw>7</mj-raw>".into();
    let letter = templates.render_letter(&comm).expect("renders");
    let file = pdf_file(&renderer.render_pdf(&letter.html).expect("pdf"));
    let text = pdftotext(&file.path().to_path_buf(), None);
    assert!(
        text.contains("<script>alert(1)</script> & Fils \"SARL\""),
        "{text}"
    );
    assert!(text.contains("INV/<mj-raw>7</mj-raw>"), "{text}");
}

#[test]
fn a_forty_item_statement_runs_over_pages_and_ends_with_the_totals() {
    let renderer = WarmWeasyPrint::start(1, None, "/").expect("weasyprint available");
    let templates = Templates::builtin().expect("loads");
    let mut comm = sample_communication("nl", "standard");
    let template = comm.items[0].clone();
    comm.items = (0..40u32)
        .map(|i| ItemLine {
            number: format!("INV/2026/{:05}", 100 + i),
            due_date: template.due_date - Days::new(u64::from(i)),
            days_overdue: template.days_overdue + i64::from(i),
            residual: Decimal::new(10_000 + 137 * i64::from(i), 2),
            ..template.clone()
        })
        .collect();
    comm.totals = totals_of(&comm.items, &comm.charges);
    let letter = templates.render_letter(&comm).expect("renders");
    let file = pdf_file(&renderer.render_pdf(&letter.html).expect("pdf"));
    let path = file.path().to_path_buf();
    let pages = page_count(&path);
    assert!(pages >= 2, "40 items fit on {pages} page(s)");
    let all = pdftotext(&path, None);
    for i in 0..40 {
        assert!(
            all.contains(&format!("INV/2026/{:05}", 100 + i)),
            "item {i} missing"
        );
    }
    // 40 × 100.00 + 137 × (0 + … + 39) cents = 4 000.00 + 1 068.60
    let last = pdftotext(&path, Some(pages));
    assert!(
        last.contains("Totaal te betalen (EUR)"),
        "last page lacks the total:\n{last}"
    );
    assert!(
        last.contains("€ 5.068,60"),
        "last page lacks the amount:\n{last}"
    );
    assert!(
        last.contains(&format!("Pagina {pages}/{pages}")),
        "page numbers:\n{last}"
    );
}

#[test]
fn the_one_shot_command_renders_the_same_letter() {
    let templates = Templates::builtin().expect("loads");
    let letter = templates
        .render_letter(&sample_communication("en", "amical"))
        .expect("renders");
    let pdf = OneShotWeasyPrint::default()
        .render_pdf(&letter.html)
        .expect("pdf");
    let file = pdf_file(&pdf);
    let text = pdftotext(&file.path().to_path_buf(), None);
    assert!(text.contains("Friendly reminder"), "{text}");
}

#[test]
fn a_warm_pool_serves_letters_from_several_threads() {
    let renderer = std::sync::Arc::new(WarmWeasyPrint::start(2, None, "/").expect("weasyprint"));
    let templates = Templates::builtin().expect("loads");
    let html = templates
        .render_letter(&sample_communication("fr", "amical"))
        .expect("renders")
        .html;
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (r, h) = (renderer.clone(), html.clone());
            std::thread::spawn(move || r.render_pdf(&h))
        })
        .collect();
    for h in handles {
        let pdf = h.join().expect("thread").expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
    }
}

#[test]
fn a_missing_interpreter_says_to_install_weasyprint() {
    let err = WarmWeasyPrint::start(1, Some("/nonexistent/python3".into()), "/")
        .err()
        .expect("cannot start");
    assert!(matches!(err, PdfError::NotInstalled { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("install the Debian package weasyprint"),
        "{err}"
    );
    let missing = OneShotWeasyPrint {
        program: "/nonexistent/weasyprint".into(),
        base_url: "/".into(),
    };
    let err = missing.render_pdf("<p>x</p>").expect_err("cannot run");
    assert!(
        err.to_string()
            .contains("install the Debian package weasyprint"),
        "{err}"
    );
}

#[test]
fn a_letter_taking_too_long_is_abandoned_and_the_next_one_renders() {
    let renderer = WarmWeasyPrint::start(1, None, "/")
        .expect("weasyprint available")
        .with_timeout(std::time::Duration::from_millis(300));
    let rows: String = (0..3000)
        .map(|i| format!("<tr><td>row {i}</td><td>{i}</td></tr>"))
        .collect();
    let huge = format!("<table>{rows}</table>");
    let err = renderer.render_pdf(&huge).expect_err("too slow for 300 ms");
    assert!(matches!(err, PdfError::Process(_)), "{err}");
    let renderer = renderer.with_timeout(std::time::Duration::from_secs(60));
    let pdf = renderer
        .render_pdf("<p>after the timeout</p>")
        .expect("a fresh worker renders");
    assert!(pdf.starts_with(b"%PDF"));
}
