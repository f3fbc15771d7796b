//! `relanced check`: what a sysadmin needs to know before the first run. It validates
//! the configuration, connects, and lists every problem (not just the first): version
//! and edition, protocol, the user and its email, the companies, the fields and objects
//! relanced relies on, missing rights with the Odoo group that grants each, and counts
//! of open items and customers per company. It writes nothing.

use crate::config::Config;
use crate::odoo::api::{Call, OdooApi, leaf};
use crate::odoo::error::{ErrorKind, OdooError};
use crate::odoo::features::Features;
use crate::odoo::{OdooClient, Value};
use std::collections::BTreeSet;

mod companies;
mod local;
mod minimums;

use companies::check_companies;
pub use local::{check_ledger, check_templates};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    pub area: &'static str,
    pub status: Status,
    pub what: String,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn ok(&mut self, area: &'static str, what: impl Into<String>) {
        self.findings.push(Finding {
            area,
            status: Status::Ok,
            what: what.into(),
        });
    }
    pub fn warn(&mut self, area: &'static str, what: impl Into<String>) {
        self.findings.push(Finding {
            area,
            status: Status::Warn,
            what: what.into(),
        });
    }
    pub fn fail(&mut self, area: &'static str, what: impl Into<String>) {
        self.findings.push(Finding {
            area,
            status: Status::Fail,
            what: what.into(),
        });
    }
    /// True when nothing failed: the exit code of `relanced check` is 0 only then.
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.status != Status::Fail)
    }

    /// Human form, one line per finding.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let mark = match f.status {
                Status::Ok => "ok  ",
                Status::Warn => "warn",
                Status::Fail => "FAIL",
            };
            out.push_str(&format!("{mark} {:<9} {}\n", f.area, f.what));
        }
        let fails = self
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .count();
        let warns = self
            .findings
            .iter()
            .filter(|f| f.status == Status::Warn)
            .count();
        out.push_str(&match fails {
            0 => format!("\nall checks passed ({warns} warning(s))\n"),
            n => format!("\n{n} problem(s), {warns} warning(s): relanced cannot run until the problems are fixed\n"),
        });
        out
    }
}

/// Models and fields relanced reads or writes; a missing one is a failure.
const REQUIRED_FIELDS: &[(&str, &[&str])] = &[
    (
        "account.move.line",
        &[
            "move_id",
            "partner_id",
            "company_id",
            "date",
            "date_maturity",
            "amount_residual",
            "amount_residual_currency",
            "currency_id",
            "account_type",
            "parent_state",
            "reconciled",
            "move_name",
        ],
    ),
    (
        "account.move",
        &[
            "name",
            "move_type",
            "payment_state",
            "invoice_user_id",
            "currency_id",
            "payment_reference",
        ],
    ),
    (
        "res.partner",
        &[
            "name",
            "commercial_partner_id",
            "lang",
            "email",
            "vat",
            "category_id",
            "user_id",
            "type",
            "parent_id",
            "is_company",
            "country_code",
        ],
    ),
    ("res.partner.category", &["name", "color"]),
    (
        "mail.activity",
        &[
            "res_model",
            "res_id",
            "activity_type_id",
            "date_deadline",
            "user_id",
            "summary",
            "note",
        ],
    ),
    ("mail.activity.type", &["name", "category"]),
    (
        "ir.attachment",
        &["name", "datas", "res_model", "res_id", "mimetype"],
    ),
    (
        "res.currency",
        &["name", "symbol", "decimal_places", "position"],
    ),
    ("res.company", &["name", "currency_id", "partner_id"]),
];

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

/// Reads relanced needs; a refusal names the group from Odoo's own message.
const READ_RIGHTS: &[&str] = &[
    "account.move.line",
    "account.move",
    "res.partner",
    "res.partner.category",
    "mail.activity",
    "mail.activity.type",
    "res.currency",
    "res.company",
];

/// Runs every check against Odoo and appends the findings.
pub async fn check_odoo(config: &Config, client: &OdooClient, report: &mut Report) {
    let version = match client.version().await {
        Ok(v) => v,
        Err(e) => {
            report.fail("odoo", format!("cannot reach {}: {e}", config.odoo.url));
            return;
        }
    };
    report.ok(
        "odoo",
        format!(
            "Odoo {} ({}) at {}",
            version.server_version,
            if version.enterprise {
                "Enterprise"
            } else {
                "Community"
            },
            config.odoo.url
        ),
    );
    let session = match client.session().await {
        Ok(s) => s.clone(),
        Err(e) => {
            report.fail("odoo", e.to_string());
            return;
        }
    };
    report.ok(
        "odoo",
        format!(
            "protocol {:?}, database {:?}",
            session.protocol, config.odoo.database
        ),
    );
    if session.version.major >= 19 && session.protocol == crate::config::Protocol::Xmlrpc {
        report.warn("odoo", "XML-RPC is deprecated since Odoo 19 and announced to disappear in 22: set odoo.protocol = \"auto\"");
    }

    let features = match Features::detect(client).await {
        Ok(f) => f,
        Err(e) => {
            report.fail("fields", e.to_string());
            Features::default()
        }
    };
    let through_odoo = config.mail.transport == crate::config::MailTransportKind::Odoo;
    let user_companies = check_user(client, &session, &features, through_odoo, report).await;
    check_fields(client, report).await;
    describe_features(&features, report);
    check_rights(client, session.version.major, report).await;
    check_companies(config, client, &user_companies, report).await;
}

