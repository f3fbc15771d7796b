//! Odoo errors, told apart so that callers and sysadmins know what to do.
//!
//! Faults are classified from what real servers answer (see `shared/odoo-*/`): XML-RPC
//! fault codes 1–4 and their texts, JSON-2 HTTP statuses and exception names, and
//! transport failures. Messages keep only the meaningful last line of a traceback,
//! cut short: never a whole payload, never a key.

use std::fmt;

/// What kind of failure, with what the caller needs to react.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Wrong login, password or API key (`authenticate` answered `False`, fault 3, HTTP 401).
    BadCredentials,
    /// The database does not exist on this server.
    UnknownDatabase,
    /// The user lacks a right; `groups` are the Odoo groups that would grant it.
    AccessDenied { groups: Vec<String> },
    /// `allowed_company_ids` names a company the user may not access.
    UnauthorizedCompany,
    /// A record was deleted or never existed.
    MissingRecord,
    /// Odoo refused the values (a `UserError` or `ValidationError`).
    Validation,
    /// A field that this server's model does not have.
    UnknownField { field: String },
    /// A model that this server does not have (module not installed).
    UnknownModel,
    /// A method that cannot be called remotely.
    PrivateMethod,
    /// Odoo failed (fault 1, HTTP 500). For a write, its effect may be committed.
    ServerBug,
    /// No answer in time. For a write, the outcome is unknown.
    Timeout,
    /// Nobody listens at the address.
    ConnectionRefused,
    /// The connection was closed before the answer came. For a write, the outcome is unknown.
    ConnectionDropped,
    /// The TLS handshake failed (certificate, protocol).
    Tls,
    /// An HTTP status that is not Odoo's own answer (502 from a proxy, 503 maintenance…).
    Http { status: u16 },
    /// The answer is not what the protocol promises.
    Protocol,
    /// Not sent: the server was found unreachable earlier in the run (its circuit breaker
    /// tripped). Nothing happened on the server; a later run tries again.
    NotSent,
}

impl ErrorKind {
    /// Worth trying again later without any check: nothing happened on the server.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ErrorKind::Timeout
                | ErrorKind::ConnectionRefused
                | ErrorKind::ConnectionDropped
                | ErrorKind::NotSent
                | ErrorKind::Http {
                    status: 429 | 502 | 503 | 504
                }
        )
    }

    /// Says the server cannot be reached (nothing of Odoo's own answered): what trips
    /// the run's circuit breaker.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            ErrorKind::Timeout
                | ErrorKind::ConnectionRefused
                | ErrorKind::ConnectionDropped
                | ErrorKind::Tls
                | ErrorKind::Http { status: 502..=504 }
        )
    }

    /// The request may have reached Odoo and been committed although no success came back.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            ErrorKind::Timeout
                | ErrorKind::ConnectionDropped
                | ErrorKind::ServerBug
                | ErrorKind::Http { status: 502 | 504 }
        )
    }

    /// A short name, used in metrics labels and JSON output.
    pub fn label(&self) -> &'static str {
        match self {
            ErrorKind::BadCredentials => "bad_credentials",
            ErrorKind::UnknownDatabase => "unknown_database",
            ErrorKind::AccessDenied { .. } => "access_denied",
            ErrorKind::UnauthorizedCompany => "unauthorized_company",
            ErrorKind::MissingRecord => "missing_record",
            ErrorKind::Validation => "validation",
            ErrorKind::UnknownField { .. } => "unknown_field",
            ErrorKind::UnknownModel => "unknown_model",
            ErrorKind::PrivateMethod => "private_method",
            ErrorKind::ServerBug => "server_bug",
            ErrorKind::Timeout => "timeout",
            ErrorKind::ConnectionRefused => "connection_refused",
            ErrorKind::ConnectionDropped => "connection_dropped",
            ErrorKind::Tls => "tls",
            ErrorKind::Http { .. } => "http",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NotSent => "not_sent",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::BadCredentials => {
                f.write_str("bad credentials (check odoo.login and odoo.api_key)")
            }
            ErrorKind::UnknownDatabase => f.write_str("unknown database (check odoo.database)"),
            ErrorKind::AccessDenied { groups } if groups.is_empty() => f.write_str("access denied"),
            ErrorKind::AccessDenied { groups } => {
                write!(
                    f,
                    "access denied (the user needs the group {})",
                    groups.join(" or ")
                )
            }
            ErrorKind::UnauthorizedCompany => f.write_str("company not allowed for this user"),
            ErrorKind::MissingRecord => f.write_str("record missing"),
            ErrorKind::Validation => f.write_str("refused by Odoo"),
            ErrorKind::UnknownField { field } => write!(f, "unknown field {field:?}"),
            ErrorKind::UnknownModel => f.write_str("unknown model (is the module installed?)"),
            ErrorKind::PrivateMethod => f.write_str("private method"),
            ErrorKind::ServerBug => f.write_str("server error"),
            ErrorKind::Timeout => f.write_str("timeout"),
            ErrorKind::ConnectionRefused => f.write_str("connection refused"),
            ErrorKind::ConnectionDropped => f.write_str("connection closed before the answer"),
            ErrorKind::Tls => f.write_str("TLS failure"),
            ErrorKind::Http { status } => write!(f, "HTTP {status}"),
            ErrorKind::Protocol => f.write_str("malformed answer"),
            ErrorKind::NotSent => f.write_str("not sent"),
        }
    }
}

