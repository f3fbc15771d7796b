//! relanced: a payment follow-up (dunning) daemon for Odoo.
//!
//! The library holds everything; `main.rs` only parses arguments and calls in.
//! See `ARCHITECTURE.md` for the map: `odoo` reads and writes Odoo, `followup`
//! decides (pure), `render` writes emails and letters, `deliver` sends them,
//! `ledger` remembers what was done, `daemon` runs it all on a schedule.

pub mod app;
pub mod breaker;
pub mod check;
pub mod config;
pub mod console;
pub mod daemon;
pub mod deliver;
#[cfg(feature = "demo")]
pub mod demo;
pub mod desk;
pub mod execute;
pub mod followup;
pub mod ledger;
pub mod logging;
pub mod manual;
pub mod odoo;
pub mod operate;
pub mod present;
pub mod preview;
pub mod render;
pub mod select;
pub mod setup;
pub mod timing;
