//! The fields of the models the double plays, per Odoo version.
//!
//! `v18.tsv` and `v19.tsv` are trimmed copies of the recorded `fields_get.json`
//! (one field per line: model, name, type, relation, flags `r`equired /
//! read`o`nly / `s`tore, label, selection as JSON); `extra.tsv` adds the few
//! models the recordings touch but `fields_get.json` does not list
//! (`ir.model.data`, `res.country`, `mail.message.subtype`). They are embedded:
//! the double must never read `../shared` at run time. This module only
//! describes fields; it holds no records.

use crate::OdooVersion;
use odoo_wire::{Struct, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One field as `fields_get` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ftype: String,
    pub relation: Option<String>,
    pub required: bool,
    pub readonly: bool,
    pub store: bool,
    pub string: String,
    /// `[[key, label], …]` as recorded (keys are strings, or ids and `False`
    /// for the group selectors of `res.users`).
    pub selection: Option<Value>,
}

impl FieldDef {
    pub fn is_x2many(&self) -> bool {
        self.ftype == "one2many" || self.ftype == "many2many"
    }

    /// The value Odoo reads for this field when nothing is stored.
    pub fn empty_value(&self) -> Value {
        match self.ftype.as_str() {
            "one2many" | "many2many" => Value::Array(Vec::new()),
            "integer" => Value::Int(0),
            "float" | "monetary" => Value::Double(0.0),
            _ => Value::Bool(false),
        }
    }

    /// This field as `fields_get` answers it, restricted to `attributes`
    /// (all known attributes when empty).
    pub fn describe(&self, attributes: &[String]) -> Struct {
        let want = |a: &str| attributes.is_empty() || attributes.iter().any(|x| x == a);
        let mut s = Struct::new();
        if want("type") {
            s.insert("type", Value::from(self.ftype.as_str()));
        }
        if want("string") {
            s.insert("string", Value::from(self.string.as_str()));
        }
        if want("relation")
            && let Some(r) = &self.relation
        {
            s.insert("relation", Value::from(r.as_str()));
        }
        if want("required") {
            s.insert("required", Value::Bool(self.required));
        }
        if want("readonly") {
            s.insert("readonly", Value::Bool(self.readonly));
        }
        if want("store") {
            s.insert("store", Value::Bool(self.store));
        }
        if want("selection")
            && let Some(sel) = &self.selection
        {
            s.insert("selection", sel.clone());
        }
        s
    }
}

/// The fields of one model, sorted by name.
#[derive(Debug, Default)]
pub struct ModelDef {
    pub fields: Vec<FieldDef>,
    index: HashMap<String, usize>,
}

impl ModelDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.index.get(name).map(|i| &self.fields[*i])
    }
}

/// Every model of one Odoo version.
#[derive(Debug, Default)]
pub struct Schema {
    models: HashMap<String, ModelDef>,
}

impl Schema {
    /// The schema of `version`, parsed once.
    pub fn get(version: OdooVersion) -> &'static Schema {
        static V18: OnceLock<Schema> = OnceLock::new();
        static V19: OnceLock<Schema> = OnceLock::new();
        match version {
            OdooVersion::V18 => V18.get_or_init(|| Schema::parse(&[V18_TSV, EXTRA_TSV])),
            OdooVersion::V19 => V19.get_or_init(|| Schema::parse(&[V19_TSV, EXTRA_TSV])),
        }
    }

    pub fn model(&self, name: &str) -> Option<&ModelDef> {
        self.models.get(name)
    }

    pub fn field(&self, model: &str, field: &str) -> Option<&FieldDef> {
        self.model(model)?.field(field)
    }

    /// Model names, sorted.
    pub fn model_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.models.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    fn parse(texts: &[&str]) -> Schema {
        let mut models: HashMap<String, ModelDef> = HashMap::new();
        for line in texts.iter().flat_map(|t| t.lines()) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            // A malformed line is a bug in an embedded file, caught by the tests
            // that load every schema; skipping it keeps the double usable.
            if cols.len() < 6 {
                continue;
            }
            let selection = cols
                .get(6)
                .filter(|s| !s.is_empty())
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
                .map(|j| odoo_wire::json::from_json(&j));
            let def = FieldDef {
                name: cols[1].to_owned(),
                ftype: cols[2].to_owned(),
                relation: Some(cols[3]).filter(|r| !r.is_empty()).map(str::to_owned),
                required: cols[4].contains('r'),
                readonly: cols[4].contains('o'),
                store: cols[4].contains('s'),
                string: cols[5].to_owned(),
                selection,
            };
            let model = models.entry(cols[0].to_owned()).or_default();
            model.index.insert(def.name.clone(), model.fields.len());
            model.fields.push(def);
        }
        Schema { models }
    }
}

const V18_TSV: &str = include_str!("v18.tsv");
const V19_TSV: &str = include_str!("v19.tsv");
const EXTRA_TSV: &str = include_str!("extra.tsv");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_differ_where_the_recordings_say() {
        let s18 = Schema::get(OdooVersion::V18);
        let s19 = Schema::get(OdooVersion::V19);
        assert!(s18.field("account.move.line", "no_followup").is_none());
        assert!(s19.field("account.move.line", "no_followup").is_some());
        assert!(s18.field("res.partner", "mobile").is_some());
        assert!(s19.field("res.partner", "mobile").is_none());
        assert!(s18.field("res.users", "groups_id").is_some());
        assert!(s19.field("res.users", "group_ids").is_some());
        assert!(s18.field("account.move.line", "blocked").is_none());
        let m2o = s18.field("account.move.line", "move_id").unwrap();
        assert_eq!(m2o.relation.as_deref(), Some("account.move"));
        assert!(s18.field("ir.model.data", "res_id").is_some());
    }
}
