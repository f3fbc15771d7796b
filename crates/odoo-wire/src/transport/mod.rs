//! HTTP transports to Odoo: XML-RPC (`/xmlrpc/2/…`) and JSON-2 (`/json/2/…`, Odoo ≥ 19).
//! They perform one request each and classify failures; retries, authentication caching
//! and the concurrency limit belong to relanced's `OdooClient`.

pub mod json2;
pub mod xmlrpc;

use crate::error::{CallSite, ErrorKind, OdooError};
use std::error::Error as _;

/// Classifies a reqwest failure: timeout, refused, dropped, TLS.
pub fn transport_error(err: &reqwest::Error, call: CallSite) -> OdooError {
    let chain = {
        let mut text = err.to_string();
        let mut source = err.source();
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        text
    };
    let lower = chain.to_ascii_lowercase();
    let kind = if err.is_timeout() || lower.contains("timed out") {
        ErrorKind::Timeout
    } else if lower.contains("certificate")
        || lower.contains("tls")
        || lower.contains("handshake")
        // rustls meeting a server that does not speak TLS
        || lower.contains("corrupt message")
    {
        ErrorKind::Tls
    } else if lower.contains("connection refused") || (err.is_connect() && !err.is_body()) {
        ErrorKind::ConnectionRefused
    } else {
        ErrorKind::ConnectionDropped
    };
    // reqwest errors carry the URL (its query and password stripped here) and causes;
    // never a payload.
    let message = match err.url() {
        Some(u) => chain.replace(u.as_str(), &strip_query(u)),
        None => chain,
    };
    OdooError::new(kind, call, message)
}

fn strip_query(url: &reqwest::Url) -> String {
    let mut u = url.clone();
    u.set_query(None);
    let _ = u.set_password(None);
    u.to_string()
}
