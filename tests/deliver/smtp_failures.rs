//! SMTP failure classification against postfix's smtp-sink on loopback, which
//! injects 4xx/5xx replies and disconnects at chosen commands. Attempts are counted
//! on the server side (MAIL commands in smtp-sink's verbose log).

use crate::common::deliver as fixtures;
use crate::common::smtp as smtp_support;

use std::time::{Duration, Instant};

use relanced::deliver::{MailError, SmtpSettings, SmtpTransport, TlsMode};

use fixtures::{fast_retry, reminder};
use smtp_support::{SmtpSink, free_port};

fn transport(port: u16) -> SmtpTransport {
    let mut settings = SmtpSettings::new("127.0.0.1", port, TlsMode::None);
    settings.retry = fast_retry(3);
    settings.timeout = Duration::from_secs(10);
    SmtpTransport::new(settings).expect("valid settings")
}

#[tokio::test]
async fn the_sink_accepts_a_normal_mail() {
    let sink = SmtpSink::start(&[]);
    let sent = transport(sink.port)
        .send(&reminder("k-ok"))
        .await
        .expect("accepted");
    assert_eq!(sent.attempts, 1);
    assert_eq!(sink.mail_commands(), 1);
}

#[tokio::test]
async fn a_pooled_connection_closed_by_the_server_is_replaced_silently() {
    // smtp-sink drops a session after 1 s without a command. Wait well past it: on a
    // loaded machine the sink's own timer fires late, and a drop racing the next
    // command is a different case (a connection lost mid-send costs an attempt).
    let sink = SmtpSink::start(&["-t", "1"]);
    let transport = transport(sink.port);
    transport.send(&reminder("k-pool-1")).await.expect("first");
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let sent = transport
        .send(&reminder("k-pool-2"))
        .await
        .expect("second, on a new connection");
    assert_eq!(
        sent.attempts, 1,
        "the stale connection did not cost an attempt"
    );
    assert_eq!(sink.mail_commands(), 2);
}

#[tokio::test]
async fn a_soft_rejected_recipient_is_retried_and_ends_transient() {
    let sink = SmtpSink::start(&["-r", "RCPT"]);
    let err = transport(sink.port)
        .send(&reminder("k-4xx"))
        .await
        .expect_err("rejected");
    match &err {
        MailError::Transient {
            code,
            attempts,
            stage,
            reply,
            ..
        } => {
            assert_eq!(*code, Some(450));
            assert_eq!(*attempts, 3);
            assert!(stage.starts_with("RCPT TO:<"), "{stage}");
            assert!(reply.contains("command failed"), "{reply}");
        }
        other => panic!("expected Transient, got {other:?}"),
    }
    assert_eq!(sink.mail_commands(), 3, "three attempts reached the server");
}

#[tokio::test]
async fn a_hard_rejected_recipient_ends_permanent_without_retry() {
    let sink = SmtpSink::start(&["-f", "RCPT"]);
    let err = transport(sink.port)
        .send(&reminder("k-5xx"))
        .await
        .expect_err("rejected");
    match &err {
        MailError::Permanent {
            code,
            stage,
            reply,
            recipients,
            ..
        } => {
            assert_eq!(*code, 500);
            assert_eq!(stage, "RCPT TO:<buchhaltung@mueller-soehne.example>");
            assert!(reply.contains("5.3.0"), "{reply}");
            assert!(
                recipients
                    .0
                    .contains(&"buchhaltung@mueller-soehne.example".to_owned())
            );
        }
        other => panic!("expected Permanent, got {other:?}"),
    }
    assert!(!err.is_retryable_later());
    assert_eq!(sink.mail_commands(), 1, "no retry after a 5xx");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("reste impay"),
        "the body leaked into the error: {shown}"
    );
}

#[tokio::test]
async fn a_refused_message_ends_permanent_without_retry() {
    let sink = SmtpSink::start(&["-f", "."]);
    let err = transport(sink.port)
        .send(&reminder("k-5xx-data"))
        .await
        .expect_err("rejected");
    match &err {
        MailError::Permanent { code, stage, .. } => {
            assert_eq!(*code, 500);
            assert_eq!(stage, "end of message data");
        }
        other => panic!("expected Permanent, got {other:?}"),
    }
    assert_eq!(sink.mail_commands(), 1);
}

