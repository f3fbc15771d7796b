//! `relanced check`, rights: every read and write relanced performs, and for a missing
//! one the Odoo group that grants it (from Odoo's own refusal, or named here per version
//! when `has_access` answers only yes or no). The models read are those declared in
//! `odoo::records`. It reads only.

use super::Report;
use crate::odoo::api::{Call, OdooApi, leaf};
use crate::odoo::error::{ErrorKind, OdooError};
use crate::odoo::records::{MODELS, Use};
use crate::odoo::{OdooClient, Value};

/// A group of a standard Odoo, as each version names it (Odoo 19 renamed them).
#[derive(Clone, Copy, Debug)]
struct Group {
    odoo18: &'static str,
    odoo19: &'static str,
}

impl Group {
    fn name(self, major: u32) -> &'static str {
        if major >= 19 {
            self.odoo19
        } else {
            self.odoo18
        }
    }
}

const INTERNAL_USER: Group = Group {
    odoo18: "User types / Internal User",
    odoo19: "Role / User",
};
const CONTACT_CREATION: Group = Group {
    odoo18: "Extra Rights / Contact Creation",
    odoo19: "Contact / Creation",
};

/// Operations relanced performs, and the group of a standard Odoo that grants each to
/// an internal user (`has_access` answers only yes or no: the group is ours to name).
const WRITE_RIGHTS: &[(&str, &str, Group)] = &[
    ("res.partner", "write", CONTACT_CREATION),
    ("res.partner.category", "create", CONTACT_CREATION),
    ("mail.activity", "create", INTERNAL_USER),
    ("ir.attachment", "create", INTERNAL_USER),
];

/// The models relanced reads (those it only writes to are checked by `WRITE_RIGHTS`); a
/// refusal names the group from Odoo's own message.
fn read_models() -> impl Iterator<Item = &'static str> {
    MODELS
        .iter()
        .filter(|m| {
            m.fields
                .iter()
                .any(|f| matches!(f.usage, Use::Read | Use::Filter))
        })
        .map(|m| m.name)
}

/// Checks every read and write right relanced needs.
pub(super) async fn check_rights(client: &OdooClient, major: u32, report: &mut Report) {
    for model in read_models() {
        match client
            .search_count(model, vec![leaf("id", "=", 0)], None)
            .await
        {
            Ok(_) => report.ok("rights", format!("read {model}")),
            Err(e) => report.fail("rights", missing_right("read", model, &e, None)),
        }
    }
    for (model, operation, group) in WRITE_RIGHTS.iter().copied() {
        let call = Call::read(model, "has_access")
            .ids(&[])
            .arg("operation", operation);
        match client.call(call).await {
            Ok(Value::Bool(true)) => report.ok("rights", format!("{operation} {model}")),
            Ok(_) => report.fail(
                "rights",
                format!(
                    "{operation} {model}: not allowed; the group {:?} grants it",
                    group.name(major)
                ),
            ),
            Err(e) => report.fail(
                "rights",
                missing_right(operation, model, &e, Some(group.name(major))),
            ),
        }
    }
}

fn missing_right(
    operation: &str,
    model: &str,
    e: &OdooError,
    fallback_group: Option<&str>,
) -> String {
    let groups = match &e.kind {
        ErrorKind::AccessDenied { groups } => internal_groups(groups),
        _ => Vec::new(),
    };
    match &e.kind {
        ErrorKind::AccessDenied { .. } if !groups.is_empty() => {
            format!(
                "{operation} {model}: not allowed; the group {} grants it",
                quoted(&groups)
            )
        }
        ErrorKind::AccessDenied { .. } => match fallback_group {
            Some(g) => format!("{operation} {model}: not allowed; the group {g:?} grants it"),
            None => format!("{operation} {model}: not allowed ({})", e.message),
        },
        _ => format!("{operation} {model}: {e}"),
    }
}

/// The groups an internal bot user can be given, of those Odoo names: Odoo also lists the
/// portal and public groups (their record rules let customers read their own invoices),
/// which an internal user cannot join.
fn internal_groups(groups: &[String]) -> Vec<String> {
    groups
        .iter()
        .filter(|g| {
            let last = g.rsplit('/').next().unwrap_or(g).trim();
            !matches!(last, "Portal" | "Public")
        })
        .cloned()
        .collect()
}

fn quoted(groups: &[String]) -> String {
    groups
        .iter()
        .map(|g| format!("{g:?}"))
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_and_public_groups_are_not_offered_to_a_bot_user() {
        // As real Odoo 18 and 19 name the groups reading account.move.line.
        let odoo18 = [
            "Invoicing/Administrator",
            "Invoicing/Invoicing",
            "Technical/Show Accounting Features - Readonly",
            "User types/Portal",
        ];
        let odoo19 = ["Accounting/Invoicing", "Role / Portal", "Role / Public"];
        let kept =
            |g: &[&str]| internal_groups(&g.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(kept(&odoo18), &odoo18[..3]);
        assert_eq!(kept(&odoo19), ["Accounting/Invoicing"]);
    }

    #[test]
    fn groups_are_named_as_the_server_version_names_them() {
        assert_eq!(CONTACT_CREATION.name(18), "Extra Rights / Contact Creation");
        assert_eq!(CONTACT_CREATION.name(19), "Contact / Creation");
        assert_eq!(INTERNAL_USER.name(19), "Role / User");
    }
}