/// Which call failed: model, method and the records it was about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallSite {
    pub model: String,
    pub method: String,
    pub ids: Vec<i64>,
}

impl fmt::Display for CallSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.model.is_empty() {
            write!(f, "{}", self.method)?;
        } else {
            write!(f, "{}.{}", self.model, self.method)?;
        }
        match self.ids.as_slice() {
            [] => Ok(()),
            ids if ids.len() <= 5 => {
                let list: Vec<String> = ids.iter().map(ToString::to_string).collect();
                write!(f, " on record {}", list.join(", "))
            }
            ids => write!(f, " on {} records ({}, …)", ids.len(), ids[0]),
        }
    }
}

/// An Odoo call that failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Odoo {call}: {kind}{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
pub struct OdooError {
    pub kind: ErrorKind,
    /// Boxed: errors travel up through every `Result` of the client and the executor.
    pub call: Box<CallSite>,
    /// Odoo's own words, shortened (the last line of a traceback).
    pub message: String,
}

impl OdooError {
    pub fn new(kind: ErrorKind, call: CallSite, message: impl Into<String>) -> Self {
        Self {
            kind,
            call: Box::new(call),
            message: shorten(&message.into()),
        }
    }

    /// An answer relanced cannot use (`ErrorKind::Protocol`) from `model.method` on `ids`.
    pub fn protocol(model: &str, method: &str, ids: &[i64], message: impl Into<String>) -> Self {
        let call = CallSite {
            model: model.into(),
            method: method.into(),
            ids: ids.to_vec(),
        };
        Self::new(ErrorKind::Protocol, call, message)
    }
}

const MAX_MESSAGE: usize = 300;

/// Keeps a message readable and bounded: trims, and cuts at [`MAX_MESSAGE`] characters.
pub fn shorten(message: &str) -> String {
    let message = message.trim();
    if message.chars().count() <= MAX_MESSAGE {
        return message.to_owned();
    }
    let cut: String = message.chars().take(MAX_MESSAGE).collect();
    format!("{cut}…")
}

