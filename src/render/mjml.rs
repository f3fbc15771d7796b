//! MJML → HTML with mrml.
//!
//! What mrml does (checked in mrml 6 source): it renders the MJML components into the
//! table-based, email-client-safe HTML of the reference MJML implementation, with the
//! components' attributes (and `mj-attributes` defaults) written as inline `style`
//! attributes; `mj-style` blocks go into a `<style>` element in the head (they are only
//! inlined with mrml's optional `css-inline` feature, which we do not enable). So the
//! templates style through component attributes and `mj-attributes`, never through
//! `mj-style`, and the result needs no further inlining. `mj-include` is refused (the
//! default loader reads nothing), so a template cannot pull in files.
//!
//! This module must receive MJML whose data is already escaped (tera's autoescape).

use mrml::prelude::render::RenderOptions;

/// Converts MJML to HTML; the error describes the problem and where in the MJML.
pub fn mjml_to_html(mjml: &str) -> Result<String, String> {
    let parsed = mrml::parse(mjml).map_err(|e| describe(mjml, &e.to_string()))?;
    let opts = RenderOptions {
        disable_comments: true,
        ..RenderOptions::default()
    };
    parsed
        .element
        .render(&opts)
        .map_err(|e| format!("cannot render the MJML to HTML: {e}"))
}

fn describe(mjml: &str, error: &str) -> String {
    // mrml positions are byte offsets into the generated MJML: give the line.
    let offset = error
        .rsplit("position ")
        .next()
        .and_then(|p| p.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|d| d.parse::<usize>().ok());
    match offset {
        Some(o) if o <= mjml.len() => {
            let line = mjml.as_bytes()[..o].iter().filter(|b| **b == b'\n').count() + 1;
            format!("the generated MJML is invalid at its line {line}: {error}")
        }
        _ => format!("the generated MJML is invalid: {error}"),
    }
}
