//! relanced's side of Odoo: the client (retries, sessions, concurrency limit, breaker),
//! typed records, the snapshot read for the engine and the write-back. What goes over
//! the wire (values, XML-RPC codec, JSON, transports, errors) is the `odoo_wire` crate,
//! re-exported here; the Odoo double is the `odoo_double` crate, reached only by
//! `relanced demo` (feature `demo`) and the tests. Nothing here decides who gets reminded.

pub mod api;
pub mod client;
pub mod company;
pub mod counters;
pub mod features;
pub mod records;
pub mod snapshot;
pub mod writeback;

pub use api::{Call, Effect, OdooApi, SearchOptions, ServerVersion, leaf};
pub use client::{Connection, OdooClient, Session};
pub use odoo_wire::{ErrorKind, OdooError, Struct, Value};
pub use odoo_wire::{error, json, transport, value, xmlrpc};
