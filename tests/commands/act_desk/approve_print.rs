//! `approve --by` and `print RUN` through the binary.

use super::*;
use crate::common::smtp::Aiosmtpd;
use relanced::ledger::RunKind;

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
    let (_, shown, _) = relanced(&install, &["show", &approving.id.get().to_string()]).await;
    assert!(shown.contains("Approved by Jeanne Dupont"), "{shown}");
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
