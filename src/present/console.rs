//! What the console shows, as plain serializable views built from plans, runs and
//! actions: today's plan by level (with the customers without email and the ones
//! waiting for approval apart), one customer's situation and history, a run's actions.
//! Pure functions; the pages render them, the wording is the templates'.

use crate::followup::{Decision, Plan, PlannedAction};
use crate::ledger::Action;
use serde::Serialize;

/// One customer in today's plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanLine {
    pub company_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub strategy: String,
    pub level_key: String,
    pub level_label: String,
    /// `email`, `letter`, `call`, `activity`.
    pub channels: Vec<&'static str>,
    /// The engine's reason in the operator's words (English).
    pub explanation: String,
    /// The same reason in the company's language (`Settings::lang`), as in the Odoo note.
    pub explanation_company: String,
    pub no_email: bool,
    pub manual: bool,
    /// Total due, per currency, e.g. `1200.00 EUR`.
    pub total: String,
}

/// The customers due for one level of one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LevelGroup {
    pub strategy: String,
    pub key: String,
    pub label: String,
    pub manual: bool,
    pub lines: Vec<PlanLine>,
}

/// Today's plan as the console shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TodayView {
    pub groups: Vec<LevelGroup>,
    /// Customers getting a letter because they have no email address.
    pub no_email: Vec<PlanLine>,
    /// Customers whose level waits for a person's approval.
    pub manual: Vec<PlanLine>,
    pub customers: usize,
}

/// The line of a decision that communicates.
pub fn line(company_id: i64, d: &Decision) -> Option<PlanLine> {
    let c = d.communication()?;
    let channels = c
        .actions
        .iter()
        .map(|a| match a {
            PlannedAction::Email => "email",
            PlannedAction::Letter { .. } => "letter",
            PlannedAction::Call { .. } => "call",
            PlannedAction::Activity { .. } => "activity",
        })
        .collect();
    Some(PlanLine {
        company_id,
        customer_id: d.customer_id.get(),
        customer_name: d.customer_name.clone(),
        strategy: d.strategy.clone().unwrap_or_default(),
        level_key: c.key.clone(),
        level_label: c.label.clone(),
        channels,
        explanation: d.explanation.clone(),
        explanation_company: c.explanation_odoo.clone(),
        no_email: d.no_email,
        manual: c.approval == crate::followup::Approval::Manual,
        total: total(d),
    })
}

/// `1200.00 EUR` (and more currencies, comma separated).
pub fn total(d: &Decision) -> String {
    d.totals
        .iter()
        .map(|t| format!("{:.2} {}", t.total_due, t.currency))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Today's plan grouped by strategy and level, in plan order.
pub fn today(plans: &[Plan]) -> TodayView {
    let mut view = TodayView::default();
    for plan in plans {
        for d in &plan.decisions {
            let Some(line) = line(plan.company_id.get(), d) else {
                continue;
            };
            view.customers += 1;
            if line.no_email {
                view.no_email.push(line.clone());
            }
            if line.manual {
                view.manual.push(line.clone());
            }
            let group = match view
                .groups
                .iter_mut()
                .find(|g| g.strategy == line.strategy && g.key == line.level_key)
            {
                Some(g) => g,
                None => {
                    view.groups.push(LevelGroup {
                        strategy: line.strategy.clone(),
                        key: line.level_key.clone(),
                        label: line.level_label.clone(),
                        manual: line.manual,
                        lines: Vec::new(),
                    });
                    view.groups.last_mut().expect("just pushed")
                }
            };
            group.lines.push(line);
        }
    }
    view
}

/// A customer's decision in `plans`, with its company.
pub fn find(plans: &[Plan], customer: i64) -> Option<(i64, &Decision)> {
    plans.iter().find_map(|p| {
        p.decisions
            .iter()
            .find(|d| d.customer_id.get() == customer)
            .map(|d| (p.company_id.get(), d))
    })
}

/// A time as the console shows it: `2026-11-22 09:30 UTC`.
pub fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A run as the console lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunLine {
    pub id: i64,
    pub kind: String,
    pub status: String,
    /// Words of the console's table naming the kind and the status (`kind_launch`).
    pub kind_word: String,
    pub status_word: String,
    pub as_of: String,
    pub started: String,
    pub finished: Option<String>,
    /// From the run's summary: emails and letters sent, actions that failed.
    pub emails: u64,
    pub letters: u64,
    pub failures: u64,
    /// Why the run failed or stopped, when its summary says.
    pub problem: Option<String>,
}

pub fn run_line(r: &crate::ledger::Run) -> RunLine {
    RunLine {
        id: r.id.0,
        kind: r.kind.as_str().to_owned(),
        status: r.status.as_str().to_owned(),
        kind_word: format!("kind_{}", r.kind.as_str()),
        status_word: format!("status_{}", r.status.as_str()),
        as_of: r.as_of.to_string(),
        started: when(r.started_at),
        finished: r.finished_at.map(when),
        emails: count(r, "emails"),
        letters: count(r, "letters"),
        failures: r
            .summary
            .as_ref()
            .and_then(|s| s.get("failures"))
            .and_then(|f| f.as_array())
            .map_or(0, |f| f.len() as u64),
        problem: r.summary.as_ref().and_then(|s| {
            s.get("error")
                .and_then(|e| e.as_str())
                .map(str::to_owned)
                .or_else(|| {
                    s.get("halted")
                        .filter(|h| !h.is_null())
                        .map(|h| h.to_string())
                })
        }),
    }
}

/// A number of the run's summary (0 when absent).
fn count(r: &crate::ledger::Run, key: &str) -> u64 {
    r.summary
        .as_ref()
        .and_then(|s| s.get(key))
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

/// An open item as the console lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemLine {
    pub move_id: i64,
    pub invoice: String,
    pub due_date: String,
    pub days_overdue: i64,
    /// `1200.00 EUR`.
    pub amount: String,
    /// Levels: reached so far, due now.
    pub level_sent: u32,
    pub level_due: Option<u32>,
}

pub fn items(items: &[crate::followup::ListedItem]) -> Vec<ItemLine> {
    items
        .iter()
        .map(|i| ItemLine {
            invoice: i.move_name.clone(),
            due_date: i.due_date.to_string(),
            days_overdue: i.days_overdue,
            amount: format!("{:.2} {}", i.residual, i.currency),
            move_id: i.move_id,
            level_sent: i.level_sent,
            level_due: i.level_due,
        })
        .collect()
}

/// One recorded action as the console lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActionLine {
    pub id: i64,
    pub run_id: i64,
    pub date: String,
    pub customer_id: i64,
    pub level_key: String,
    pub kind: String,
    pub state: String,
    /// The console's word for the state (`act_done`).
    pub state_word: String,
    pub recipients: String,
    /// The document's file name, when there is one.
    pub document: Option<String>,
    pub error: Option<String>,
}

