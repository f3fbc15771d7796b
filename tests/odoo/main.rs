//! relanced's Odoo client (`relanced::odoo`) against the Odoo double: connection, reads,
//! write-back, errors. The wire codec itself is tested in `crates/odoo-wire`.

#[path = "../common/mod.rs"]
mod common;

mod client;
