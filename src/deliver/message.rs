//! The email to send (`OutgoingEmail`) and its MIME form, built with lettre.
//!
//! Builds `multipart/alternative` (text + HTML), wrapped in `multipart/mixed` when
//! there are attachments; non-ASCII subjects and display names become RFC 2047
//! encoded words. The `Message-ID` is derived from the action's idempotency key so
//! that a resend is recognisable. This module does no I/O and never sends anything.

use std::time::SystemTime;

use lettre::Message;
use lettre::address::Envelope;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};

use super::error::{MailError, Recipients};

/// A file attached to an email (e.g. the letter PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name shown to the reader, may be non-ASCII.
    pub filename: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime: String,
    pub bytes: Vec<u8>,
}

/// One email ready to send: addresses, rendered bodies, attachments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    pub from: Mailbox,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// Full header value including angle brackets, see [`message_id_for`].
    pub message_id: String,
    /// Extra headers such as `X-Relanced-Action`; names must be ASCII tokens.
    pub headers: Vec<(String, String)>,
    /// `Date` header; `None` means "now".
    pub date: Option<SystemTime>,
}

/// An email in its wire form: the envelope and the raw `.eml` bytes.
#[derive(Debug, Clone)]
pub struct BuiltEmail {
    pub envelope: Envelope,
    pub eml: Vec<u8>,
    pub message_id: String,
}

impl BuiltEmail {
    /// The envelope recipients, for error messages.
    pub fn recipients(&self) -> Recipients {
        Recipients(self.envelope.to().iter().map(|a| a.to_string()).collect())
    }
}

/// Deterministic `Message-ID` for an idempotency key:
/// `<relanced.{first 32 hex digits of sha256(key)}@{domain of from}>`.
pub fn message_id_for(key: &str, from: &Mailbox) -> String {
    let digest = hex::encode(Sha256::digest(key.as_bytes()));
    format!("<relanced.{}@{}>", &digest[..32], from.email.domain())
}

/// Builds the MIME message and its raw bytes.
pub fn build(email: &OutgoingEmail) -> Result<BuiltEmail, MailError> {
    let invalid = |what: String| MailError::Message {
        message_id: email.message_id.clone(),
        what,
    };
    if email.to.is_empty() {
        return Err(invalid("no recipient in To".to_owned()));
    }
    if !is_valid_message_id(&email.message_id) {
        return Err(invalid(format!(
            "Message-ID {:?} must look like <left@right> without spaces",
            email.message_id
        )));
    }
    let mut builder = Message::builder()
        .from(email.from.clone())
        .subject(email.subject.clone())
        .message_id(Some(email.message_id.clone()))
        .date(email.date.unwrap_or_else(SystemTime::now));
    for to in &email.to {
        builder = builder.to(to.clone());
    }
    for cc in &email.cc {
        builder = builder.cc(cc.clone());
    }
    if let Some(reply_to) = &email.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    for (name, value) in &email.headers {
        let header_name = HeaderName::new_from_ascii(name.clone())
            .map_err(|_| invalid(format!("header name {name:?} is not a valid ASCII token")))?;
        if value.contains(['\r', '\n']) {
            return Err(invalid(format!("header {name} contains a line break")));
        }
        builder = builder.raw_header(HeaderValue::new(header_name, value.clone()));
    }

    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(email.text.clone()))
        .singlepart(SinglePart::html(email.html.clone()));
    let body = if email.attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for attachment in &email.attachments {
            let content_type = ContentType::parse(&attachment.mime).map_err(|e| {
                invalid(format!(
                    "attachment {:?} has an invalid MIME type {:?}: {e}",
                    attachment.filename, attachment.mime
                ))
            })?;
            mixed = mixed.singlepart(
                LettreAttachment::new(attachment.filename.clone())
                    .body(attachment.bytes.clone(), content_type),
            );
        }
        mixed
    };
    let message = builder
        .multipart(body)
        .map_err(|e| invalid(format!("invalid message: {e}")))?;
    Ok(BuiltEmail {
        envelope: message.envelope().clone(),
        eml: message.formatted(),
        message_id: email.message_id.clone(),
    })
}

fn is_valid_message_id(id: &str) -> bool {
    id.len() > 4
        && id.starts_with('<')
        && id.ends_with('>')
        && id.contains('@')
        && id.is_ascii()
        && !id.contains(char::is_whitespace)
}

/// A file-system-safe name derived from a Message-ID (`<a.b@c>` → `a.b@c`).
pub fn file_stem_for(message_id: &str) -> String {
    message_id
        .trim_start_matches('<')
        .trim_end_matches('>')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mailbox(s: &str) -> Mailbox {
        s.parse().expect("test mailbox")
    }

    #[test]
    fn message_id_is_deterministic_and_uses_the_sender_domain() {
        let from = mailbox("Compta <compta@example.com>");
        let a = message_id_for("run-1/customer-7/level-2", &from);
        assert_eq!(a, message_id_for("run-1/customer-7/level-2", &from));
        assert_ne!(a, message_id_for("run-1/customer-8/level-2", &from));
        assert!(a.starts_with("<relanced."), "{a}");
        assert!(a.ends_with("@example.com>"), "{a}");
        assert_eq!(a.len(), "<relanced.@example.com>".len() + 32);
    }

    #[test]
    fn rejects_header_injection_and_bad_ids() {
        let from = mailbox("compta@example.com");
        let mut email = OutgoingEmail {
            from: from.clone(),
            to: vec![mailbox("a@example.org")],
            cc: vec![],
            reply_to: None,
            subject: "s".into(),
            html: "<p>h</p>".into(),
            text: "t".into(),
            attachments: vec![],
            message_id: message_id_for("k", &from),
            headers: vec![("X-Relanced-Action".into(), "a\r\nBcc: x@evil".into())],
            date: None,
        };
        assert!(matches!(build(&email), Err(MailError::Message { .. })));
        email.headers.clear();
        email.message_id = "no brackets".into();
        assert!(matches!(build(&email), Err(MailError::Message { .. })));
    }

    #[test]
    fn file_stem_keeps_only_safe_characters() {
        assert_eq!(
            file_stem_for("<relanced.ab12@ex.com>"),
            "relanced.ab12@ex.com"
        );
        assert_eq!(file_stem_for("<a/../b@c>"), "a_.._b@c");
    }
}
