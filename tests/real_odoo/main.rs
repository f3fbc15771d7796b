//! relanced against real Odoo servers (`../shared/odoo-real/`): Odoo 18.0 over XML-RPC,
//! 19.0 over XML-RPC and 19.0 over JSON-2, every effect read back from Odoo itself.

#[macro_use]
pub mod support;
#[path = "../common/smtp.rs"]
#[allow(dead_code)]
mod smtp_support;

mod book;
mod common;
mod crash;
mod outage;
mod smoke;
