//! The credit controller's desk through the real binary, on the double (aiosmtpd for the
//! mail): a personal paragraph goes into the next reminder only (email HTML escaped, text
//! part, letter PDF), survives a run whose email could not leave, and is consumed with the
//! communication (`paragraph`); `approve --by` records the approver and says it in the
//! chatter note, `print RUN` bundles the run's letters each on a recto (`approve_print`);
//! `postpone`, `exclude` and `include` change what the next runs do (`odoo_writes`).

mod approve_print;
mod odoo_writes;
mod paragraph;

use crate::common::act::*;
use crate::common::smtp::parse_eml;
use relanced::ledger::Ledger;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Two levels, each with an email and a letter: 1 at +3 days, 2 at +20 (so not before
/// 17 days after the first).
pub const DESK: &str = r#"
[[strategy]]
name = "D"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7

[[strategy.level]]
key = "standard"
label = "Rappel standard"
offset_days = 3
actions = ["email", "letter"]
marker = { tag = "Relance D1", color = 3 }

[[strategy.level]]
key = "urgent"
label = "Rappel urgent"
offset_days = 20
actions = ["email", "letter"]
marker = { tag = "Relance D2", color = 2 }
"#;

pub const MANUAL: &str = r#"
[[strategy]]
name = "M"
default = true
min_amount = { EUR = 5.0 }
min_interval_days = 7

[[strategy.level]]
key = "demeure"
label = "Mise en demeure"
offset_days = 3
actions = ["email"]
marker = { tag = "Relance M", color = 9 }
approval = "manual"
"#;

pub const TYPED: &str = "Merci <b>Jeanne</b> & co pour l'appel\nLigne deux <script>x</script>";
pub const ESCAPED: &str = "Merci &lt;b&gt;Jeanne&lt;/b&gt; &amp; co pour l&#39;appel<br />Ligne deux &lt;script&gt;x&lt;/script&gt;";

/// Customers (with an email when `email`) of one invoice each, due 2026-01-01.
pub fn book(customers: usize, email: bool) -> (odoo_double::World, Vec<i64>) {
    let mut world = empty_book(d("2026-01-01"));
    let mut ids = Vec::new();
    for n in 0..customers {
        let name = format!("Client Numéro {n}");
        let address = format!("client{n}@example.com");
        let id = add_customer(
            &mut world,
            &Customer {
                name: &name,
                email: email.then_some(address.as_str()),
                ..Customer::default()
            },
        );
        let invoice = format!("INV/2026/{:05}", n + 1);
        add_invoice(
            &mut world,
            id,
            &Invoice {
                name: &invoice,
                due: d("2026-01-01"),
                amount: 100.0,
                residual: 100.0,
                payment_state: "not_paid",
            },
        );
        ids.push(id);
    }
    (world, ids)
}

pub async fn relanced(install: &Install, args: &[&str]) -> (i32, String, String) {
    let out = tokio::process::Command::new(BIN)
        .arg("--config")
        .arg(&install.config)
        .args(args)
        .env("RELANCED_ACT_KEY", odoo_double::generator::BOT_API_KEY)
        .env("RUST_LOG", "warn")
        .env_remove("RELANCED_CONFIG")
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .expect("run relanced");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub async fn ledger(install: &Install) -> Ledger {
    Ledger::open(&format!("sqlite://{}", install.ledger_path().display()))
        .await
        .expect("open the ledger")
}

/// The HTML and text parts of a received message.
pub fn parts(eml: &[u8]) -> (String, String) {
    let json = parse_eml(eml);
    let part = |ct: &str| {
        json["parts"]
            .as_array()
            .expect("parts")
            .iter()
            .find(|p| p["content_type"] == ct)
            .and_then(|p| p["text"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    (part("text/html"), part("text/plain"))
}

pub fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(pdfs_under(&path));
        } else if path.extension().is_some_and(|e| e == "pdf") {
            out.push(path);
        }
    }
    out.sort();
    out
}

pub fn pdftotext(path: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn pdf_pages(path: &Path) -> usize {
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
