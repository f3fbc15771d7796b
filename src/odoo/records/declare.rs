//! The declaration of what relanced uses of an Odoo model: its name and, per field, the
//! type Odoo gives it and how relanced uses it. Each record type declares its model once;
//! the reads send the declared fields and `relanced check` verifies exactly these, so the
//! two cannot drift apart. Decoding goes through a [`Reader`], which decodes Odoo's
//! conventions (`False` = empty, many2one = `[id, name]`, dates as `YYYY-MM-DD`, money as
//! doubles converted through their decimal text) and refuses (in debug builds) a field
//! its model does not declare. Nothing here talks to Odoo.

use crate::odoo::{Struct, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The type of a field as Odoo's `fields_get` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Char,
    Html,
    Selection,
    Boolean,
    Integer,
    Monetary,
    Date,
    Binary,
    Many2one,
    Many2many,
    Many2oneReference,
}

impl FieldType {
    /// The name `fields_get` gives this type.
    pub fn odoo_name(self) -> &'static str {
        match self {
            Self::Char => "char",
            Self::Html => "html",
            Self::Selection => "selection",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Monetary => "monetary",
            Self::Date => "date",
            Self::Binary => "binary",
            Self::Many2one => "many2one",
            Self::Many2many => "many2many",
            Self::Many2oneReference => "many2one_reference",
        }
    }
}

/// How relanced uses a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    /// Sent in the `fields` of every read of the model; relanced cannot run without it.
    Read,
    /// Only in search domains; relanced cannot run without it.
    Filter,
    /// Read when this server has it (detected by `fields_get`, see `features.rs`); its
    /// absence is a property of the version, not a problem.
    Feature,
    /// Only written (by the write-back or `setup-odoo`); relanced cannot run without it.
    Write,
}

/// One field of a model, as relanced uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub odoo_type: FieldType,
    pub usage: Use,
}

/// A field sent in the reads.
pub const fn read(name: &'static str, odoo_type: FieldType) -> Field {
    Field {
        name,
        odoo_type,
        usage: Use::Read,
    }
}
/// A field of search domains only.
pub const fn filter(name: &'static str, odoo_type: FieldType) -> Field {
    Field {
        name,
        odoo_type,
        usage: Use::Filter,
    }
}
/// A field read when the server has it.
pub const fn feature(name: &'static str, odoo_type: FieldType) -> Field {
    Field {
        name,
        odoo_type,
        usage: Use::Feature,
    }
}
/// A field only written.
pub const fn write(name: &'static str, odoo_type: FieldType) -> Field {
    Field {
        name,
        odoo_type,
        usage: Use::Write,
    }
}

/// An Odoo model and the fields relanced uses of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Model {
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Model {
    /// The fields every read of the model sends, in their declared order.
    pub fn read_fields(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.usage == Use::Read)
            .map(|f| f.name)
            .collect()
    }

    /// The fields this server must have (all but the features).
    pub fn required(&self) -> impl Iterator<Item = &'static Field> {
        self.fields.iter().filter(|f| f.usage != Use::Feature)
    }

    /// Whether a decoder may read `field`: `id`, or a field declared read or feature.
    pub fn reads(&self, field: &str) -> bool {
        field == "id"
            || self
                .fields
                .iter()
                .any(|f| f.name == field && matches!(f.usage, Use::Read | Use::Feature))
    }
}

/// The names of `model`'s read fields, as a constant: `N` must be their number (checked
/// when compiling), so that `&[&str]` constants can derive from a declaration.
pub const fn read_names<const N: usize>(model: &Model) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    let mut n = 0;
    while i < model.fields.len() {
        if matches!(model.fields[i].usage, Use::Read) {
            assert!(n < N, "more read fields than declared N");
            out[n] = model.fields[i].name;
            n += 1;
        }
        i += 1;
    }
    assert!(n == N, "fewer read fields than declared N");
    out
}

/// A many2one reference.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Ref {
    pub id: i64,
    pub name: String,
}

/// Reads the fields of one record of `model`; in debug builds, reading a field the model
/// does not declare panics (a decoder and its declaration disagree: a bug, caught by the
/// decoding tests).
pub(crate) struct Reader<'a> {
    record: &'a Struct,
    model: &'static Model,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(record: &'a Struct, model: &'static Model) -> Self {
        Self { record, model }
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        debug_assert!(
            self.model.reads(field),
            "{}.{field} is decoded but not declared",
            self.model.name
        );
        self.record.get(field)
    }

    /// A many2one, as `[id, name]` or as a bare id (`Many2oneAs::Id`: the name is then
    /// empty until the caller fills it in).
    pub(crate) fn m2o(&self, field: &str) -> Option<Ref> {
        let value = self.get(field)?;
        if let Value::Int(id) = value {
            return Some(Ref {
                id: *id,
                name: String::new(),
            });
        }
        value.as_many2one().map(|(id, name)| Ref {
            id,
            name: name.to_owned(),
        })
    }
    pub(crate) fn text(&self, field: &str) -> Option<String> {
        self.get(field)?
            .as_str()
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }
    pub(crate) fn date(&self, field: &str) -> Option<NaiveDate> {
        let s = self.get(field)?.as_str()?;
        NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
    }
    pub(crate) fn money(&self, field: &str) -> Decimal {
        self.get(field)
            .and_then(Value::as_decimal)
            .unwrap_or_default()
    }
    pub(crate) fn int(&self, field: &str) -> i64 {
        self.get(field).and_then(Value::as_i64).unwrap_or_default()
    }
    pub(crate) fn flag(&self, field: &str) -> bool {
        self.get(field).and_then(Value::as_bool).unwrap_or(false)
    }
    pub(crate) fn ids(&self, field: &str) -> Vec<i64> {
        self.get(field).and_then(Value::as_ids).unwrap_or_default()
    }
}
