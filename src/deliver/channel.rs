//! The way emails leave and the sender they carry, as the configuration says: SMTP,
//! files, or Odoo's own mail server; `mail.from`. Built fresh for each run (an SMTP
//! transport's breaker starts closed). It must not send anything itself.

use crate::config::{Config, MailTransportKind, SmtpTls};
use crate::deliver::{
    FilesTransport, MailError, MailTransport, Mailbox, SmtpSettings, SmtpTransport, TlsMode,
};
use crate::execute::MailChannel;

/// The sender used when `mail.from` is not set.
pub const DEFAULT_FROM: &str = "relanced <relanced@localhost>";

/// Why the configured mail channel cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    #[error("mail.smtp is missing")]
    SmtpMissing,
    /// The cause is in the text: `{:#}` chains must not repeat it.
    #[error("mail.from: {0}")]
    From(lettre::address::AddressError),
    #[error(transparent)]
    Mail(#[from] MailError),
}

/// The mail channel of the configuration.
pub fn mail_channel(config: &Config) -> Result<MailChannel, ChannelError> {
    match config.mail.transport {
        MailTransportKind::Odoo => Ok(MailChannel::Odoo),
        MailTransportKind::Files => Ok(MailChannel::Transport(MailTransport::Files(
            FilesTransport::new(config.mail.outbox_dir.join("mail")),
        ))),
        MailTransportKind::Smtp => {
            let smtp = config.mail.smtp.as_ref().ok_or(ChannelError::SmtpMissing)?;
            let tls = match smtp.tls {
                SmtpTls::None => TlsMode::None,
                SmtpTls::Starttls => TlsMode::Starttls,
                SmtpTls::Tls => TlsMode::Tls,
            };
            let mut settings = SmtpSettings::new(smtp.host.clone(), smtp.port, tls);
            settings.username = smtp.username.clone();
            settings.password = config
                .secrets
                .smtp_password
                .as_ref()
                .map(|s| s.expose().to_owned());
            settings.ca_file = smtp.ca_file.clone();
            settings.timeout = std::time::Duration::from_secs(smtp.timeout_secs);
            Ok(MailChannel::Transport(MailTransport::Smtp(Box::new(
                SmtpTransport::new(settings)?,
            ))))
        }
    }
}

/// The sender of every email: `mail.from`, else [`DEFAULT_FROM`].
pub fn from_mailbox(config: &Config) -> Result<Mailbox, ChannelError> {
    config
        .mail
        .from
        .as_deref()
        .unwrap_or(DEFAULT_FROM)
        .parse()
        .map_err(ChannelError::From)
}

/// The reply-to address, when `mail.reply_to` is set and valid.
pub fn reply_to_mailbox(config: &Config) -> Option<Mailbox> {
    config.mail.reply_to.as_deref().and_then(|r| r.parse().ok())
}
