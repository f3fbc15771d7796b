//! The Odoo double (`odoo_double`) over HTTP: access rules, `fields_get` against real
//! servers' answers, the book generator, XML-RPC and JSON-2, replays of recorded
//! exchanges, and the switches tests turn (faults, latency). Depends on this crate and
//! `odoo-wire` only, not on relanced.

mod support;

mod access;
mod fields;
mod generator;
mod protocols;
mod replay;
mod switches;
