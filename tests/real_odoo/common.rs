//! What several real-Odoo scenarios share: a one-level strategy and the emails of a
//! mailbox counted per customer.

use crate::smtp_support::Aiosmtpd;
use std::collections::BTreeMap;

/// Strategy "S": one level, `amical` at +3 days with `actions`, marker "Relance 1" (green),
/// minimum 5 EUR, calls to user 2 when a customer has no salesperson.
pub fn level_one(actions: &str) -> String {
    format!(
        r#"
[followup]
fallback_user = 2

[[strategy]]
name = "S"
default = true
min_amount = {{ EUR = 5.0 }}
min_interval_days = 7

[[strategy.level]]
key = "amical"
label = "Rappel amical"
offset_days = 3
actions = {actions}
marker = {{ tag = "Relance 1", color = 10 }}
"#
    )
}

/// Emails in the mailbox per customer, read from each email's action key
/// (`X-Relanced-Action: c1/p<customer>/…`).
pub fn emails_per_customer(smtp: &Aiosmtpd) -> BTreeMap<i64, usize> {
    let mut per = BTreeMap::new();
    for raw in smtp.messages() {
        let text = String::from_utf8_lossy(&raw);
        let customer = text
            .lines()
            .find_map(|l| l.strip_prefix("X-Relanced-Action: "))
            .and_then(|k| k.split('/').nth(1))
            .and_then(|p| p.strip_prefix('p'))
            .and_then(|p| p.trim().parse().ok())
            .expect("every email names its action");
        *per.entry(customer).or_default() += 1;
    }
    per
}
