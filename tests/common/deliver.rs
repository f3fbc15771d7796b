//! A realistic reminder email with UTF-8 names, both bodies and a PDF attachment.

use std::time::Duration;

use relanced::deliver::{Attachment, Mailbox, OutgoingEmail, RetryPolicy, message_id_for};

pub const PDF: &[u8] = b"%PDF-1.4\n% relanced test letter \xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

pub fn mailbox(s: &str) -> Mailbox {
    s.parse().expect("test mailbox")
}

/// The reminder for idempotency key `key`.
pub fn reminder(key: &str) -> OutgoingEmail {
    let from = mailbox("Société Générale <compta@societe-generale.example>");
    OutgoingEmail {
        message_id: message_id_for(key, &from),
        from,
        to: vec![mailbox("Müller & Söhne <buchhaltung@mueller-soehne.example>")],
        cc: vec![mailbox("Jan Peeters <jan@peeters.example>")],
        reply_to: Some(mailbox("Service recouvrement <recouvrement@societe-generale.example>")),
        subject: "Rappel : facture F2024/0042 — échéance dépassée".to_owned(),
        html: "<p>Madame, Monsieur,</p><p>La facture <b>F2024/0042</b> de 1 234,56 € reste impayée.</p>"
            .to_owned(),
        text: "Madame, Monsieur,\n\nLa facture F2024/0042 de 1 234,56 € reste impayée.\n".to_owned(),
        attachments: vec![Attachment {
            filename: "Relance F2024-0042 Müller.pdf".to_owned(),
            mime: "application/pdf".to_owned(),
            bytes: PDF.to_vec(),
        }],
        headers: vec![("X-Relanced-Action".to_owned(), key.to_owned())],
        date: None,
    }
}

/// Short delays so that retry tests stay fast.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        attempts,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    }
}
