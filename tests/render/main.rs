//! Rendering (`relanced::render`): templates against golden files, amounts and escaping,
//! letterheads, PDF letters through WeasyPrint, previews.

#[path = "../common/mod.rs"]
mod common;

mod amounts;
mod escaping;
mod letterhead;
mod pdf;
mod preview;
mod templates;
