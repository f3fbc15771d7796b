//! TLS certificate verification for SMTP, against aiosmtpd with a certificate from a
//! private CA made by `openssl`: refused with a clear configuration error unless the
//! CA is configured with `ca_file`, for STARTTLS and for implicit TLS.

use crate::common::deliver as fixtures;
use crate::common::smtp as smtp_support;

use relanced::deliver::{MailError, SmtpSettings, SmtpTransport, TlsMode};

use fixtures::{fast_retry, reminder};
use smtp_support::{
    Aiosmtpd, AiosmtpdOptions, TlsMaterial, make_tls_material, make_tls_material_for,
};

fn server(tls: &TlsMaterial, mode: &'static str) -> Aiosmtpd {
    Aiosmtpd::start_with(AiosmtpdOptions {
        tls: Some((mode, tls.server_cert.clone(), tls.server_key.clone())),
        ..Default::default()
    })
}

fn settings(port: u16, mode: TlsMode) -> SmtpSettings {
    let mut settings = SmtpSettings::new("127.0.0.1", port, mode);
    settings.retry = fast_retry(3);
    settings
}

fn assert_tls_refused(err: &MailError) {
    match err {
        MailError::Config { what, hint, .. } => {
            assert!(what.contains("TLS"), "{what}");
            assert!(what.to_lowercase().contains("certificate"), "{what}");
            assert!(hint.contains("ca_file"), "{hint}");
        }
        other => panic!("expected a Config error, got {other:?}"),
    }
}

#[tokio::test]
async fn starttls_to_a_server_with_an_untrusted_certificate_is_refused() {
    let tls = make_tls_material();
    let server = server(&tls, "starttls");
    let transport = SmtpTransport::new(settings(server.port, TlsMode::Starttls)).expect("settings");
    let err = transport
        .send(&reminder("k-tls-1"))
        .await
        .expect_err("must refuse");
    assert_tls_refused(&err);
    assert_eq!(server.count("MAIL"), 0, "nothing was sent, no retry");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn implicit_tls_to_a_server_with_an_untrusted_certificate_is_refused() {
    let tls = make_tls_material();
    let server = server(&tls, "implicit");
    let transport = SmtpTransport::new(settings(server.port, TlsMode::Tls)).expect("settings");
    let err = transport
        .send(&reminder("k-tls-2"))
        .await
        .expect_err("must refuse");
    assert_tls_refused(&err);
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn starttls_delivers_when_the_private_ca_is_configured() {
    let tls = make_tls_material();
    let server = server(&tls, "starttls");
    let mut settings = settings(server.port, TlsMode::Starttls);
    settings.ca_file = Some(tls.ca_cert.clone());
    let transport = SmtpTransport::new(settings).expect("settings");
    transport
        .send(&reminder("k-tls-3"))
        .await
        .expect("delivered");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn implicit_tls_delivers_when_the_private_ca_is_configured() {
    let tls = make_tls_material();
    let server = server(&tls, "implicit");
    let mut settings = settings(server.port, TlsMode::Tls);
    settings.ca_file = Some(tls.ca_cert.clone());
    let transport = SmtpTransport::new(settings).expect("settings");
    transport
        .send(&reminder("k-tls-4"))
        .await
        .expect("delivered");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn the_certificate_must_match_the_host_name() {
    // Signed by the configured CA, but for another name than the one we connect to.
    let tls = make_tls_material_for("DNS:mail.example.com");
    let server = server(&tls, "implicit");
    let mut settings = settings(server.port, TlsMode::Tls);
    settings.ca_file = Some(tls.ca_cert.clone());
    let transport = SmtpTransport::new(settings).expect("settings");
    let err = transport
        .send(&reminder("k-tls-5"))
        .await
        .expect_err("wrong name");
    assert_tls_refused(&err);
    assert!(err.to_string().contains("127.0.0.1"), "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn required_starttls_on_a_server_without_it_is_a_config_error() {
    let server = Aiosmtpd::start();
    let transport = SmtpTransport::new(settings(server.port, TlsMode::Starttls)).expect("settings");
    let err = transport
        .send(&reminder("k-tls-6"))
        .await
        .expect_err("no STARTTLS");
    match &err {
        MailError::Config { what, .. } => {
            assert!(what.contains("does not offer STARTTLS"), "{what}")
        }
        other => panic!("expected Config, got {other:?}"),
    }
    assert_eq!(server.count("MAIL"), 0, "nothing sent in plaintext");
}

#[test]
fn an_unreadable_ca_file_is_reported_at_setup() {
    let mut settings = SmtpSettings::new("smtp.example.com", 587, TlsMode::Starttls);
    settings.ca_file = Some("/nonexistent/relanced-ca.pem".into());
    let err = SmtpTransport::new(settings).expect_err("bad ca_file");
    assert!(
        err.to_string().contains("/nonexistent/relanced-ca.pem"),
        "{err}"
    );
}
