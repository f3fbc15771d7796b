//! Odoo's errors as the double raises them, and their texts as real Odoo 18/19
//! write them (copied from the recordings; tracebacks live in `tracebacks/`).
//!
//! A [`Fault`] is protocol-neutral: `xmlrpc` turns it into a fault code and
//! faultString, `json2` into an HTTP status and a JSON error body. This module
//! must not decide *when* an error happens, only how it reads.

use crate::OdooVersion;
use odoo_wire::Value;

/// An error raised while serving a call.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Fault {
    /// `odoo.exceptions.UserError` (XML-RPC fault 2, JSON-2 422).
    #[error("{0}")]
    User(String),
    /// `odoo.exceptions.ValidationError` (fault 2, JSON-2 422).
    #[error("{0}")]
    Validation(String),
    /// `odoo.exceptions.MissingError` (fault 2, JSON-2 404).
    #[error("{0}")]
    Missing(String),
    /// `odoo.exceptions.AccessError` (fault 4, JSON-2 403).
    #[error("{0}")]
    Access(String),
    /// `odoo.exceptions.AccessDenied` (fault 3, JSON-2 401).
    #[error("Access Denied")]
    AccessDenied,
    /// Unknown model (fault 2 `Object x doesn't exist`, JSON-2 404).
    #[error("Object {0} doesn't exist")]
    UnknownModel(String),
    /// A Python exception that is not an Odoo one (fault 1 with a traceback,
    /// JSON-2 500). `name` is JSON-2's `builtins.ValueError` and the like.
    #[error("{message}")]
    Server {
        name: String,
        message: String,
        traceback: String,
    },
    /// JSON-2 only: a werkzeug HTTP error (401, 404, 422…).
    #[error("{message}")]
    Http {
        status: u16,
        name: String,
        message: String,
    },
    /// Injected by a switch: a fault with a chosen code and text.
    #[error("{string}")]
    Injected { code: i64, string: String },
}

impl Fault {
    /// The XML-RPC `faultCode`.
    pub fn code(&self) -> i64 {
        match self {
            Fault::User(_) | Fault::Validation(_) | Fault::Missing(_) | Fault::UnknownModel(_) => 2,
            Fault::Access(_) => 4,
            Fault::AccessDenied => 3,
            Fault::Server { .. } | Fault::Http { .. } => 1,
            Fault::Injected { code, .. } => *code,
        }
    }

    /// The XML-RPC `faultString`.
    pub fn fault_string(&self) -> String {
        match self {
            Fault::Server { traceback, .. } => traceback.clone(),
            Fault::Injected { string, .. } => string.clone(),
            other => other.to_string(),
        }
    }

    /// JSON-2's HTTP status, exception name and message.
    pub fn json2(&self) -> (u16, String, String) {
        let (status, name) = match self {
            Fault::User(_) => (422, "odoo.exceptions.UserError"),
            Fault::Validation(_) => (422, "odoo.exceptions.ValidationError"),
            Fault::Missing(_) => (404, "odoo.exceptions.MissingError"),
            Fault::Access(_) => (403, "odoo.exceptions.AccessError"),
            Fault::AccessDenied => (401, "odoo.exceptions.AccessDenied"),
            Fault::UnknownModel(m) => {
                return (
                    404,
                    "werkzeug.exceptions.NotFound".into(),
                    format!("the model '{m}' does not exist"),
                );
            }
            Fault::Server { name, message, .. } => return (500, name.clone(), message.clone()),
            Fault::Http {
                status,
                name,
                message,
            } => return (*status, name.clone(), message.clone()),
            Fault::Injected { .. } => (500, "builtins.Exception"),
        };
        (status, name.to_owned(), self.to_string())
    }

    /// The traceback JSON-2 puts in `debug` (never logged whole by clients).
    pub fn debug(&self) -> String {
        match self {
            Fault::Server { traceback, .. } => traceback.clone(),
            other => {
                let (_, name, message) = other.json2();
                format!("Traceback (most recent call last):\n{name}: {message}\n")
            }
        }
    }
}

