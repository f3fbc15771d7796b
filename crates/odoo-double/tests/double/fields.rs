//! The double's embedded field lists are faithful copies of the recorded
//! `fields_get.json` of Odoo 18 and 19: every model and field, with type,
//! relation, required, readonly, store, label and selection. The double itself
//! never reads `shared/`; this test does, to keep the copies honest.

use crate::support::shared_dir;
use odoo_double::OdooVersion;
use odoo_double::fields::Schema;
use odoo_wire::json::to_json;
use serde_json::Value as Json;

fn check(version: OdooVersion, folder: &str) {
    let text = std::fs::read_to_string(shared_dir().join(folder).join("fields_get.json")).unwrap();
    let recorded: Json = serde_json::from_str(&text).unwrap();
    let schema = Schema::get(version);
    let mut count = 0;
    for (model, fields) in recorded.as_object().unwrap() {
        let def = schema
            .model(model)
            .unwrap_or_else(|| panic!("{model} missing"));
        assert_eq!(
            def.fields.len(),
            fields.as_object().unwrap().len(),
            "{model}: field count"
        );
        for (name, attrs) in fields.as_object().unwrap() {
            let field = def
                .field(name)
                .unwrap_or_else(|| panic!("{model}.{name} missing"));
            let ours = to_json(&odoo_wire::Value::Struct(field.describe(&[])));
            for key in [
                "type",
                "string",
                "relation",
                "required",
                "readonly",
                "store",
                "selection",
            ] {
                let theirs = attrs.get(key).cloned().unwrap_or(match key {
                    "required" | "readonly" | "store" => Json::Bool(false),
                    _ => Json::Null,
                });
                let mine = ours.get(key).cloned().unwrap_or(Json::Null);
                assert_eq!(mine, theirs, "{model}.{name}.{key}");
            }
            count += 1;
        }
    }
    assert!(count > 1000, "only {count} fields compared");
}

#[test]
fn the_embedded_odoo_18_fields_match_the_recording() {
    check(OdooVersion::V18, "odoo-18.0");
}

#[test]
fn the_embedded_odoo_19_fields_match_the_recording() {
    check(OdooVersion::V19, "odoo-19.0");
}
