//! The follow-up engine (`relanced::followup`): strategies and their configuration,
//! rules, day-by-day timelines, explanations in the customer's language, properties.
//! Pure library calls: no Odoo, no SMTP, no database.

#[path = "../common/mod.rs"]
mod common;

mod config;
mod default_strategy;
mod explain_lang;
mod properties;
mod rules;
mod timelines;
