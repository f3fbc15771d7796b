//! Builds the tera context from a `CommunicationView`: every string is cleaned of control
//! characters first, and a few derived values are added (`locale`, `is_business`).
//!
//! It must not format or escape anything: formatting is the filters' job, escaping is
//! tera's (autoescape on `.mjml`/`.html`).

use serde_json::Value as Json;

use super::error::RenderError;
use super::format::{has_forbidden, strip_control};
use super::model::CommunicationView;

/// The context every template of a communication is rendered with.
pub fn build_context(comm: &CommunicationView) -> Result<tera::Context, RenderError> {
    let mut json = serde_json::to_value(comm).map_err(|e| RenderError::Data(e.to_string()))?;
    clean_strings(&mut json);
    let mut ctx =
        tera::Context::from_serialize(&json).map_err(|e| RenderError::Data(e.to_string()))?;
    ctx.insert("locale", &strip_control(&comm.lang));
    ctx.insert("is_business", &comm.customer.is_business());
    Ok(ctx)
}

fn clean_strings(value: &mut Json) {
    match value {
        Json::String(s) if has_forbidden(s) => *s = strip_control(s),
        Json::Array(items) => items.iter_mut().for_each(clean_strings),
        Json::Object(map) => map.values_mut().for_each(clean_strings),
        _ => {}
    }
}
