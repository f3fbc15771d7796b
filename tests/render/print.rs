//! A run's letters in one PDF to print recto-verso (`desk::print::bundle_letters`), on
//! real WeasyPrint letters checked with poppler: every letter starts on an odd page, a
//! blank page follows a letter with an odd page count (except the last), the count of
//! pages and sheets, and every letter's text present on its pages.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use chrono::Days;
use relanced::desk::print::bundle_letters;
use relanced::render::pdf::WarmWeasyPrint;
use relanced::render::{ItemLine, PdfRenderer, Templates, sample_communication, totals_of};
use rust_decimal::Decimal;

fn pdftotext(path: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed on page {page}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where the first word `word` sits on `page`: `(xMin, yMin)` in points, from
/// `pdftotext -bbox`.
fn position(path: &Path, page: usize, word: &str) -> (f64, f64) {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout);
    let line = html
        .lines()
        .find(|l| l.contains(&format!(">{word}</word>")))
        .unwrap_or_else(|| panic!("{word} not on page {page}"));
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
        let end = start + line[start..].find('"').expect("quote");
        line[start..end].parse().expect("a number")
    };
    (attr("xMin"), attr("yMin"))
}

fn pages_of(path: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(path)
        .output()
        .expect("pdfinfo runs");
    assert!(
        out.status.success(),
        "pdfinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().unwrap_or(0))
        })
        .expect("pdfinfo prints Pages")
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(pdf))
        .expect("write pdf");
    path
}

/// A letter to `customer` listing `items` invoices (40 run over two pages).
fn letter(renderer: &WarmWeasyPrint, customer: &str, items: u32) -> Vec<u8> {
    let templates = Templates::builtin().expect("loads");
    let mut comm = sample_communication("fr", "standard");
    comm.customer.name = customer.to_owned();
    let template = comm.items[0].clone();
    comm.items = (0..items)
        .map(|i| ItemLine {
            number: format!("INV/2026/{:05}", 100 + i),
            due_date: template.due_date - Days::new(u64::from(i)),
            residual: Decimal::new(10_000, 2),
            ..template.clone()
        })
        .collect();
    comm.totals = totals_of(&comm.items, &comm.charges);
    let html = templates.render_letter(&comm).expect("renders").html;
    renderer.render_pdf(&html).expect("pdf")
}

#[test]
fn each_letter_starts_on_a_recto_with_blank_pages_between_odd_letters() {
    let renderer = WarmWeasyPrint::start(1, None, "/").expect("weasyprint available");
    let dir = tempfile::tempdir().expect("tempdir");
    let customers = [
        "Atelier Alpha",
        "Brasserie Beta",
        "Chocolaterie Gamma",
        "Droguerie Delta",
    ];
    let items = [1, 40, 1, 1];
    let mut letters = Vec::new();
    let mut counts = Vec::new();
    for (name, n) in customers.iter().zip(items) {
        let pdf = letter(&renderer, name, n);
        counts.push(pages_of(&write(dir.path(), &format!("{name}.pdf"), &pdf)));
        letters.push((name.to_string(), pdf));
    }
    assert_eq!(counts[0], 1, "a one-item letter is one page");
    assert!(counts[1] >= 2, "forty items run over pages: {counts:?}");

    let bundle = bundle_letters(&letters).expect("bundles");
    // Blank pages after each odd letter but the last.
    let blanks: usize = counts[..3].iter().filter(|c| *c % 2 == 1).count();
    let pages: usize = counts.iter().sum::<usize>() + blanks;
    assert_eq!(bundle.letters, 4);
    assert_eq!(bundle.blanks, blanks);
    assert_eq!(bundle.pages, pages);
    assert_eq!(bundle.sheets, pages.div_ceil(2));
    let merged = write(dir.path(), "bundle.pdf", &bundle.pdf);
    assert_eq!(pages_of(&merged), pages, "pdfinfo agrees");

    let mut page = 1;
    for (i, (name, count)) in customers.iter().zip(&counts).enumerate() {
        assert_eq!(page % 2, 1, "{name} starts on page {page}, a verso");
        let first = pdftotext(&merged, page);
        assert!(
            first.contains(name),
            "{name} on its first page {page}:\n{first}"
        );
        // The address stays where the envelope window is: same place as in the letter.
        let word = name.split(' ').nth(1).expect("a second word");
        let alone = dir.path().join(format!("{name}.pdf"));
        let (moved, kept) = (position(&merged, page, word), position(&alone, 1, word));
        // Within a hundredth of a point (the media box is written back as a real).
        assert!(
            (moved.0 - kept.0).abs() < 0.01 && (moved.1 - kept.1).abs() < 0.01,
            "{name}'s address moved from {kept:?} to {moved:?}"
        );
        for other in customers.iter().filter(|o| *o != name) {
            assert!(
                !first.contains(other),
                "page {page} of {name} shows {other}"
            );
        }
        page += count;
        if count % 2 == 1 && i + 1 < customers.len() {
            assert_eq!(pdftotext(&merged, page).trim(), "", "page {page} is blank");
            page += 1;
        }
    }
    assert_eq!(page - 1, pages);
    // The long letter's items are all there, on its own pages.
    let second: String = (1 + counts[0] + 1..1 + counts[0] + 1 + counts[1])
        .map(|p| pdftotext(&merged, p))
        .collect();
    for i in 0..40 {
        let number = format!("INV/2026/{:05}", 100 + i);
        assert!(
            second.contains(&number),
            "{number} missing from the long letter"
        );
    }
}

#[test]
fn no_letter_gives_an_empty_bundle_and_a_broken_file_is_named() {
    let empty = bundle_letters(&[]).expect("empty");
    assert_eq!((empty.letters, empty.pages, empty.sheets), (0, 0, 0));
    assert!(empty.pdf.is_empty());
    let err = bundle_letters(&[("broken.pdf".into(), b"not a pdf".to_vec())]).unwrap_err();
    assert!(err.contains("broken.pdf"), "{err}");
}
