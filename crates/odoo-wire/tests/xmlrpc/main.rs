//! The XML-RPC codec of Odoo's dialect (`odoo_wire::xmlrpc`): the dialect in detail,
//! CPython's `xmlrpc.client` as a differential reference, fuzzing, and the recordings
//! of real Odoo 18/19 servers (`../shared`). Depends on this crate only, not on relanced.

mod support;

mod dialect;
mod differential;
mod fuzz;
mod recordings;