const TB18_DOMAIN: &str = include_str!("tracebacks/v18_domain_field.txt");
const TB19_DOMAIN: &str = include_str!("tracebacks/v19_domain_field.txt");
const TB18_FETCH: &str = include_str!("tracebacks/v18_fetch_field.txt");
const TB19_FETCH: &str = include_str!("tracebacks/v19_fetch_field.txt");
const TB18_DB: &str = include_str!("tracebacks/v18_unknown_db.txt");
const TB19_DB: &str = include_str!("tracebacks/v19_unknown_db.txt");
const TB_MARSHAL: &str = include_str!("tracebacks/v18_marshal.txt");

/// An unknown field in a domain leaf.
pub fn invalid_domain_field(
    version: OdooVersion,
    model: &str,
    field: &str,
    leaf: &[Value],
) -> Fault {
    let tuple = py_tuple(leaf);
    let (template, message) = match version {
        OdooVersion::V18 => (
            TB18_DOMAIN,
            format!("Invalid field {model}.{field} in leaf {tuple}"),
        ),
        OdooVersion::V19 => (
            TB19_DOMAIN,
            format!("Invalid field {model}.{field} in condition {tuple}"),
        ),
    };
    value_error(template, message, field)
}

/// An unknown field in `fields` of `read`/`search_read`.
pub fn invalid_fetch_field(version: OdooVersion, model: &str, field: &str) -> Fault {
    let f = py_str(field);
    let m = py_str(model);
    let (template, message) = match version {
        OdooVersion::V18 => (TB18_FETCH, format!("Invalid field {f} on model {m}")),
        OdooVersion::V19 => (TB19_FETCH, format!("Invalid field {f} on {m}")),
    };
    value_error(template, message, field)
}

/// An unknown field in `order` (both versions word it as 18's fetch).
pub fn invalid_order_field(model: &str, field: &str) -> Fault {
    let message = format!("Invalid field {} on model {}", py_str(field), py_str(model));
    value_error(TB18_FETCH, message, field)
}

/// An unknown field in the values of `create`.
pub fn invalid_create_field(version: OdooVersion, model: &str, field: &str) -> Fault {
    match version {
        OdooVersion::V18 => invalid_fetch_field(version, model, field),
        OdooVersion::V19 => {
            let message = format!("Invalid field {} in {}", py_str(field), py_str(model));
            value_error(TB19_FETCH, message, field)
        }
    }
}

/// An unknown field in the values of `write` (19 fails on the field lookup).
pub fn invalid_write_field(version: OdooVersion, model: &str, field: &str) -> Fault {
    match version {
        OdooVersion::V18 => invalid_fetch_field(version, model, field),
        OdooVersion::V19 => Fault::Server {
            name: "builtins.KeyError".into(),
            message: field.to_owned(),
            traceback: format!(
                "Traceback (most recent call last):\nKeyError: {}\n",
                py_str(field)
            ),
        },
    }
}

/// A required field left empty (PostgreSQL's NOT NULL, as Odoo words it).
pub fn not_null(
    version: OdooVersion,
    description: &str,
    model: &str,
    label: &str,
    field: &str,
) -> Fault {
    Fault::Validation(match version {
        OdooVersion::V18 => format!(
            "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: {description} ({model})\nField: {label} ({field})\n"
        ),
        OdooVersion::V19 => format!(
            "The operation cannot be completed: Missing required value for the field '{label}' ({field}).\nModel: '{description}' ({model})\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n"
        ),
    })
}

/// A public method the model does not have.
pub fn unknown_method(version: OdooVersion, model: &str, method: &str) -> Fault {
    let message = match version {
        OdooVersion::V18 => {
            format!("The method '{method}' does not exist on the model '{model}'")
        }
        OdooVersion::V19 => format!("The method '{model}.{method}' does not exist"),
    };
    Fault::Server {
        name: "builtins.AttributeError".into(),
        traceback: format!("Traceback (most recent call last):\nAttributeError: {message}\n"),
        message,
    }
}

fn value_error(template: &str, message: String, key: &str) -> Fault {
    let traceback = template
        .replace("{{KEY}}", &py_str(key))
        .replace("{{MESSAGE}}", &message);
    Fault::Server {
        name: "builtins.ValueError".into(),
        message,
        traceback,
    }
}

