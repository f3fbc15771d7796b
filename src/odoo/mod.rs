//! Everything that talks to Odoo: the values it exchanges, the XML-RPC codec,
//! the transports, typed records and errors, and the Odoo double used by tests
//! and `relanced demo`. Nothing here decides who gets reminded.

pub mod json;
pub mod sim;
pub mod value;
pub mod xmlrpc;

pub use value::{Struct, Value};
