//! The `relanced` binary as an operator runs it, as a child process: `once` end to end on
//! the double with aiosmtpd (`act_*`), `check`, `plan`, the other commands, and the
//! daemon (`run`).

#[path = "../common/mod.rs"]
mod common;

mod act_commands;
mod act_crash;
mod act_desk;
mod act_faults;
mod act_notes;
mod act_run;
mod act_timelines;
mod check_cli;
mod commands_cli;
mod daemon_run;
mod plan_cli;
