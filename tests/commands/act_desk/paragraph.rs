//! A personal paragraph in the next reminder only, kept until a reminder carries it.

use super::*;
use crate::common::smtp::{Aiosmtpd, free_port};
use relanced::ledger::{ParagraphState, RunId};

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
    // Too long: refused with the reason, the pending one kept.
    let long = "é".repeat(2001);
    let (code, _, err) = relanced(
        &install,
        &["note-paragraph", "--customer", &customer, "--text", &long],
    )
    .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("personal paragraph for customer")
            && err.contains("2001 characters, more than the 2000 allowed"),
        "{err}"
    );
    let (_, shown, _) = relanced(&install, &["note-paragraph", "--customer", &customer]).await;
    assert!(
        shown.contains("Jeanne Dupont") && shown.contains(TYPED),
        "{shown}"
    );
    // A plan or a preview does not consume it; the preview shows it.
    install.plan_json(d("2026-01-10")).await;
    let (code, preview, err) = relanced(
        &install,
        &[
            "preview",
            "--customer",
            &customer,
            "--as-of",
            "2026-01-10",
            "--format",
            "txt",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    assert!(
        preview.contains(TYPED),
        "the preview shows the paragraph:\n{preview}"
    );
    let (_, shown, _) = relanced(&install, &["note-paragraph", "--customer", &customer]).await;
    assert!(
        shown.contains(TYPED),
        "still pending after the preview: {shown}"
    );

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

    // The situation: the reminder sent, and the next level when the gating lets it go
    // (level 2 at +20 days, but not before 17 days after level 1: 2026-01-27).
    let (code, json, err) = relanced(
        &install,
        &[
            "situation",
            "--customer",
            &customer,
            "--as-of",
            "2026-01-12",
        ],
    )
    .await;
    assert_eq!(code, 0, "{err}");
    let situation: serde_json::Value = serde_json::from_str(&json).expect("situation JSON");
    let channels: Vec<&str> = situation["reminders"]
        .as_array()
        .expect("reminders")
        .iter()
        .map(|r| r["channel"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(channels, ["letter", "email"], "{json}");
    assert_eq!(situation["reminders"][1]["date"], "2026-01-10");
    assert_eq!(situation["reminders"][1]["state"], "done");
    assert_eq!(situation["next"]["level_key"], "urgent", "{json}");
    assert_eq!(situation["next"]["on"], "2026-01-27", "{json}");
    assert_eq!(situation["paragraph"], serde_json::Value::Null);
    assert_eq!(situation["items"][0]["days_overdue"], 11);

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
