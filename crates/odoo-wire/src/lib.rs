//! What goes over the wire between relanced and Odoo, and nothing about dunning: the
//! values Odoo exchanges ([`Value`], [`Struct`]), the XML-RPC codec of Odoo's dialect,
//! the conversion to and from JSON, one [`Call`](call::Call), the classified
//! [`OdooError`](error::OdooError), and the HTTP transports (XML-RPC, JSON-2) that
//! perform one request each. Retries, sessions, the concurrency limit and the circuit
//! breaker belong to the client that uses this crate (relanced's `OdooClient`); the
//! Odoo double (`odoo-double`) speaks the same codec from the server's side.

pub mod call;
pub mod error;
pub mod json;
pub mod transport;
pub mod value;
pub mod xmlrpc;

pub use call::{Call, Effect, SearchOptions, ServerVersion, ids_of, leaf};
pub use error::{ErrorKind, OdooError};
pub use value::{Struct, Value};