/// The last non-empty line of a Python traceback: `ValueError: Invalid field …`.
fn last_line(text: &str) -> &str {
    text.lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// The groups named in Odoo's access error: lines `\t- Accounting/Billing`.
pub fn groups_in_access_error(text: &str) -> Vec<String> {
    let Some((_, after)) = text.split_once("allowed for the following group") else {
        return Vec::new();
    };
    after
        .lines()
        .skip(1)
        .map(str::trim)
        .take_while(|l| l.starts_with("- ") || l.is_empty())
        .filter_map(|l| l.strip_prefix("- "))
        .map(str::to_owned)
        .collect()
}

/// The field named in an "Invalid field" message, in the forms of 18 and 19:
/// `Invalid field 'blocked' on model 'account.move.line'`,
/// `Invalid field res.partner.no_such_field in leaf …` / `in condition …`.
fn invalid_field(text: &str) -> Option<String> {
    let rest = text.split("Invalid field ").nth(1)?;
    if let Some(quoted) = rest.strip_prefix('\'') {
        return quoted.split('\'').next().map(str::to_owned);
    }
    let dotted = rest.split_whitespace().next()?;
    Some(dotted.rsplit('.').next().unwrap_or(dotted).to_owned())
}

/// Classifies an XML-RPC fault (`/xmlrpc/2/…`: integer codes).
pub fn classify_fault(code: i64, text: &str) -> (ErrorKind, String) {
    let line = last_line(text);
    match code {
        3 => (ErrorKind::BadCredentials, "Access Denied".to_owned()),
        4 if text.contains("unauthorized or invalid companies") => {
            (ErrorKind::UnauthorizedCompany, text.trim().to_owned())
        }
        4 if text.contains("Private methods") => (ErrorKind::PrivateMethod, text.trim().to_owned()),
        4 => (
            ErrorKind::AccessDenied {
                groups: groups_in_access_error(text),
            },
            text.lines().next().unwrap_or("").trim().to_owned(),
        ),
        2 if text.contains("Record does not exist or has been deleted") => (
            ErrorKind::MissingRecord,
            text.replace('\n', " ").trim().to_owned(),
        ),
        2 if text.starts_with("Object ") && text.trim_end().ends_with("doesn't exist") => {
            (ErrorKind::UnknownModel, text.trim().to_owned())
        }
        2 => (ErrorKind::Validation, text.trim().to_owned()),
        _ if line.contains("Invalid field") => {
            let field = invalid_field(line).unwrap_or_default();
            (ErrorKind::UnknownField { field }, line.to_owned())
        }
        _ if line.contains("does not exist") && line.contains("database") => (
            ErrorKind::UnknownDatabase,
            line.rsplit("FATAL:")
                .next()
                .unwrap_or(line)
                .trim()
                .to_owned(),
        ),
        _ => (ErrorKind::ServerBug, line.to_owned()),
    }
}

/// Classifies a JSON-2 error answer (`{name, message, …}` with an HTTP status).
pub fn classify_json2(status: u16, name: &str, message: &str) -> ErrorKind {
    match (status, name) {
        (401, _) => ErrorKind::BadCredentials,
        (403, _) if message.contains("Private methods") => ErrorKind::PrivateMethod,
        (403, _) if message.contains("unauthorized or invalid companies") => {
            ErrorKind::UnauthorizedCompany
        }
        (403, _) => ErrorKind::AccessDenied {
            groups: groups_in_access_error(message),
        },
        (404, "odoo.exceptions.MissingError") => ErrorKind::MissingRecord,
        (404, "werkzeug.exceptions.NotFound") if message.contains("model") => {
            ErrorKind::UnknownModel
        }
        (404, "werkzeug.exceptions.NotFound") if message.contains("database") => {
            ErrorKind::UnknownDatabase
        }
        (422, _) => ErrorKind::Validation,
        (_, _) if message.contains("Invalid field") => ErrorKind::UnknownField {
            field: invalid_field(message).unwrap_or_default(),
        },
        (500, _) => ErrorKind::ServerBug,
        (status, _) => ErrorKind::Http { status },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_error_names_the_missing_group() {
        let text = "You are not allowed to access 'Models' (ir.model) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary.";
        let (kind, message) = classify_fault(4, text);
        assert_eq!(
            kind,
            ErrorKind::AccessDenied {
                groups: vec!["Administration/Access Rights".into()]
            }
        );
        assert_eq!(
            message,
            "You are not allowed to access 'Models' (ir.model) records."
        );
    }

    #[test]
    fn invalid_field_in_both_versions() {
        let (k, _) = classify_fault(
            1,
            "Traceback…\nValueError: Invalid field 'blocked' on model 'account.move.line'\n",
        );
        assert_eq!(
            k,
            ErrorKind::UnknownField {
                field: "blocked".into()
            }
        );
        let (k, _) = classify_fault(
            1,
            "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)",
        );
        assert_eq!(
            k,
            ErrorKind::UnknownField {
                field: "no_such_field".into()
            }
        );
        let k = classify_json2(
            500,
            "builtins.ValueError",
            "Invalid field res.partner.no_such_field in condition ('no_such_field', '=', 1)",
        );
        assert_eq!(
            k,
            ErrorKind::UnknownField {
                field: "no_such_field".into()
            }
        );
    }

    #[test]
    fn messages_are_bounded() {
        let e = OdooError::new(
            ErrorKind::ServerBug,
            CallSite::default(),
            "x".repeat(10_000),
        );
        assert!(e.to_string().chars().count() < 400);
    }

    #[test]
    fn call_site_names_model_method_and_records() {
        let call = CallSite {
            model: "res.partner".into(),
            method: "write".into(),
            ids: vec![999999999],
        };
        let e = OdooError::new(
            ErrorKind::MissingRecord,
            call,
            "Record does not exist or has been deleted.",
        );
        assert_eq!(
            e.to_string(),
            "Odoo res.partner.write on record 999999999: record missing: Record does not exist or has been deleted."
        );
    }
}
