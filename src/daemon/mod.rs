//! The daemon: when to run (schedule), and later the loop, signals, systemd notify and
//! watchdog, health and metrics. It never decides who gets reminded.

pub mod schedule;