async fn check_user(
    client: &OdooClient,
    session: &crate::odoo::Session,
    features: &Features,
    mail_through_odoo: bool,
    report: &mut Report,
) -> BTreeSet<i64> {
    let uid = session.uid;
    let groups = features.user_groups_field.as_str();
    let fields = ["login", "name", "partner_id", "company_ids", groups];
    let users = match client.read("res.users", &[uid], &fields, None).await {
        Ok(u) => u,
        Err(e) => {
            report.fail("user", e.to_string());
            return BTreeSet::new();
        }
    };
    let Some(user) = users.first() else {
        report.fail("user", format!("user {uid} cannot be read"));
        return BTreeSet::new();
    };
    let login = user.get("login").and_then(Value::as_str).unwrap_or("?");
    let name = user.get("name").and_then(Value::as_str).unwrap_or("?");
    report.ok("user", format!("logged in as {name:?} ({login}, id {uid})"));
    // The email of a user is its partner's (users inherit partners); message_post
    // checks the author partner's address.
    let partner = user
        .get("partner_id")
        .and_then(Value::as_many2one)
        .map(|(id, _)| id);
    let email = match partner {
        Some(id) => match client.read("res.partner", &[id], &["email"], None).await {
            Ok(rows) => rows
                .first()
                .and_then(|r| r.get("email"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            Err(e) => {
                report.fail("user", format!("cannot read the user's contact: {e}"));
                None
            }
        },
        None => None,
    };
    match email.filter(|e| !e.is_empty()) {
        Some(email) => report.ok("user", format!("email address {email}")),
        None => {
            let (status, what) = without_email(session.version.major, mail_through_odoo);
            report.findings.push(Finding {
                area: "user",
                status,
                what,
            });
        }
    }
    let companies: BTreeSet<i64> = user
        .get("company_ids")
        .and_then(Value::as_ids)
        .unwrap_or_default()
        .into_iter()
        .collect();
    report.ok("user", format!("allowed companies: {:?}", companies));
    companies
}

async fn check_fields(client: &OdooClient, report: &mut Report) {
    for (model, fields) in REQUIRED_FIELDS {
        match client.fields_get(model).await {
            Ok(have) => {
                let missing: Vec<&str> = fields
                    .iter()
                    .copied()
                    .filter(|f| have.get(f).is_none())
                    .collect();
                if missing.is_empty() {
                    report.ok(
                        "fields",
                        format!("{model}: the {} fields relanced uses exist", fields.len()),
                    );
                } else {
                    report.fail(
                        "fields",
                        format!("{model}: missing field(s) {}", missing.join(", ")),
                    );
                }
            }
            Err(e) if e.kind == ErrorKind::UnknownModel => {
                report.fail(
                    "fields",
                    format!("{model}: model missing (is the Invoicing module installed?)"),
                );
            }
            Err(e) => report.fail("fields", e.to_string()),
        }
    }
}

fn describe_features(features: &Features, report: &mut Report) {
    match features.line_flag_field() {
        Some(field) => report.ok(
            "fields",
            format!("items flagged `{field}` in Odoo are left alone"),
        ),
        None => report.ok(
            "fields",
            "no per-item follow-up flag on this version (neither `blocked` nor `no_followup`)",
        ),
    }
    if !features.partner_followup_fields.is_empty() {
        report.warn(
            "fields",
            format!(
                "Enterprise follow-up is installed ({}): make sure it is not also sending reminders",
                features.partner_followup_fields.join(", ")
            ),
        );
    }
}

/// What a bot user without email means on this Odoo. Up to 18, `message_post` refuses its
/// notes (`_message_compute_author`); 19 posts them, and only its emails sent through Odoo
/// leave without a sender address (seen on real Odoo 18 and 19).
fn without_email(major: u32, mail_through_odoo: bool) -> (Status, String) {
    let fix = "set one in Settings → Users";
    if major <= 18 {
        return (
            Status::Fail,
            format!(
                "the user has no email address: Odoo refuses its chatter notes (\"Unable to send message, \
                 please configure the sender's email address.\"); {fix}"
            ),
        );
    }
    let status = if mail_through_odoo {
        Status::Fail
    } else {
        Status::Warn
    };
    (
        status,
        format!(
            "the user has no email address: Odoo {major} posts its notes, but emails sent through Odoo \
             (mail.transport = \"odoo\") have no sender address; {fix}"
        ),
    )
}

async fn check_rights(client: &OdooClient, major: u32, report: &mut Report) {
    for model in READ_RIGHTS {
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
    fn a_user_without_email_fails_up_to_odoo_18_and_warns_on_19() {
        assert_eq!(without_email(18, false).0, Status::Fail);
        assert!(
            without_email(18, false)
                .1
                .contains("refuses its chatter notes")
        );
        assert_eq!(without_email(19, false).0, Status::Warn);
        assert_eq!(without_email(19, true).0, Status::Fail);
        assert!(without_email(19, true).1.contains("no sender address"));
    }

    #[test]
    fn groups_are_named_as_the_server_version_names_them() {
        assert_eq!(CONTACT_CREATION.name(18), "Extra Rights / Contact Creation");
        assert_eq!(CONTACT_CREATION.name(19), "Contact / Creation");
        assert_eq!(INTERNAL_USER.name(19), "Role / User");
    }
}