pub fn action_line(a: &Action) -> ActionLine {
    ActionLine {
        id: a.id.0,
        run_id: a.run_id.0,
        date: when(a.created_at),
        customer_id: a.customer_id.get(),
        level_key: a.level_key.clone(),
        kind: a.kind.as_str().to_owned(),
        state: a.state.as_str().to_owned(),
        state_word: format!("act_{}", a.state.as_str()),
        recipients: a.recipients.join(", "),
        document: a
            .document_path
            .as_deref()
            .and_then(|p| std::path::Path::new(p).file_name())
            .map(|n| n.to_string_lossy().into_owned()),
        error: a.last_error.clone(),
    }
}

/// The actions of a run a person looks at: its emails and letters, and whatever failed
/// or is uncertain (notes, markers and bookkeeping rows that went well are left out).
pub fn run_lines(actions: &[Action]) -> Vec<&Action> {
    use crate::ledger::{ActionKind, ActionState};
    actions
        .iter()
        .filter(|a| {
            matches!(a.kind, ActionKind::Email | ActionKind::Letter)
                || matches!(a.state, ActionState::Failed | ActionState::Uncertain)
        })
        .collect()
}

/// A customer's page: its situation (desk) as the console shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomerView {
    pub company_id: i64,
    pub name: String,
    pub strategy: Option<String>,
    pub excluded: bool,
    pub explanation: String,
    pub total: String,
    pub items: Vec<ItemLine>,
    /// The invoices that can be postponed: `(move_id, number)`, each once.
    pub invoices: Vec<(i64, String)>,
    pub reminders: Vec<ReminderLine>,
    pub next: Option<crate::desk::situation::NextReminder>,
    pub postponements: Vec<crate::desk::situation::PostponementView>,
    /// The paragraph waiting for the next reminder, and who wrote it.
    pub paragraph: Option<(String, String)>,
}

/// An email or letter already sent.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReminderLine {
    pub run_id: i64,
    pub date: String,
    pub level_key: String,
    pub channel: String,
    pub state: String,
    pub state_word: String,
    pub recipients: String,
    pub document: Option<String>,
}

pub fn customer(s: &crate::desk::situation::CustomerSituation) -> CustomerView {
    let mut invoices: Vec<(i64, String)> = Vec::new();
    for i in &s.items {
        if !invoices.iter().any(|(id, _)| *id == i.move_id) {
            invoices.push((i.move_id, i.move_name.clone()));
        }
    }
    CustomerView {
        company_id: s.company.get(),
        name: s.name.clone(),
        strategy: s.strategy.clone(),
        excluded: s.excluded,
        explanation: s.explanation.clone(),
        total: s
            .totals
            .iter()
            .map(|t| format!("{:.2} {}", t.total_due, t.currency))
            .collect::<Vec<_>>()
            .join(", "),
        items: items(&s.items),
        invoices,
        reminders: s
            .reminders
            .iter()
            .map(|r| ReminderLine {
                run_id: r.run.0,
                date: r.date.to_string(),
                level_key: r.level_key.clone(),
                channel: r.channel.as_str().to_owned(),
                state: r.state.as_str().to_owned(),
                state_word: format!("act_{}", r.state.as_str()),
                recipients: r.recipients.join(", "),
                document: r
                    .document_path
                    .as_deref()
                    .and_then(|p| std::path::Path::new(p).file_name())
                    .map(|n| n.to_string_lossy().into_owned()),
            })
            .collect(),
        next: s.next.clone(),
        postponements: s.postponements.clone(),
        paragraph: s
            .paragraph
            .as_ref()
            .map(|p| (p.text.clone(), p.set_by_name.clone())),
    }
}
