//! Who may do what: credentials, access rights per model and group (the part
//! of Odoo's `ir.model.access` relanced meets), allowed companies and the
//! multi-company record rules.
//!
//! Texts follow Odoo's `_make_access_error`: the refusal names the groups that
//! would allow the operation, so that `relanced check` can tell which group
//! is missing. This module decides access only; it never changes records.

use crate::OdooVersion;
use crate::faults::{self, Fault};
use crate::world::{UserAccess, World};
use odoo_wire::Value;

pub const GROUP_USER: &str = "base.group_user";
pub const GROUP_PARTNER_MANAGER: &str = "base.group_partner_manager";
pub const GROUP_ERP_MANAGER: &str = "base.group_erp_manager";
pub const GROUP_SYSTEM: &str = "base.group_system";
pub const GROUP_PORTAL: &str = "base.group_portal";
pub const GROUP_BILLING: &str = "account.group_account_invoice";
pub const GROUP_BILLING_ADMIN: &str = "account.group_account_manager";
pub const GROUP_ACCOUNT_READONLY: &str = "account.group_account_readonly";

/// Every group the double knows, with the names access errors give it on Odoo 18
/// (`Category/Name`) and 19 (`Privilege/Name`, or the bare name of a group without
/// privilege, listed after the others), as the real servers answer.
pub const GROUPS: &[(&str, &str, &str)] = &[
    (
        GROUP_ERP_MANAGER,
        "Administration/Access Rights",
        "~Access Rights",
    ),
    (
        GROUP_SYSTEM,
        "Administration/Settings",
        "~Role / Administrator",
    ),
    (
        GROUP_PARTNER_MANAGER,
        "Extra Rights/Contact Creation",
        "Contact/Creation",
    ),
    (GROUP_BILLING, "Invoicing/Invoicing", "Accounting/Invoicing"),
    (
        GROUP_BILLING_ADMIN,
        "Invoicing/Administrator",
        "Accounting/Administrator",
    ),
    (
        GROUP_ACCOUNT_READONLY,
        "Technical/Show Accounting Features - Readonly",
        "~Show Accounting Features - Readonly",
    ),
    (GROUP_USER, "User types/Internal User", "~Role / User"),
    (GROUP_PORTAL, "User types/Portal", "~Role / Portal"),
];

/// The name of group `xmlid` in access errors of `version`, with its sort key (Odoo
/// orders by privilege, groups without one last, then by name).
fn group_name(version: OdooVersion, xmlid: &str) -> Option<(String, String)> {
    let (_, v18, v19) = GROUPS.iter().find(|(g, _, _)| *g == xmlid)?;
    Some(match version {
        OdooVersion::V18 => ((*v18).to_owned(), (*v18).to_owned()),
        OdooVersion::V19 => match v19.strip_prefix('~') {
            Some(bare) => (format!("~{bare}"), bare.to_owned()),
            None => ((*v19).to_owned(), (*v19).to_owned()),
        },
    })
}

/// The groups an administrator has.
pub fn admin_groups() -> Vec<String> {
    GROUPS
        .iter()
        .filter(|(g, _, _)| *g != GROUP_PORTAL)
        .map(|(g, _, _)| (*g).to_owned())
        .collect()
}

/// Access rights: (model, group, operations among `r`ead `w`rite `c`reate `u`nlink).
const ACL: &[(&str, &str, &str)] = &[
    ("res.partner", GROUP_USER, "r"),
    ("res.partner", GROUP_PARTNER_MANAGER, "rwcu"),
    ("res.partner", GROUP_PORTAL, "r"),
    ("res.partner.category", GROUP_USER, "r"),
    ("res.partner.category", GROUP_PARTNER_MANAGER, "rwcu"),
    ("res.company", GROUP_USER, "r"),
    ("res.company", GROUP_SYSTEM, "rwcu"),
    ("res.currency", GROUP_USER, "r"),
    ("res.country", GROUP_USER, "r"),
    ("res.users", GROUP_USER, "r"),
    ("res.users", GROUP_ERP_MANAGER, "rwcu"),
    ("account.move", GROUP_BILLING, "rwcu"),
    ("account.move", GROUP_BILLING_ADMIN, "r"),
    ("account.move", GROUP_ACCOUNT_READONLY, "r"),
    ("account.move", GROUP_PORTAL, "r"),
    ("account.move.line", GROUP_BILLING, "rwcu"),
    ("account.move.line", GROUP_BILLING_ADMIN, "r"),
    ("account.move.line", GROUP_ACCOUNT_READONLY, "r"),
    ("account.move.line", GROUP_PORTAL, "r"),
    ("account.account", GROUP_BILLING, "r"),
    ("account.journal", GROUP_BILLING, "r"),
    ("account.payment", GROUP_BILLING, "rwcu"),
    ("account.payment.term", GROUP_USER, "r"),
    ("mail.activity", GROUP_USER, "rwcu"),
    ("mail.activity.type", GROUP_USER, "r"),
    ("mail.activity.type", GROUP_SYSTEM, "rwcu"),
    ("mail.message", GROUP_USER, "rwcu"),
    ("mail.message.subtype", GROUP_USER, "r"),
    ("ir.attachment", GROUP_USER, "rwcu"),
    ("ir.model", GROUP_ERP_MANAGER, "r"),
    ("ir.model.data", GROUP_USER, "r"),
    ("ir.model.data", GROUP_ERP_MANAGER, "rwcu"),
];

