//! Delivery (`relanced::deliver`): to real SMTP servers on loopback (aiosmtpd, smtp-sink),
//! their failures, TLS, and to files.

#[path = "../common/mod.rs"]
mod common;

mod files;
mod smtp;
mod smtp_failures;
mod tls;
