//! Everything that talks to Odoo: the values it exchanges, the XML-RPC codec,
//! the transports, typed records and errors, and the Odoo double used by tests
//! and `relanced demo`. Nothing here decides who gets reminded.

pub mod api;
pub mod client;
pub mod error;
pub mod features;
pub mod json;
pub mod records;
pub mod sim;
pub mod snapshot;
pub mod transport;
pub mod value;
pub mod writeback;
pub mod xmlrpc;

pub use api::{Call, Effect, OdooApi, SearchOptions, ServerVersion, leaf};
pub use client::{Connection, OdooClient, Session};
pub use error::{ErrorKind, OdooError};
pub use value::{Struct, Value};