#[tokio::test]
async fn a_disconnect_after_the_message_data_is_uncertain_and_not_retried() {
    let sink = SmtpSink::start(&["-q", "."]);
    let email = reminder("k-uncertain");
    let err = transport(sink.port)
        .send(&email)
        .await
        .expect_err("no final reply");
    match &err {
        MailError::Uncertain { message_id, .. } => assert_eq!(message_id, &email.message_id),
        other => panic!("expected Uncertain, got {other:?}"),
    }
    assert!(err.to_string().contains("MAY have been delivered"), "{err}");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("reste impay") && !shown.contains("JVBERi0"),
        "{shown}"
    );
    assert!(!err.is_retryable_later());
    assert_eq!(sink.mail_commands(), 1, "an uncertain mail is never resent");
}

#[tokio::test]
async fn a_disconnect_before_the_message_data_is_transient_and_retried() {
    let sink = SmtpSink::start(&["-q", "RCPT"]);
    let err = transport(sink.port)
        .send(&reminder("k-drop-rcpt"))
        .await
        .expect_err("dropped");
    match &err {
        MailError::Transient {
            code: None,
            attempts: 3,
            stage,
            ..
        } => {
            assert!(stage.starts_with("RCPT TO:<"), "{stage}");
        }
        other => panic!("expected Transient without code, got {other:?}"),
    }
    assert_eq!(sink.mail_commands(), 3);
}

#[tokio::test]
async fn a_421_after_the_message_data_is_transient_and_retried() {
    let sink = SmtpSink::start(&["-Q", "."]);
    let err = transport(sink.port)
        .send(&reminder("k-421"))
        .await
        .expect_err("421");
    assert!(
        matches!(
            err,
            MailError::Transient {
                code: Some(421),
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sink.mail_commands(), 3);
}

#[tokio::test]
async fn no_final_reply_within_the_timeout_is_uncertain_and_not_retried() {
    let sink = SmtpSink::start(&["-W", ".:5"]);
    let mut settings = SmtpSettings::new("127.0.0.1", sink.port, TlsMode::None);
    settings.retry = fast_retry(3);
    settings.timeout = Duration::from_millis(700);
    let transport = SmtpTransport::new(settings).expect("settings");
    let err = transport
        .send(&reminder("k-slow-dot"))
        .await
        .expect_err("timed out");
    match &err {
        MailError::Uncertain { reply, .. } => {
            assert!(reply.contains("no answer within"), "{reply}")
        }
        other => panic!("expected Uncertain, got {other:?}"),
    }
    assert_eq!(sink.mail_commands(), 1);
}

#[tokio::test]
async fn no_reply_to_data_within_the_timeout_is_transient_and_retried() {
    let sink = SmtpSink::start(&["-w", "5"]);
    let mut settings = SmtpSettings::new("127.0.0.1", sink.port, TlsMode::None);
    settings.retry = fast_retry(2);
    settings.timeout = Duration::from_millis(700);
    let transport = SmtpTransport::new(settings).expect("settings");
    let err = transport
        .send(&reminder("k-slow-data"))
        .await
        .expect_err("timed out");
    match &err {
        MailError::Transient {
            stage,
            attempts: 2,
            code: None,
            ..
        } => assert_eq!(stage, "DATA"),
        other => panic!("expected Transient at DATA, got {other:?}"),
    }
    assert_eq!(sink.mail_commands(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_transient_after_backing_off() {
    let port = free_port(); // nothing listens there
    let mut settings = SmtpSettings::new("127.0.0.1", port, TlsMode::None);
    settings.retry = relanced::deliver::RetryPolicy {
        attempts: 3,
        initial_delay: Duration::from_millis(100),
        max_delay: Duration::from_secs(1),
    };
    let transport = SmtpTransport::new(settings).expect("settings");
    let started = Instant::now();
    let err = transport
        .send(&reminder("k-refused"))
        .await
        .expect_err("refused");
    match &err {
        MailError::Transient {
            code: None,
            attempts: 3,
            stage,
            reply,
            ..
        } => {
            assert_eq!(stage, "connection and greeting");
            assert!(reply.to_lowercase().contains("refused"), "{reply}");
        }
        other => panic!("expected Transient, got {other:?}"),
    }
    // Backoff 100 ms then 200 ms happened between the three attempts.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn backoff_doubles_and_is_bounded() {
    let policy = relanced::deliver::RetryPolicy {
        attempts: 6,
        initial_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(5),
    };
    let delays: Vec<u64> = (1..=5).map(|n| policy.delay_after(n).as_secs()).collect();
    assert_eq!(delays, [1, 2, 4, 5, 5]);
}
