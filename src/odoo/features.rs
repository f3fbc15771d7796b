//! Feature detection by `fields_get`: which optional fields this server has.
//! Never assume a version's fields: Odoo ≤ 17 has `account.move.line.blocked`, 19 has
//! `no_followup`, 18 has neither; Enterprise adds `followup_*` fields on partners;
//! 19 renamed `res.users.groups_id` to `group_ids` and dropped `res.partner.mobile`.

use crate::odoo::api::OdooApi;
use crate::odoo::error::OdooError;

/// What this server's models offer, detected once per run.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ServerFeatures {
    /// `account.move.line.blocked` (Odoo ≤ 17).
    pub line_blocked: bool,
    /// `account.move.line.no_followup` (Odoo ≥ 19).
    pub line_no_followup: bool,
    /// Enterprise follow-up fields on `res.partner` (`followup_status`, …).
    pub partner_followup_fields: Vec<String>,
    /// `res.partner.mobile` (gone in 19).
    pub partner_mobile: bool,
    /// The many2many of a user's groups: `groups_id` (≤ 18) or `group_ids` (19).
    pub user_groups_field: String,
}

impl ServerFeatures {
    /// The three models' fields, asked together.
    pub async fn detect(api: &impl OdooApi) -> Result<Self, OdooError> {
        let (lines, partners, users) = tokio::try_join!(
            api.fields_get("account.move.line"),
            api.fields_get("res.partner"),
            api.fields_get("res.users"),
        )?;
        let mut followup: Vec<String> = partners
            .iter()
            .map(|(k, _)| k)
            .filter(|k| k.starts_with("followup_"))
            .map(str::to_owned)
            .collect();
        followup.sort();
        Ok(Self {
            line_blocked: lines.get("blocked").is_some(),
            line_no_followup: lines.get("no_followup").is_some(),
            partner_followup_fields: followup,
            partner_mobile: partners.get("mobile").is_some(),
            user_groups_field: if users.get("group_ids").is_some() {
                "group_ids"
            } else {
                "groups_id"
            }
            .to_owned(),
        })
    }

    /// The optional per-line exclusion flag to read, if any.
    pub fn line_flag_field(&self) -> Option<&'static str> {
        if self.line_no_followup {
            Some("no_followup")
        } else if self.line_blocked {
            Some("blocked")
        } else {
            None
        }
    }
}
