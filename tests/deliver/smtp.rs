//! SMTP delivery against a real aiosmtpd server on loopback: what arrives is what
//! was meant (names, subject, both parts, attachment, Message-ID), retries of 4xx
//! replies, and authentication.

use crate::common::deliver as fixtures;
use crate::common::smtp as smtp_support;

use base64::Engine;
use pretty_assertions::assert_eq;
use relanced::deliver::{MailError, SmtpSettings, SmtpTransport, TlsMode, message_id_for};

use fixtures::{PDF, fast_retry, mailbox, reminder};
use smtp_support::{Aiosmtpd, AiosmtpdOptions, parse_eml};

fn transport_for(server: &Aiosmtpd) -> SmtpTransport {
    let mut settings = SmtpSettings::new("127.0.0.1", server.port, TlsMode::None);
    settings.retry = fast_retry(3);
    settings.hello_name = Some("relanced.test".to_owned());
    SmtpTransport::new(settings).expect("valid settings")
}

#[tokio::test]
async fn received_mail_has_decoded_utf8_names_subject_both_parts_and_the_attachment() {
    let server = Aiosmtpd::start();
    let email = reminder("run-1/customer-42/level-2");
    let sent = transport_for(&server)
        .send(&email)
        .await
        .expect("delivered");

    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let got = parse_eml(&messages[0]);
    let h = &got["headers"];
    assert_eq!(
        h["from"],
        "Société Générale <compta@societe-generale.example>"
    );
    assert_eq!(
        h["to"],
        "Müller & Söhne <buchhaltung@mueller-soehne.example>"
    );
    assert_eq!(h["cc"], "Jan Peeters <jan@peeters.example>");
    assert_eq!(
        h["reply-to"],
        "Service recouvrement <recouvrement@societe-generale.example>"
    );
    assert_eq!(
        h["subject"],
        "Rappel : facture F2024/0042 — échéance dépassée"
    );
    assert_eq!(h["message-id"], email.message_id.as_str());
    assert_eq!(h["x-relanced-action"], "run-1/customer-42/level-2");

    let parts = got["parts"].as_array().expect("parts");
    let types: Vec<&str> = parts
        .iter()
        .map(|p| p["content_type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        types,
        [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "application/pdf"
        ]
    );
    assert_eq!(
        parts[2]["text"].as_str().map(|t| t.replace("\r\n", "\n")),
        Some(email.text.clone())
    );
    assert_eq!(
        parts[3]["text"].as_str().map(|t| t.trim_end().to_owned()),
        Some(email.html.clone())
    );
    assert_eq!(parts[4]["filename"], "Relance F2024-0042 Müller.pdf");
    assert_eq!(parts[4]["disposition"], "attachment");
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(parts[4]["base64"].as_str().expect("base64"))
        .expect("valid base64");
    assert_eq!(pdf, PDF);

    // The envelope went to To and Cc, and the returned .eml is what the server got.
    assert_eq!(server.events()[0], "EHLO relanced.test");
    assert_eq!(
        server.events()[1..4],
        [
            "MAIL compta@societe-generale.example",
            "RCPT buchhaltung@mueller-soehne.example",
            "RCPT jan@peeters.example",
        ]
    );
    assert_eq!(parse_eml(&sent.eml), got);
    assert_eq!(sent.attempts, 1);
    assert!(sent.reply.starts_with("250"), "{}", sent.reply);
}

#[tokio::test]
async fn mail_without_attachment_is_multipart_alternative() {
    let server = Aiosmtpd::start();
    let mut email = reminder("k-no-attachment");
    email.attachments.clear();
    transport_for(&server)
        .send(&email)
        .await
        .expect("delivered");
    let got = parse_eml(&server.messages()[0]);
    let types: Vec<&str> = got["parts"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| p["content_type"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(types, ["multipart/alternative", "text/plain", "text/html"]);
}

#[tokio::test]
async fn sending_the_same_email_twice_gives_the_same_message_id() {
    let server = Aiosmtpd::start();
    let transport = transport_for(&server);
    let key = "run-7/customer-3/level-1";
    transport.send(&reminder(key)).await.expect("first");
    transport
        .send(&reminder(key))
        .await
        .expect("second, on the pooled connection");

    let ids: Vec<String> = server
        .messages()
        .iter()
        .map(|m| {
            parse_eml(m)["headers"]["message-id"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    let expected = message_id_for(key, &mailbox("compta@societe-generale.example"));
    assert_eq!(ids, [expected.clone(), expected]);
    assert_eq!(
        server.count("EHLO"),
        1,
        "the second mail reused the pooled connection"
    );
}

#[tokio::test]
async fn a_4xx_reply_is_retried_and_then_delivered() {
    let server = Aiosmtpd::start_with(AiosmtpdOptions {
        soft_fail_rcpt: 2,
        ..Default::default()
    });
    let sent = transport_for(&server)
        .send(&reminder("k-soft"))
        .await
        .expect("delivered on 3rd try");
    assert_eq!(sent.attempts, 3);
    assert_eq!(server.count("MAIL"), 3, "server saw three transactions");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn temporary_refusals_outlasting_the_retries_end_transient() {
    let server = Aiosmtpd::start_with(AiosmtpdOptions {
        soft_fail_rcpt: 10,
        ..Default::default()
    });
    let err = transport_for(&server)
        .send(&reminder("k-soft-10"))
        .await
        .expect_err("must fail");
    match &err {
        MailError::Transient {
            code,
            attempts,
            stage,
            reply,
            recipients,
            ..
        } => {
            assert_eq!(*code, Some(451));
            assert_eq!(*attempts, 3);
            assert_eq!(stage, "RCPT TO:<buchhaltung@mueller-soehne.example>");
            assert!(reply.contains("try again later"), "{reply}");
            assert!(recipients.0.contains(&"jan@peeters.example".to_owned()));
        }
        other => panic!("expected Transient, got {other:?}"),
    }
    assert!(err.is_retryable_later());
    assert_eq!(server.count("MAIL"), 3);
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn authenticated_submission_delivers() {
    let server = Aiosmtpd::start_with(AiosmtpdOptions {
        auth: Some(("compta".to_owned(), "s3cret-Pw".to_owned())),
        ..Default::default()
    });
    let mut settings = SmtpSettings::new("127.0.0.1", server.port, TlsMode::None);
    settings.username = Some("compta".to_owned());
    settings.password = Some("s3cret-Pw".to_owned());
    let transport = SmtpTransport::new(settings).expect("loopback may use plaintext auth");
    transport
        .send(&reminder("k-auth"))
        .await
        .expect("delivered");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn a_wrong_password_is_a_config_error_that_does_not_show_the_password() {
    let server = Aiosmtpd::start_with(AiosmtpdOptions {
        auth: Some(("compta".to_owned(), "right-password".to_owned())),
        ..Default::default()
    });
    let mut settings = SmtpSettings::new("127.0.0.1", server.port, TlsMode::None);
    settings.username = Some("compta".to_owned());
    settings.password = Some("Wrong-Pa55word".to_owned());
    settings.retry = fast_retry(3);
    let transport = SmtpTransport::new(settings).expect("settings");
    let err = transport
        .send(&reminder("k-auth-bad"))
        .await
        .expect_err("refused");
    assert!(matches!(err, MailError::Config { .. }), "{err:?}");
    let text = format!("{err} {err:?} {transport:?}");
    assert!(text.contains("credentials"), "{text}");
    assert!(!text.contains("Wrong-Pa55word"), "password leaked: {text}");
    assert_eq!(server.count("MAIL"), 0);
}

#[test]
fn a_password_is_never_sent_in_plaintext_to_a_remote_server() {
    let mut settings = SmtpSettings::new("smtp.example.com", 25, TlsMode::None);
    settings.username = Some("compta".to_owned());
    settings.password = Some("pw".to_owned());
    let err = SmtpTransport::new(settings).expect_err("refused");
    assert!(err.to_string().contains("unencrypted"), "{err}");
}

#[tokio::test]
async fn lines_made_of_a_single_dot_survive_the_smtp_transfer() {
    let server = Aiosmtpd::start();
    let mut email = reminder("k-dots");
    email.text = "Montant dû :\n.\n..\nFin.\n".to_owned();
    transport_for(&server)
        .send(&email)
        .await
        .expect("delivered");
    let got = parse_eml(&server.messages()[0]);
    assert_eq!(
        got["parts"][2]["text"]
            .as_str()
            .map(|t| t.replace("\r\n", "\n")),
        Some(email.text)
    );
}

#[tokio::test]
async fn after_close_the_next_mail_opens_a_new_connection() {
    let server = Aiosmtpd::start();
    let transport = transport_for(&server);
    transport.send(&reminder("k-close-1")).await.expect("first");
    transport.close().await;
    transport
        .send(&reminder("k-close-2"))
        .await
        .expect("second");
    assert_eq!(server.count("EHLO"), 2);
    assert_eq!(server.messages().len(), 2);
}