/// The human name of a model (`_description`), as access errors show it.
pub fn description(model: &str) -> &str {
    match model {
        "res.partner" => "Contact",
        "res.partner.category" => "Partner Tags",
        "res.company" => "Companies",
        "res.currency" => "Currency",
        "res.country" => "Country",
        "res.users" => "User",
        "account.move" => "Journal Entry",
        "account.move.line" => "Journal Item",
        "account.account" => "Account",
        "account.journal" => "Journal",
        "account.payment" => "Payments",
        "account.payment.term" => "Payment Terms",
        "mail.activity" => "Activity",
        "mail.activity.type" => "Activity Type",
        "mail.message" => "Message",
        "mail.message.subtype" => "Message subtypes",
        "ir.attachment" => "Attachment",
        "ir.model" => "Models",
        "ir.model.data" => "Model Data",
        other => other,
    }
}

/// `operation`: `read`, `write`, `create` or `unlink`.
pub fn check_model(
    version: OdooVersion,
    user: &UserAccess,
    model: &str,
    operation: &str,
) -> Result<(), Fault> {
    let letter = match operation {
        "write" => 'w',
        "create" => 'c',
        "unlink" => 'u',
        _ => 'r',
    };
    let allowed = |g: &str| {
        ACL.iter()
            .any(|(m, grp, ops)| *m == model && *grp == g && ops.contains(letter))
    };
    if user.groups.iter().any(|g| allowed(g)) {
        return Ok(());
    }
    let mut named: Vec<(String, String)> = GROUPS
        .iter()
        .filter(|(g, _, _)| allowed(g))
        .filter_map(|(g, _, _)| group_name(version, g))
        .collect();
    named.sort();
    let names: Vec<String> = named.into_iter().map(|(_, name)| name).collect();
    Err(faults::access_error(
        operation,
        description(model),
        model,
        &names,
    ))
}

/// The companies of the environment: `allowed_company_ids` from the context
/// when given (each must be one of the user's), else all the user's companies.
pub fn companies(user: &UserAccess, context: Option<&Value>) -> Result<Vec<i64>, Fault> {
    let asked = context
        .and_then(Value::as_struct)
        .and_then(|c| c.get("allowed_company_ids"))
        .and_then(Value::as_ids);
    match asked {
        Some(ids) if !ids.is_empty() => {
            if ids.iter().all(|id| user.company_ids.contains(id)) {
                Ok(ids)
            } else {
                Err(Fault::Access(
                    "Access to unauthorized or invalid companies.".into(),
                ))
            }
        }
        _ => Ok(user.company_ids.clone()),
    }
}

/// The multi-company record rule: records with a company must belong to one of
/// `companies`; records without a company are shared.
pub fn visible(world: &World, model: &str, id: i64, companies: &[i64]) -> bool {
    let company = match model {
        "account.move" | "account.move.line" | "res.partner" | "ir.attachment" => {
            world.m2o(model, id, "company_id")
        }
        _ => None,
    };
    company.is_none_or(|c| companies.contains(&c))
}

/// The user a login and secret belong to (password or API key).
pub fn authenticate(world: &World, login: &str, secret: &str) -> Option<i64> {
    world
        .users
        .values()
        .find(|u| u.login == login && secret_ok(u, secret))
        .map(|u| u.uid)
}

/// Whether `secret` is the user's password or one of its API keys.
pub fn secret_ok(user: &UserAccess, secret: &str) -> bool {
    user.password.as_deref() == Some(secret) || user.api_keys.iter().any(|k| k == secret)
}

/// The user an API key belongs to (JSON-2 bearer authentication).
pub fn by_api_key<'w>(world: &'w World, key: &str) -> Option<&'w UserAccess> {
    world
        .users
        .values()
        .find(|u| u.api_keys.iter().any(|k| k == key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(groups: &[&str]) -> UserAccess {
        UserAccess {
            uid: 8,
            login: "bot".into(),
            password: Some("pw".into()),
            api_keys: vec![],
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
            company_ids: vec![1],
            company_id: 1,
            lang: "en_US".into(),
            tz: "Europe/Brussels".into(),
        }
    }

    #[test]
    fn a_user_without_billing_is_told_which_groups_may_read_journal_items() {
        let u = user(&[GROUP_USER, GROUP_PARTNER_MANAGER]);
        let err = check_model(OdooVersion::V18, &u, "account.move.line", "read").unwrap_err();
        assert_eq!(err.code(), 4);
        let text = err.to_string();
        assert!(text.starts_with(
            "You are not allowed to access 'Journal Item' (account.move.line) records."
        ));
        assert!(text.contains("\n\t- Invoicing/Invoicing\n"));
        let err = check_model(OdooVersion::V19, &u, "account.move.line", "read").unwrap_err();
        assert!(err.to_string().contains(
            "\t- Accounting/Administrator\n\t- Accounting/Invoicing\n\t- Role / Portal\n\t- Show Accounting Features - Readonly\n"
        ));
        let billing = user(&[GROUP_USER, GROUP_BILLING]);
        assert!(check_model(OdooVersion::V18, &billing, "account.move.line", "read").is_ok());
        assert!(check_model(OdooVersion::V18, &billing, "ir.model", "read").is_err());
    }

    #[test]
    fn companies_outside_the_users_are_refused() {
        let u = user(&[GROUP_USER]);
        let ctx = odoo_wire::Struct::new().with("allowed_company_ids", vec![2i64]);
        let err = companies(&u, Some(&Value::Struct(ctx))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Access to unauthorized or invalid companies."
        );
        assert_eq!(companies(&u, None).unwrap(), vec![1]);
    }
}
