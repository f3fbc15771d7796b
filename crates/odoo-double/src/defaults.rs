//! What Odoo fills in or refuses when a record is created without some values: a
//! partner's type and name, an activity's model, deadline, user and type (per version),
//! an attachment's type, names of tags and attachments.
//!
//! Called by `orm::create` after the given values are applied; it never writes rows.

use crate::OdooVersion;
use crate::access;
use crate::faults::{self, Fault};
use crate::orm::{Env, search};
use crate::special::xmlid_target;
use crate::world::{Row, World};
use odoo_wire::Value;

pub fn model_defaults(world: &World, env: &Env, model: &str, row: &mut Row) -> Result<(), Fault> {
    let missing = |row: &Row, f: &str| row.get(f).is_none_or(Value::is_empty_odoo);
    match model {
        "res.partner" => {
            let typ = row
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("contact")
                .to_owned();
            if missing(row, "type") {
                row.insert("type", Value::from("contact"));
            }
            if typ == "contact" && missing(row, "name") {
                return Err(Fault::Validation(
                    "The operation cannot be completed: Contacts require a name".into(),
                ));
            }
        }
        "mail.activity" => {
            if missing(row, "res_model") {
                return Err(match env.version {
                    OdooVersion::V18 => not_null(env.version, model, "Document Model", "res_model_id"),
                    OdooVersion::V19 => Fault::Validation(
                        "The operation cannot be completed: Activities have to be linked to records with a not null res_id.".into(),
                    ),
                });
            }
            if missing(row, "date_deadline") {
                row.insert("date_deadline", Value::from(world.today.to_string()));
            }
            // 18 assigns the creating user; 19 leaves the activity unassigned.
            if missing(row, "user_id") && env.version == OdooVersion::V18 {
                row.insert("user_id", Value::Int(env.uid));
            }
            if missing(row, "activity_type_id") {
                // `_default_activity_type_for_model`: To-Do, else the first type.
                let todo = xmlid_target(world, "mail", "mail_activity_data_todo");
                let first = || {
                    search(
                        world,
                        env,
                        "mail.activity.type",
                        &Value::Array(vec![]),
                        0,
                        Some(1),
                        None,
                    )
                    .map(|t| t.first().copied())
                };
                if let Some(t) = todo.map_or_else(first, |t| Ok(Some(t)))? {
                    row.insert("activity_type_id", Value::Int(t));
                }
            }
        }
        "ir.attachment" if missing(row, "type") && !missing(row, "name") => {
            row.insert("type", Value::from("binary"));
        }
        "res.partner.category" | "ir.attachment" if missing(row, "name") => {
            return Err(not_null(env.version, model, "Name", "name"));
        }
        _ => {}
    }
    Ok(())
}

fn not_null(version: OdooVersion, model: &str, label: &str, field: &str) -> Fault {
    faults::not_null(version, access::description(model), model, label, field)
}
