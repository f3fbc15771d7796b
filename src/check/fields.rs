//! `relanced check`, fields: every model and field relanced uses, exactly as declared by
//! the record types of `odoo::records` (the reads send the same declarations, so what is
//! checked cannot drift from what is read), each with the type Odoo gives it; then the
//! version-dependent fields (`features.rs`). It reads only.

use super::Report;
use crate::odoo::error::ErrorKind;
use crate::odoo::features::ServerFeatures;
use crate::odoo::records::{MODELS, Model};
use crate::odoo::{OdooApi, OdooClient, Struct, Value};

/// Checks that every declared model exists with its required fields, of their types.
pub(super) async fn check_fields(client: &OdooClient, report: &mut Report) {
    for model in MODELS {
        let name = model.name;
        match client.fields_get(name).await {
            Ok(have) => {
                let problems = problems(model, &have);
                if problems.is_empty() {
                    report.ok(
                        "fields",
                        format!(
                            "{name}: the {} fields relanced uses exist",
                            model.required().count()
                        ),
                    );
                } else {
                    report.fail("fields", format!("{name}: {}", problems.join("; ")));
                }
            }
            Err(e) if e.kind == ErrorKind::UnknownModel => {
                report.fail(
                    "fields",
                    format!("{name}: model missing (is the Invoicing module installed?)"),
                );
            }
            Err(e) => report.fail("fields", e.to_string()),
        }
    }
}

/// What is wrong with `model` on a server whose `fields_get` answered `have`: the missing
/// required fields, then those of another type than relanced decodes. Empty when all is well.
fn problems(model: &Model, have: &Struct) -> Vec<String> {
    let mut missing = Vec::new();
    let mut mistyped = Vec::new();
    for field in model.required() {
        match have.get(field.name) {
            None => missing.push(field.name),
            Some(attributes) => {
                let expected = field.odoo_type.odoo_name();
                let found = attributes
                    .as_struct()
                    .and_then(|a| a.get("type"))
                    .and_then(Value::as_str);
                if let Some(found) = found.filter(|t| *t != expected) {
                    mistyped.push(format!("{} is a {found}, not a {expected}", field.name));
                }
            }
        }
    }
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(format!("missing field(s) {}", missing.join(", ")));
    }
    out.extend(mistyped);
    out
}

/// Says which version-dependent fields this server has.
pub(super) fn describe_features(features: &ServerFeatures, report: &mut Report) {
    match features.line_flag_field() {
        Some(field) => report.ok(
            "fields",
            format!("items flagged `{field}` in Odoo are left alone"),
        ),
        None => report.ok(
            "fields",
            "no per-item follow-up flag on this version (neither `blocked` nor `no_followup`)",
        ),
    }
    if !features.partner_followup_fields.is_empty() {
        report.warn(
            "fields",
            format!(
                "Enterprise follow-up is installed ({}): make sure it is not also sending reminders",
                features.partner_followup_fields.join(", ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odoo::records::{InvoiceRecord, OpenItemRecord, Use};

    /// A `fields_get` answer holding exactly `fields` of `model`, of their declared types.
    fn answer(model: &Model, fields: &[&str]) -> Struct {
        let mut have = Struct::new();
        for f in model.fields.iter().filter(|f| fields.contains(&f.name)) {
            have.insert(
                f.name,
                Value::Struct(Struct::new().with("type", f.odoo_type.odoo_name())),
            );
        }
        have
    }

    #[test]
    fn check_verifies_exactly_the_declared_fields_but_the_features() {
        for model in MODELS {
            let required: Vec<&str> = model.required().map(|f| f.name).collect();
            assert!(
                problems(model, &answer(model, &required)).is_empty(),
                "{}",
                model.name
            );
            for field in &required {
                let without: Vec<&str> = required.iter().copied().filter(|f| f != field).collect();
                assert_eq!(
                    problems(model, &answer(model, &without)),
                    [format!("missing field(s) {field}")],
                    "{}",
                    model.name
                );
            }
        }
        let features: Vec<&str> = OpenItemRecord::MODEL
            .fields
            .iter()
            .filter(|f| f.usage == Use::Feature)
            .map(|f| f.name)
            .collect();
        assert_eq!(
            features,
            ["blocked", "no_followup"],
            "checked by features, not here"
        );
    }

    #[test]
    fn the_fields_read_for_the_engine_are_checked() {
        // Once missing from `relanced check` although read: now derived from the reads.
        let invoice: Vec<&str> = InvoiceRecord::MODEL.required().map(|f| f.name).collect();
        for field in ["invoice_date", "invoice_date_due", "amount_total"] {
            assert!(invoice.contains(&field), "{field}");
        }
    }

    #[test]
    fn a_field_of_another_type_is_named_with_both_types() {
        let model = &InvoiceRecord::MODEL;
        let fields: Vec<&str> = model.required().map(|f| f.name).collect();
        let mut have = answer(model, &fields);
        have.insert(
            "amount_total",
            Value::Struct(Struct::new().with("type", "float")),
        );
        assert_eq!(
            problems(model, &have),
            ["amount_total is a float, not a monetary"]
        );
    }
}
