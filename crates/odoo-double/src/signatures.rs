//! How Odoo's XML-RPC dispatcher fails when positional and keyword arguments do not
//! fit the Python method they reach, as the real servers answer: `create` without
//! positional records (`call_kw` reads `args[0]`), an argument given both ways, and
//! the keyword `vals` of `write` on Odoo 18 models whose top override names it
//! `values`. JSON-2 names every argument itself and never meets these.
//!
//! This module only judges the shape of a call; it never runs a method.

use crate::OdooVersion;
use crate::faults::Fault;
use odoo_wire::{Struct, Value};

/// Odoo 18 models relanced may write whose topmost `write` override is
/// `def write(self, values)` (checked on the 18.0 sources and the real server:
/// `mail.thread` and `base_vat` for `res.partner`, `mail` for `mail.activity`,
/// `base` for users and companies), with the Python class named in the error.
/// `res.partner.category`, `ir.attachment` and `account.move` accept `vals`.
const WRITE_NAMES_VALUES_18: &[(&str, &str)] = &[
    ("res.partner", "ResPartner"),
    ("mail.activity", "MailActivity"),
    ("res.users", "ResUsers"),
    ("res.company", "ResCompany"),
];

fn type_error(message: String) -> Fault {
    Fault::Server {
        name: "builtins.TypeError".into(),
        traceback: format!("Traceback (most recent call last):\nTypeError: {message}\n"),
        message,
    }
}

/// The fault Odoo answers to `execute_kw(…, model, method, args, kwargs)` before
/// running the method, if any. `names`: the method's positional parameter names after
/// the ids (`record`: whether `args[0]` holds the ids).
pub fn check(
    version: OdooVersion,
    model: &str,
    method: &str,
    record: bool,
    names: &[&str],
    args: &[Value],
    kwargs: &Struct,
) -> Option<Fault> {
    if method == "create" && args.is_empty() {
        return Some(create_without_positional_records(version));
    }
    let positional = args.len().saturating_sub(usize::from(record));
    if let Some(twice) = names
        .iter()
        .take(positional)
        .find(|n| kwargs.get(n).is_some())
    {
        return Some(type_error(format!(
            "BaseModel.{method}() got multiple values for argument '{twice}'"
        )));
    }
    if method == "write"
        && version == OdooVersion::V18
        && kwargs.get("vals").is_some()
        && let Some((_, class)) = WRITE_NAMES_VALUES_18.iter().find(|(m, _)| *m == model)
    {
        return Some(type_error(format!(
            "{class}.write() got an unexpected keyword argument 'vals'"
        )));
    }
    None
}

/// `create` over XML-RPC with its records as the keyword `vals_list` and no positional
/// argument: Odoo's `call_kw` reads `args[0]` to choose between one id and a list, fails
/// after creating, and rolls the transaction back (nothing is created). 18 passes the
/// arguments as a tuple, 19 as a list.
pub fn create_without_positional_records(version: OdooVersion) -> Fault {
    let message = match version {
        OdooVersion::V18 => "tuple index out of range",
        OdooVersion::V19 => "list index out of range",
    }
    .to_owned();
    Fault::Server {
        name: "builtins.IndexError".into(),
        traceback: format!(
            "Traceback (most recent call last):\n  File \"/odoo/odoo/api.py\", line 520, in call_kw\n    result = result.id if isinstance(args[0], Mapping) else result.ids\n                                     ~~~~^^^\nIndexError: {message}\n"
        ),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_arguments_fail_where_real_odoo_fails() {
        let vals = Struct::new().with("vals", Struct::new().with("name", "x"));
        let ids = [Value::from(vec![1i64])];
        let partner = check(
            OdooVersion::V18,
            "res.partner",
            "write",
            true,
            &["vals"],
            &ids,
            &vals,
        );
        assert_eq!(
            partner.map(|f| f.to_string()),
            Some("ResPartner.write() got an unexpected keyword argument 'vals'".into())
        );
        assert!(
            check(
                OdooVersion::V19,
                "res.partner",
                "write",
                true,
                &["vals"],
                &ids,
                &vals
            )
            .is_none()
        );
        let tag = check(
            OdooVersion::V18,
            "res.partner.category",
            "write",
            true,
            &["vals"],
            &ids,
            &vals,
        );
        assert!(tag.is_none());
        let domain = Struct::new().with("domain", Value::Array(vec![]));
        let twice = check(
            OdooVersion::V19,
            "res.partner",
            "search_read",
            false,
            &["domain"],
            &ids,
            &domain,
        );
        assert_eq!(
            twice.map(|f| f.to_string()),
            Some("BaseModel.search_read() got multiple values for argument 'domain'".into())
        );
        let created = check(
            OdooVersion::V19,
            "res.partner",
            "create",
            false,
            &["vals_list"],
            &[],
            &Struct::new(),
        );
        assert_eq!(
            created.map(|f| f.to_string()),
            Some("list index out of range".into())
        );
    }
}
