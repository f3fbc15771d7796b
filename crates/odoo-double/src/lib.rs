//! The Odoo double: an in-process HTTP server that plays Odoo 18 or 19 for
//! tests and `relanced demo`, speaking XML-RPC (`/xmlrpc/2/common`,
//! `/xmlrpc/2/object`) and, as 19, JSON-2 (`/json/2/<model>/<method>`).
//!
//! It holds in-memory records with the real models' fields, evaluates domains,
//! enforces the access rules relanced relies on, answers Odoo's fault codes
//! and texts (checked against the recordings in `../shared`, and against real
//! Odoo 18 and 19 servers by `tests/real_odoo_double`), injects
//! failures on demand and generates data sets from a seed. It must not read
//! `../shared` at run time (everything it needs is embedded) and must never
//! be used to talk to a real Odoo.

mod access;
mod compute;
mod defaults;
pub mod domain;
pub mod faults;
pub mod fields;
mod gen_moves;
mod gen_names;
mod gen_reference;
pub mod generator;
mod json2;
mod like;
mod methods;
mod orm;
#[cfg(test)]
mod orm_tests;
mod recorded;
mod recorded_dbs;
mod sanitize;
mod seed;
mod server;
mod signatures;
mod special;
pub mod switches;
pub mod world;
mod xmlrpc;

pub use access::{
    GROUP_ACCOUNT_READONLY, GROUP_BILLING, GROUP_BILLING_ADMIN, GROUP_ERP_MANAGER,
    GROUP_PARTNER_MANAGER, GROUP_SYSTEM, GROUP_USER,
};
pub use faults::Fault;
pub use generator::GeneratorOptions;
pub use recorded::{RECORDED_API_KEY, RECORDED_BOT_UID};
pub use switches::{CallRecord, Matcher, Served, Switches};
pub use world::{UserAccess, World};

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;

/// Which Odoo the double plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OdooVersion {
    V18,
    V19,
}

/// How to start the double.
#[derive(Clone, Debug)]
pub struct SimOptions {
    pub version: OdooVersion,
    pub world: World,
}

impl SimOptions {
    /// The database the recordings of `version` were made on.
    pub fn recorded(version: OdooVersion) -> SimOptions {
        SimOptions {
            version,
            world: World::recorded(version),
        }
    }

    /// A generated world, played as `options.version`.
    pub fn generated(options: &GeneratorOptions) -> SimOptions {
        SimOptions {
            version: options.version,
            world: World::generated(options),
        }
    }
}

/// The double could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the Odoo double could not listen on 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
}

/// Entry point.
pub struct Sim;

impl Sim {
    /// Starts serving on `127.0.0.1:<free port>` (needs a tokio runtime).
    pub async fn start(options: SimOptions) -> Result<SimHandle, SimError> {
        let shared = Arc::new(server::Shared {
            version: options.version,
            world: Mutex::new(options.world),
            switches: Switches::default(),
        });
        let token = CancellationToken::new();
        let (addr, task) = server::spawn(shared.clone(), token.clone()).await?;
        Ok(SimHandle {
            shared,
            addr,
            token,
            task: Some(task),
        })
    }
}

/// A running double. Dropping it stops the server.
pub struct SimHandle {
    shared: Arc<server::Shared>,
    addr: SocketAddr,
    token: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SimHandle {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn version(&self) -> OdooVersion {
        self.shared.version
    }

    /// Failure injection and the call log.
    pub fn switches(&self) -> &Switches {
        &self.shared.switches
    }

    /// Every call served so far.
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.switches.calls()
    }

    /// Number of calls that changed (or tried to change) data.
    pub fn write_calls(&self) -> u64 {
        self.shared.switches.write_calls()
    }

    /// Reads or changes the records while the server runs.
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.world())
    }

    /// Stops accepting and closes open connections.
    pub async fn stop(mut self) {
        self.token.cancel();
        if let Some(task) = self.task.take() {
            // The task only ends by cancellation; a join error means it panicked,
            // which the tests already saw.
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.token.cancel();
    }
}
