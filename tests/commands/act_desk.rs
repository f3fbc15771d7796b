//! The credit controller's desk through the real binary, on the double with aiosmtpd:
//! a personal paragraph goes into the next reminder only (email HTML escaped, text part,
//! letter PDF), survives a run whose email could not leave, and is consumed with the
//! communication; `approve --by` records the approver and says it in the chatter note;
//! `print RUN` bundles the run's letters, each starting on a recto.

use crate::common::act;
use crate::common::smtp::{Aiosmtpd, free_port, parse_eml};

use act::*;
use relanced::ledger::{Ledger, ParagraphState, RunId, RunKind};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Two levels, each with an email and a letter: 1 at +3 days, 2 at +20 (so not before
/// 17 days after the first).
const DESK: &str = r#"
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

const MANUAL: &str = r#"
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

const TYPED: &str = "Merci <b>Jeanne</b> & co pour l'appel\nLigne deux <script>x</script>";
const ESCAPED: &str = "Merci &lt;b&gt;Jeanne&lt;/b&gt; &amp; co pour l&#39;appel<br />Ligne deux &lt;script&gt;x&lt;/script&gt;";

/// Customers (with an email when `email`) of one invoice each, due 2026-01-01.
fn book(customers: usize, email: bool) -> (odoo_double::World, Vec<i64>) {
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

async fn relanced(install: &Install, args: &[&str]) -> (i32, String, String) {
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

async fn ledger(install: &Install) -> Ledger {
    Ledger::open(&format!("sqlite://{}", install.ledger_path().display()))
        .await
        .expect("open the ledger")
}

/// The HTML and text parts of a received message.
fn parts(eml: &[u8]) -> (String, String) {
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

fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
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

fn pdftotext(path: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdf_pages(path: &Path) -> usize {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_paragraph_goes_into_the_next_reminder_only_escaped() {
    let (world, ids) = book(1, true);
    let customer = ids[0].to_string();
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), DESK).await;
    let (code, out, err) = relanced(
        &install,
        &[
            "note-paragraph",
            "--customer",
            &customer,
            "--text",
            TYPED,
            "--by",
            "Jeanne Dupont",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    let (_, shown, _) = relanced(&install, &["note-paragraph", "--customer", &customer]).await;
    assert!(
        shown.contains("Jeanne Dupont") && shown.contains(TYPED),
        "{shown}"
    );
    // A plan or a preview does not consume it.
    install.plan_json(d("2026-01-10")).await;

    install.once_ok(d("2026-01-10")).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let (html, text) = parts(&messages[0]);
    assert!(html.contains(ESCAPED), "email HTML:\n{html}");
    assert!(
        !html.contains("<b>Jeanne</b>") && !html.contains("<script>"),
        "{html}"
    );
    assert!(text.contains(TYPED), "text part:\n{text}");
    let letters = pdfs_under(&install.dir.path().join("outbox"));
    assert_eq!(letters.len(), 1, "{letters:?}");
    let letter = pdftotext(&letters[0], None);
    assert!(
        letter.contains("Merci <b>Jeanne</b> & co pour l'appel")
            && letter.contains("Ligne deux <script>x</script>"),
        "letter text:\n{letter}"
    );

    // Consumed by the email's communication, with its run.
    let ledger = ledger(&install).await;
    let history = ledger
        .customer_paragraphs(COMPANY.into(), ids[0].into())
        .await
        .expect("paragraphs");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].state, ParagraphState::Used);
    assert_eq!(history[0].used_in_run, Some(RunId(1)));
    let (_, shown, _) = relanced(&install, &["note-paragraph", "--customer", &customer]).await;
    assert!(shown.contains("no pending paragraph"), "{shown}");

    // The next reminder no longer has it.
    install.once_ok(d("2026-02-01")).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 2, "the second level was sent");
    let (html, text) = parts(&messages[1]);
    assert!(
        !html.contains("Jeanne") && !text.contains("Jeanne"),
        "{text}"
    );
    let letters = pdfs_under(&install.dir.path().join("outbox"));
    assert_eq!(letters.len(), 2, "{letters:?}");
    for l in &letters {
        let text = pdftotext(l, None);
        let first = l.to_string_lossy().contains("2026-01-10");
        assert_eq!(text.contains("Jeanne"), first, "{}", l.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paragraph_survives_a_run_whose_email_could_not_leave() {
    let (world, ids) = book(1, true);
    let customer = ids[0].to_string();
    let dead = free_port();
    let install = Install::start(world, Mail::Smtp(dead), DESK).await;
    let (code, _, err) = relanced(
        &install,
        &[
            "note-paragraph",
            "--customer",
            &customer,
            "--text",
            "Bonjour !",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let failed = install.once(d("2026-01-10")).await;
    assert_ne!(
        failed.code,
        Some(0),
        "the SMTP server is down: {}",
        failed.stdout
    );
    let ledger = ledger(&install).await;
    let pending = ledger
        .pending_paragraph(COMPANY.into(), ids[0].into())
        .await
        .expect("read");
    assert_eq!(
        pending.map(|p| p.text),
        Some("Bonjour !".to_owned()),
        "still waiting"
    );

    // The server is back: the same day's run sends it, with the paragraph, and uses it.
    let smtp = Aiosmtpd::start();
    let text = std::fs::read_to_string(&install.config).expect("config");
    let text = text.replace(&format!("port = {dead}"), &format!("port = {}", smtp.port));
    std::fs::write(&install.config, text).expect("config");
    install.once_ok(d("2026-01-10")).await;
    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    assert!(parts(&messages[0]).1.contains("Bonjour !"));
    let pending = ledger
        .pending_paragraph(COMPANY.into(), ids[0].into())
        .await
        .expect("read");
    assert_eq!(pending, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_by_records_the_approver_and_says_it_in_the_chatter_note() {
    let (world, ids) = book(1, true);
    let smtp = Aiosmtpd::start();
    let install = Install::start(world, Mail::Smtp(smtp.port), MANUAL).await;
    let first = install.once_ok(d("2026-01-10")).await;
    assert_eq!(first["awaiting_approval"], serde_json::json!(ids));
    let ledger = ledger(&install).await;
    let proposing = ledger.list_runs(1).await.expect("runs")[0].id;
    let (code, out, err) = relanced(
        &install,
        &[
            "approve",
            &proposing.get().to_string(),
            "--by",
            "Jeanne Dupont",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(smtp.messages().len(), 1);
    let approving = &ledger.list_runs(1).await.expect("runs")[0];
    assert_eq!(approving.kind, RunKind::Approve);
    let approver = ledger.run_approver(approving.id).await.expect("read");
    assert_eq!(approver.map(|a| a.name), Some("Jeanne Dupont".to_owned()));
    assert_eq!(ledger.run_approver(proposing).await.expect("read"), None);
    let notes = install.notes(ids[0]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].body.contains("Approuvé par Jeanne Dupont"),
        "{}",
        notes[0].body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn print_bundles_a_runs_letters_each_on_a_recto() {
    // Without email addresses, each customer gets a letter instead.
    let (world, _) = book(2, false);
    let install = Install::start(world, Mail::Files, DESK).await;
    install.once_ok(d("2026-01-10")).await;
    let run = ledger(&install).await.list_runs(1).await.expect("runs")[0].id;
    let out = install.dir.path().join("print.pdf");
    let (code, stdout, err) = relanced(
        &install,
        &[
            "print",
            &run.get().to_string(),
            "--out",
            &out.to_string_lossy(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{stdout}\n{err}");
    let letters = pdfs_under(&install.dir.path().join("outbox"));
    assert_eq!(letters.len(), 2, "{letters:?}");
    let counts: Vec<usize> = letters.iter().map(|l| pdf_pages(l)).collect();
    let blanks = usize::from(counts[0] % 2 == 1);
    let pages = counts[0] + blanks + counts[1];
    assert!(
        stdout.contains(&format!(
            "2 letter(s), {pages} page(s) ({blanks} blank), {} sheet(s)",
            pages.div_ceil(2)
        )),
        "{stdout}"
    );
    assert_eq!(pdf_pages(&out), pages);
    assert!(pdftotext(&out, Some(1)).contains("Client Numéro 0"));
    let second = counts[0] + blanks + 1;
    assert_eq!(second % 2, 1, "the second letter starts on a recto");
    assert!(pdftotext(&out, Some(second)).contains("Client Numéro 1"));
    if blanks == 1 {
        assert_eq!(pdftotext(&out, Some(counts[0] + 1)).trim(), "");
    }
    // A run that does not exist is refused, naming it.
    let (code, stdout, _) = relanced(&install, &["print", "999", "--out", "/dev/null"]).await;
    assert_ne!(code, 0, "run 999 does not exist: {stdout}");
}
