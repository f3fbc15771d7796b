//! Rendering (`relanced::render`): templates against golden files, amounts and escaping,
//! letterheads, PDF letters through WeasyPrint, previews.

#[path = "../common/mod.rs"]
mod common;

mod amounts;
mod escaping;
mod letterhead;
mod paragraph;
mod pdf;
mod preview;
mod print;
mod templates;
