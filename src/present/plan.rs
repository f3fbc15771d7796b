//! `relanced plan` output: a table grouped by level, CSV, JSON, a summary line, and the
//! difference with a previous plan (customers that changed level, new ones, ones that
//! dropped out).

use crate::followup::explain::money;
use crate::followup::{CustomerId, Decision, NothingReason, Outcome, Plan};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The level a decision shows: `2 standard`, or the reason for doing nothing.
fn level_of(d: &Decision) -> (u32, String) {
    match &d.decision {
        Outcome::Communicate(c) => (c.level, format!("{} {}", c.level, c.key)),
        Outcome::Nothing { reason } => (0, format!("nothing: {}", reason_label(reason))),
    }
}

/// Short, stable names of the reasons for doing nothing.
pub fn reason_label(reason: &NothingReason) -> &'static str {
    match reason {
        NothingReason::NotFollowed { .. } => "not followed",
        NothingReason::NoOpenItem => "no open item",
        NothingReason::NetCredit { .. } => "net credit",
        NothingReason::Postponed { .. } => "postponed",
        NothingReason::BelowMinimum => "below minimum",
        NothingReason::NothingDue => "nothing due",
        NothingReason::Gated { .. } => "too soon after the last reminder",
    }
}

fn amounts(d: &Decision) -> String {
    let parts: Vec<String> = d
        .totals
        .iter()
        .filter(|t| !t.overdue.is_zero())
        .map(|t| format!("{} {}", money(t.overdue), t.currency))
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" + ")
    }
}

fn recipients(d: &Decision) -> String {
    match (
        d.recipients.is_empty(),
        d.no_email,
        d.communication().is_some(),
    ) {
        (_, true, true) => "no email: letter".into(),
        (true, _, _) => "-".into(),
        (false, _, _) => d
            .recipients
            .iter()
            .map(|r| r.email.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(n.saturating_sub(1)).collect();
        c.push('…');
        c
    }
}

/// The table: customers who get something first, by level (highest first), then the
/// others by reason. `explain` shows whole explanations instead of cutting them.
pub fn table(plan: &Plan, explain: bool) -> String {
    let mut rows: Vec<&Decision> = plan.decisions.iter().collect();
    rows.sort_by(|a, b| {
        let (la, sa) = level_of(a);
        let (lb, sb) = level_of(b);
        lb.cmp(&la)
            .then(sa.cmp(&sb))
            .then(a.customer_id.cmp(&b.customer_id))
    });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Plan for company {} as of {}",
        plan.company_id, plan.as_of
    );
    let mut current = String::new();
    for d in rows {
        let (_, group) = level_of(d);
        if group != current {
            let _ = writeln!(out, "\n== {group}");
            let _ = writeln!(
                out,
                "{:>7}  {:<32} {:>18}  {:<34} why",
                "id", "customer", "overdue", "recipients"
            );
            current = group;
        }
        let why = if explain {
            d.explanation.clone()
        } else {
            cut(&d.explanation, 90)
        };
        let _ = writeln!(
            out,
            "{:>7}  {:<32} {:>18}  {:<34} {}",
            d.customer_id,
            cut(&printable(&d.customer_name), 32),
            amounts(d),
            cut(&recipients(d), 34),
            printable(&why)
        );
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "\nwarning: {w}");
    }
    let _ = writeln!(out, "\n{}", summary(plan));
    out
}

/// One line: customers per level, without email, skipped per reason.
pub fn summary(plan: &Plan) -> String {
    let mut per_level: BTreeMap<(u32, String), usize> = BTreeMap::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut no_email = 0;
    let mut manual = 0;
    for d in &plan.decisions {
        match &d.decision {
            Outcome::Communicate(c) => {
                *per_level.entry((c.level, c.key.clone())).or_default() += 1;
                if d.no_email {
                    no_email += 1;
                }
                if c.approval == crate::followup::Approval::Manual {
                    manual += 1;
                }
            }
            Outcome::Nothing { reason } => *skipped.entry(reason_label(reason)).or_default() += 1,
        }
    }
    let levels: Vec<String> = per_level
        .iter()
        .map(|((n, k), c)| format!("{n} {k}: {c}"))
        .collect();
    let skips: Vec<String> = skipped.iter().map(|(r, c)| format!("{r}: {c}")).collect();
    format!(
        "{} customers; to remind: {} ({}); awaiting approval: {manual}; without email: {no_email}; nothing to do: {}",
        plan.decisions.len(),
        per_level.values().sum::<usize>(),
        if levels.is_empty() {
            "none".into()
        } else {
            levels.join(", ")
        },
        if skips.is_empty() {
            "none".into()
        } else {
            skips.join(", ")
        },
    )
}

