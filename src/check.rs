//! `relanced check`: what a sysadmin needs to know before the first run. It validates
//! the configuration, connects, and lists every problem (not just the first): version
//! and edition, protocol, the user and its email, the companies, the fields and objects
//! relanced relies on, missing rights with the Odoo group that grants each, and counts
//! of open items and customers per company. The fields and the models read are those the
//! record types of `odoo::records` declare. It writes nothing.

use crate::config::Config;
use crate::odoo::OdooClient;
use crate::odoo::api::OdooApi;
use crate::odoo::features::ServerFeatures;

mod companies;
mod fields;
mod local;
mod minimums;
mod rights;
mod user;

use companies::check_companies;
use fields::{check_fields, describe_features};
pub use local::{check_ledger, check_templates};
use rights::check_rights;
use user::check_user;

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

    let features = match ServerFeatures::detect(client).await {
        Ok(f) => f,
        Err(e) => {
            report.fail("fields", e.to_string());
            ServerFeatures::default()
        }
    };
    let through_odoo = config.mail.transport == crate::config::MailTransportKind::Odoo;
    let user_companies = check_user(client, &session, &features, through_odoo, report).await;
    check_fields(client, report).await;
    describe_features(&features, report);
    check_rights(client, session.version.major, report).await;
    check_companies(config, client, &user_companies, report).await;
}
