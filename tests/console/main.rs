//! The credit controller's console in a real browser: headless Chromium driven over
//! WebDriver (chromedriver, `fantoccini`), the console served by the library in-process
//! (the same `console::serve` the daemon spawns) on a real Odoo 18 over XML-RPC
//! (`../shared/odoo-real`), users created by the test in Odoo. Screenshots of each page
//! go to `target/console-shots/`.
//!
//! Never skipped: without Chromium or chromedriver the tests fail saying what to install.

#[macro_use]
#[path = "../real_odoo/support/mod.rs"]
pub mod support;

mod browser;
mod served;

mod access;
mod daemon;
mod flow;
mod uncertain;