/// Control characters and line breaks from Odoo data never reach the terminal.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn csv_field(s: &str) -> String {
    let s = printable(s);
    // A leading =, +, -, @ would be a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    };
    if s.contains([',', '"', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One row per customer.
pub fn csv(plan: &Plan) -> String {
    let mut out = String::from(
        "company_id,customer_id,customer,strategy,level,level_key,outcome,currency_totals,recipients,no_email,marker,explanation\n",
    );
    for d in &plan.decisions {
        let (level, key, outcome) = match &d.decision {
            Outcome::Communicate(c) => {
                (c.level.to_string(), c.key.clone(), "communicate".to_owned())
            }
            Outcome::Nothing { reason } => (
                String::new(),
                String::new(),
                reason_label(reason).to_owned(),
            ),
        };
        let totals: Vec<String> = d
            .totals
            .iter()
            .map(|t| format!("{} {}", t.overdue, t.currency))
            .collect();
        let fields = [
            plan.company_id.to_string(),
            d.customer_id.to_string(),
            csv_field(&d.customer_name),
            csv_field(d.strategy.as_deref().unwrap_or("")),
            level,
            key,
            outcome,
            csv_field(&totals.join(" + ")),
            csv_field(
                &d.recipients
                    .iter()
                    .map(|r| r.email.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            d.no_email.to_string(),
            csv_field(d.marker.as_ref().map(|m| m.tag.as_str()).unwrap_or("")),
            csv_field(&d.explanation),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

/// A customer's position in a plan, for comparisons.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Position {
    pub customer_id: CustomerId,
    pub customer_name: String,
    /// 0 = nothing.
    pub level: u32,
}

/// Positions of a plan (also readable from a previous plan's JSON).
pub fn positions(plan: &Plan) -> BTreeMap<CustomerId, Position> {
    plan.decisions
        .iter()
        .map(|d| {
            (
                d.customer_id,
                Position {
                    customer_id: d.customer_id,
                    customer_name: d.customer_name.clone(),
                    level: level_of(d).0,
                },
            )
        })
        .collect()
}

/// Positions from the JSON of a previous `relanced plan --format json`.
pub fn positions_from_json(json: &serde_json::Value) -> Option<BTreeMap<CustomerId, Position>> {
    let plans: Vec<&serde_json::Value> = match json {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut out = BTreeMap::new();
    for plan in plans {
        for d in plan.get("decisions")?.as_array()? {
            let id = CustomerId::from(d.get("customer_id")?.as_i64()?);
            let name = d.get("customer_name")?.as_str()?.to_owned();
            let decision = d.get("decision")?;
            let level = match decision.get("kind")?.as_str()? {
                "communicate" => decision.get("level")?.as_u64()? as u32,
                _ => 0,
            };
            out.insert(
                id,
                Position {
                    customer_id: id,
                    customer_name: name,
                    level,
                },
            );
        }
    }
    Some(out)
}

/// Changes between a previous and a current plan.
pub fn diff(
    previous: &BTreeMap<CustomerId, Position>,
    current: &BTreeMap<CustomerId, Position>,
) -> String {
    let mut out = String::new();
    let (mut up, mut down, mut new, mut gone) = (0, 0, 0, 0);
    for (id, now) in current {
        match previous.get(id) {
            None if now.level > 0 => {
                new += 1;
                let _ = writeln!(
                    out,
                    "new      {id:>7} {:<32} level {}",
                    cut(&printable(&now.customer_name), 32),
                    now.level
                );
            }
            Some(before) if before.level != now.level => {
                let word = if now.level > before.level {
                    up += 1;
                    "up"
                } else {
                    down += 1;
                    "down"
                };
                let _ = writeln!(
                    out,
                    "{word:<8} {id:>7} {:<32} level {} → {}",
                    cut(&printable(&now.customer_name), 32),
                    before.level,
                    now.level
                );
            }
            _ => {}
        }
    }
    for (id, before) in previous {
        if before.level > 0 && !current.contains_key(id) {
            gone += 1;
            let _ = writeln!(
                out,
                "gone     {id:>7} {:<32} was level {}",
                cut(&printable(&before.customer_name), 32),
                before.level
            );
        }
    }
    let _ = writeln!(out, "{up} up, {down} down, {new} new, {gone} dropped out");
    out
}
