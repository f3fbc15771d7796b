//! What the integration test binaries of relanced share: the Odoo double with a book,
//! real SMTP servers (aiosmtpd writing a Maildir, smtp-sink), a throwaway PostgreSQL
//! cluster, configuration writers and the `relanced` binary run as a child process.
//! Each binary (`tests/<group>/main.rs`) declares `mod common;` and uses what it needs,
//! hence `dead_code` (and unused re-exports) are allowed here and only here. Nothing here asserts what relanced
//! should do: the tests do; helpers only set up and read back.
#![allow(dead_code, unused_imports)]

pub mod act;
pub mod daemon;
pub mod deliver;
pub mod files;
pub mod followup;
pub mod ledger;
pub mod pg;
pub mod smtp;

/// The relanced binary built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_relanced");

pub use smtp::free_port;

use odoo_double::{OdooVersion, Sim, SimHandle, SimOptions, World};

/// The Odoo double playing Odoo 18 (XML-RPC) over `world`, served from this process.
pub async fn start_double(world: World) -> SimHandle {
    Sim::start(SimOptions {
        version: OdooVersion::V18,
        world,
    })
    .await
    .expect("start the Odoo double")
}
