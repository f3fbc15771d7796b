//! The ledger (`relanced::ledger`) on SQLite and on a throwaway PostgreSQL cluster: one
//! list of scenarios run against both, runs, concurrent writers.

#[path = "../common/mod.rs"]
mod common;

mod concurrency;
mod desk;
mod postgres;
mod runs;
mod sqlite;
mod suite;
