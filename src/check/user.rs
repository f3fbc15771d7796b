//! `relanced check`, the user relanced logs in as: who it is, whether its contact has the
//! email address Odoo needs to post notes (and to send emails through Odoo), and which
//! companies it may access. It reads only; the findings go to the [`Report`].

use super::{Finding, Report, Status};
use crate::odoo::api::OdooApi;
use crate::odoo::features::ServerFeatures;
use crate::odoo::{OdooClient, Session, Value};
use std::collections::BTreeSet;

/// Checks the user and returns the companies it may access.
pub(super) async fn check_user(
    client: &OdooClient,
    session: &Session,
    features: &ServerFeatures,
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
