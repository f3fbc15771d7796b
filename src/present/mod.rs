//! What commands print: plans as a table, CSV or JSON, their summary, and the
//! difference between two plans. Text only; no I/O beyond the strings returned.

pub mod console;
pub mod ledger;
pub mod plan;
pub mod plans;
pub mod run;
