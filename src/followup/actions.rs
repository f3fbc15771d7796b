//! The actions of a level for one customer: email recipients (invoice contacts, else the
//! customer's address, else a letter instead), and the responsible user for calls and
//! activities (customer salesperson, invoice salesperson, configured or fallback user).
//!
//! Decides only; sending and writing to Odoo are the executor's.

use chrono::{Days, NaiveDate};

use super::decision::{PlannedAction, Recipient, Responsible, ResponsibleSource};
use super::model::{Customer, Invoice};
use super::strategy::{Level, LevelAction, ResponsibleRule, Settings};

fn usable(email: Option<&str>) -> Option<&str> {
    email.map(str::trim).filter(|e| e.contains('@'))
}

/// Invoice-type child contacts with an email; else the customer's own email.
pub fn recipients(customer: &Customer) -> Vec<Recipient> {
    let mut list: Vec<Recipient> = customer
        .invoice_contacts
        .iter()
        .filter_map(|c| {
            usable(c.email.as_deref()).map(|e| Recipient {
                partner_id: c.id,
                name: c.name.clone(),
                email: e.to_owned(),
                lang: c.lang.clone().or_else(|| customer.lang.clone()),
            })
        })
        .collect();
    if list.is_empty()
        && let Some(e) = usable(customer.email.as_deref())
    {
        list.push(Recipient {
            partner_id: customer.id.get(),
            name: customer.name.clone(),
            email: e.to_owned(),
            lang: customer.lang.clone(),
        });
    }
    list.sort_by(|a, b| (a.partner_id, &a.email).cmp(&(b.partner_id, &b.email)));
    list.dedup_by(|a, b| a.email.eq_ignore_ascii_case(&b.email));
    list
}

/// Who gets the calls and activities of `level`. `largest_invoice` is the invoice of
/// the largest overdue item of the communication.
pub fn responsible(
    level: &Level,
    customer: &Customer,
    largest_invoice: Option<&Invoice>,
    settings: &Settings,
) -> Option<Responsible> {
    let from_customer = || {
        customer
            .salesperson
            .as_ref()
            .map(|u| Responsible::from_user(u, ResponsibleSource::CustomerSalesperson))
    };
    let from_invoice = || {
        largest_invoice
            .and_then(|i| i.salesperson.as_ref())
            .map(|u| Responsible::from_user(u, ResponsibleSource::InvoiceSalesperson))
    };
    let fallback = || {
        level
            .fallback_user
            .or(settings.fallback_user)
            .map(|id| Responsible {
                user_id: id,
                name: None,
                source: ResponsibleSource::Fallback,
            })
    };
    match level.responsible {
        ResponsibleRule::Salesperson => from_customer().or_else(from_invoice).or_else(fallback),
        ResponsibleRule::InvoiceSalesperson => {
            from_invoice().or_else(from_customer).or_else(fallback)
        }
        ResponsibleRule::User(id) => Some(Responsible {
            user_id: id,
            name: None,
            source: ResponsibleSource::Configured,
        }),
    }
}

/// The planned actions of `level`; an email without recipients becomes a letter.
/// Returns the actions and the "no email" flag.
pub fn planned_actions(
    level: &Level,
    has_recipients: bool,
    as_of: NaiveDate,
) -> (Vec<PlannedAction>, bool) {
    let mut actions = Vec::new();
    let mut no_email = false;
    let wants_letter = level.actions.contains(&LevelAction::Letter);
    let days = level
        .activity
        .as_ref()
        .map_or(0, |a| u64::try_from(a.deadline_days).unwrap_or(0));
    let deadline = as_of.checked_add_days(Days::new(days)).unwrap_or(as_of);
    for kind in &level.actions {
        match kind {
            LevelAction::Email if has_recipients => actions.push(PlannedAction::Email),
            LevelAction::Email => {
                no_email = true;
                if !wants_letter {
                    actions.push(PlannedAction::Letter {
                        instead_of_email: true,
                    });
                }
            }
            LevelAction::Letter => actions.push(PlannedAction::Letter {
                instead_of_email: false,
            }),
            LevelAction::Call => actions.push(PlannedAction::Call {
                deadline,
                summary: level.activity.as_ref().map(|a| a.summary.clone()),
            }),
            LevelAction::Activity => {
                let spec = level.activity.clone().unwrap_or_default();
                actions.push(PlannedAction::Activity { spec, deadline });
            }
        }
    }
    (actions, no_email)
}