/// A database that does not exist (PostgreSQL refuses the connection).
pub fn unknown_database(version: OdooVersion, db: &str) -> Fault {
    let template = match version {
        OdooVersion::V18 => TB18_DB,
        OdooVersion::V19 => TB19_DB,
    };
    Fault::Server {
        name: "psycopg2.OperationalError".into(),
        message: format!(
            "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"{db}\" does not exist"
        ),
        traceback: template.replace("{{DB}}", db),
    }
}

/// XML-RPC cannot marshal a recordset returned by a method without
/// `@api.returns` (the effect is committed before this error).
pub fn cannot_marshal(model: &str) -> Fault {
    Fault::Server {
        name: "builtins.TypeError".into(),
        message: format!("cannot marshal <class 'odoo.api.{model}'> objects"),
        traceback: TB_MARSHAL.replace("{{MODEL}}", model),
    }
}

/// Private method called remotely.
pub fn private_method(version: OdooVersion, model: &str, method: &str) -> Fault {
    Fault::Access(match version {
        OdooVersion::V18 => {
            format!("Private methods (such as {method}) cannot be called remotely.")
        }
        OdooVersion::V19 => {
            format!("Private methods (such as '{model}.{method}') cannot be called remotely.")
        }
    })
}

/// `write`/`unlink` on ids that do not exist.
pub fn missing_record(model: &str, ids: &[i64], uid: i64) -> Fault {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    Fault::Missing(format!(
        "Record does not exist or has been deleted.\n(Record: {model}({},), User: {uid})",
        list.join(", ")
    ))
}

/// The message of an ACL refusal, in Odoo's `_make_access_error` format.
pub fn access_error(operation: &str, description: &str, model: &str, groups: &[String]) -> Fault {
    let verb = match operation {
        "write" => "modify",
        "create" => "create",
        "unlink" => "delete",
        _ => "access",
    };
    let head = format!("You are not allowed to {verb} '{description}' ({model}) records.");
    let info = if groups.is_empty() {
        "No group currently allows this operation.".to_owned()
    } else {
        let list: Vec<String> = groups.iter().map(|g| format!("\t- {g}")).collect();
        format!(
            "This operation is allowed for the following groups:\n{}",
            list.join("\n")
        )
    };
    Fault::Access(format!(
        "{head}\n\n{info}\n\nContact your administrator to request access if necessary."
    ))
}

/// Python's `repr` of a string.
pub fn py_str(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// Python's `repr` of a value (as a domain leaf prints in messages).
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Nil => "None".into(),
        Value::Double(d) if d.fract() == 0.0 && d.abs() < 1e16 => format!("{d:.1}"),
        Value::Double(d) => format!("{d}"),
        Value::String(s) | Value::DateTime(s) => py_str(s),
        Value::Base64(b) => format!("<{} bytes>", b.len()),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Struct(s) => {
            let items: Vec<String> = s
                .iter()
                .map(|(k, v)| format!("{}: {}", py_str(k), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// A domain leaf printed as the Python tuple Odoo shows.
pub fn py_tuple(items: &[Value]) -> String {
    let parts: Vec<String> = items.iter().map(py_repr).collect();
    format!("({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_the_recordings() {
        let leaf = [
            Value::from("no_such_field"),
            Value::from("="),
            Value::Int(1),
        ];
        let f = invalid_domain_field(OdooVersion::V18, "res.partner", "no_such_field", &leaf);
        assert_eq!(f.code(), 1);
        assert!(f.fault_string().ends_with(
            "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)\n"
        ));
        let f = invalid_fetch_field(OdooVersion::V19, "account.move.line", "blocked");
        assert!(f.fault_string().contains("KeyError: 'blocked'"));
        assert_eq!(f.json2().0, 500);
        let f = missing_record("res.partner", &[999999999], 2);
        assert_eq!(
            f.to_string(),
            "Record does not exist or has been deleted.\n(Record: res.partner(999999999,), User: 2)"
        );
        let f = access_error(
            "read",
            "Models",
            "ir.model",
            &["Administration/Access Rights".into()],
        );
        assert_eq!(f.code(), 4);
        assert_eq!(
            f.to_string(),
            "You are not allowed to access 'Models' (ir.model) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Access Rights\n\nContact your administrator to request access if necessary."
        );
    }
}
