//! Values as Odoo reads them: stored values, defaults for empty fields, and the
//! computed/related fields relanced relies on (`commercial_partner_id`,
//! `child_ids`, `line_ids`, `parent_state`, `move_name`, activity `state`…),
//! derived from the rows so that they can never disagree with them.
//!
//! A [`View`] lives for one call; it caches one2many inverse indexes so that
//! reading many records stays linear. It never changes the world.

use crate::OdooVersion;
use crate::domain::{self, Resolver};
use crate::fields::Schema;
use crate::world::{Row, World};
use odoo_wire::{Struct, Value};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

/// one2many fields: (model, field) → (comodel, inverse many2one).
/// `res_id` inverses are matched on `res_model`/`model` as well.
const INVERSES: &[(&str, &str, &str, &str)] = &[
    ("res.partner", "child_ids", "res.partner", "parent_id"),
    ("res.partner", "bank_ids", "res.partner.bank", "partner_id"),
    ("res.partner", "user_ids", "res.users", "partner_id"),
    ("res.partner", "invoice_ids", "account.move", "partner_id"),
    ("res.partner", "activity_ids", "mail.activity", "res_id"),
    ("res.partner", "message_ids", "mail.message", "res_id"),
    ("account.move", "line_ids", "account.move.line", "move_id"),
    ("account.move", "activity_ids", "mail.activity", "res_id"),
    ("account.move", "message_ids", "mail.message", "res_id"),
];

/// Default `_order` of the models, as in Odoo.
pub fn default_order(model: &str) -> &'static str {
    match model {
        "res.partner" => "complete_name asc, id desc",
        "account.move" => "date desc, name desc, id desc",
        "account.move.line" => "date desc, move_name desc, id",
        "mail.activity" => "date_deadline asc, id asc",
        "mail.message" | "ir.attachment" => "id desc",
        "mail.activity.type" | "res.company" => "sequence, id",
        "ir.model.data" => "module, model, name",
        "res.partner.category" | "res.currency" | "res.country" => "name",
        "res.users" => "name, login",
        _ => "id",
    }
}

/// A one2many index: parent id → child ids.
type Inverse = HashMap<i64, Vec<i64>>;

/// Read access to the world for one call.
pub struct View<'a> {
    pub world: &'a World,
    pub schema: &'static Schema,
    o2m: RefCell<HashMap<(String, String), Inverse>>,
}

impl<'a> View<'a> {
    pub fn new(world: &'a World, version: OdooVersion) -> View<'a> {
        View {
            world,
            schema: Schema::get(version),
            o2m: RefCell::new(HashMap::new()),
        }
    }

    /// Raw value: many2one as `Int`/`False`, x2many as ids.
    pub fn raw(&self, model: &str, id: i64, field: &str) -> Value {
        let Some(row) = self.world.row(model, id) else {
            return Value::Bool(false);
        };
        match (model, field) {
            (_, "id") => return Value::Int(id),
            (_, "display_name") => return Value::String(self.display_name(model, id)),
            ("res.partner", "commercial_partner_id") => {
                return Value::Int(self.commercial_partner(id));
            }
            ("res.partner", "complete_name") => return Value::String(self.display_name(model, id)),
            ("account.move.line", "parent_state" | "move_name" | "move_type" | "invoice_date") => {
                let src = match field {
                    "parent_state" => "state",
                    "move_name" => "name",
                    other => other,
                };
                return match row.get("move_id").and_then(Value::as_i64) {
                    Some(mid) => self.raw("account.move", mid, src),
                    None => Value::Bool(false),
                };
            }
            ("mail.activity", "state") => return self.activity_state(row),
            ("mail.activity", "res_name") => {
                let m = row.get("res_model").and_then(Value::as_str).unwrap_or("");
                let rid = row.get("res_id").and_then(Value::as_i64).unwrap_or(0);
                return Value::String(self.display_name(m, rid));
            }
            ("ir.model.data", "complete_name") => {
                let m = row.get("module").and_then(Value::as_str).unwrap_or("");
                let n = row.get("name").and_then(Value::as_str).unwrap_or("");
                return Value::String(format!("{m}.{n}"));
            }
            _ => {}
        }
        if let Some(&(_, _, comodel, inverse)) = INVERSES
            .iter()
            .find(|(m, f, _, _)| *m == model && *f == field)
        {
            let ids = self.inverse(model, comodel, inverse, id);
            return Value::Array(ids.into_iter().map(Value::Int).collect());
        }
        if let Some(v) = row.get(field) {
            return v.clone();
        }
        // A company-dependent selection without a value reads as its default.
        if (model, field) == ("res.partner", "trust") {
            return Value::from("normal");
        }
        match self.schema.field(model, field) {
            Some(def) => def.empty_value(),
            None => Value::Bool(false),
        }
    }

    /// The value as `read` answers it: many2one as `[id, name]`, or as the bare id when
    /// `names` is false (`load` other than `"_classic_read"`, Odoo's `_read_format`).
    pub fn read_value(&self, model: &str, id: i64, field: &str, names: bool) -> Value {
        let raw = self.raw(model, id, field);
        let Some(def) = self.schema.field(model, field) else {
            return raw;
        };
        match (def.ftype.as_str(), &raw) {
            ("many2one", Value::Int(_)) if !names => raw,
            ("many2one", Value::Int(rid)) => {
                let comodel = def.relation.as_deref().unwrap_or("");
                Value::Array(vec![
                    Value::Int(*rid),
                    Value::String(self.display_name(comodel, *rid)),
                ])
            }
            ("one2many" | "many2many", Value::Array(items)) => {
                let comodel = def.relation.as_deref().unwrap_or("");
                let list: Vec<i64> = items.iter().filter_map(Value::as_i64).collect();
                let sorted = self.sorted(comodel, list, default_order(comodel));
                Value::Array(sorted.into_iter().map(Value::Int).collect())
            }
            _ => raw,
        }
    }

    /// Reads `fields` of one record, `id` first as Odoo does (`names`: see [`Self::read_value`]).
    pub fn read_record(&self, model: &str, id: i64, fields: &[String], names: bool) -> Struct {
        let mut s = Struct(Vec::with_capacity(fields.len() + 1));
        s.0.push(("id".to_owned(), Value::Int(id)));
        for f in fields.iter().filter(|f| f.as_str() != "id") {
            s.0.push((f.clone(), self.read_value(model, id, f, names)));
        }
        s
    }

    /// Odoo's `display_name`.
    pub fn display_name(&self, model: &str, id: i64) -> String {
        let Some(row) = self.world.row(model, id) else {
            return String::new();
        };
        let text = |f: &str| row.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
        match model {
            "res.partner" => {
                let mut name = text("name");
                let is_company = row
                    .get("is_company")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                if name.is_empty() {
                    name = match text("type").as_str() {
                        "invoice" => "Invoice Address".into(),
                        "delivery" => "Delivery Address".into(),
                        "other" => "Other Address".into(),
                        _ => String::new(),
                    };
                }
                match row.get("parent_id").and_then(Value::as_i64) {
                    Some(pid) if !is_company && pid != id => {
                        format!("{}, {name}", self.display_name(model, pid))
                    }
                    _ => name,
                }
            }
            "ir.model.data" => format!("{}.{}", text("module"), text("name")),
            "account.move" if text("name").is_empty() => "/".into(),
            "account.move.line" => {
                let mv = self.raw(model, id, "move_name");
                let label = text("name");
                match mv.as_str() {
                    Some(m) if !label.is_empty() => format!("{m} {label}"),
                    Some(m) => m.to_owned(),
                    None => label,
                }
            }
            "mail.message" => {
                let r = text("record_name");
                if r.is_empty() {
                    format!("mail.message,{id}")
                } else {
                    r
                }
            }
            _ => {
                let n = text("name");
                if n.is_empty() {
                    format!("{model},{id}")
                } else {
                    n
                }
            }
        }
    }

    /// The commercial entity: the first company up the parent chain.
    pub fn commercial_partner(&self, id: i64) -> i64 {
        let mut current = id;
        for _ in 0..32 {
            let Some(row) = self.world.row("res.partner", current) else {
                return current;
            };
            let is_company = row
                .get("is_company")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            match row.get("parent_id").and_then(Value::as_i64) {
                Some(pid) if !is_company && pid != current => current = pid,
                _ => return current,
            }
        }
        current
    }

    fn activity_state(&self, row: &Row) -> Value {
        let deadline = row
            .get("date_deadline")
            .and_then(Value::as_str)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let state = match deadline.map(|d| d.cmp(&self.world.today)) {
            Some(Ordering::Less) => "overdue",
            Some(Ordering::Equal) => "today",
            Some(Ordering::Greater) => "planned",
            None => return Value::Bool(false),
        };
        Value::from(state)
    }

    fn inverse(&self, model: &str, comodel: &str, inverse: &str, id: i64) -> Vec<i64> {
        let key = (format!("{model}.{comodel}"), inverse.to_owned());
        let mut cache = self.o2m.borrow_mut();
        let index = cache.entry(key).or_insert_with(|| {
            let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
            let Some(table) = self.world.table(comodel) else {
                return map;
            };
            for (cid, row) in &table.rows {
                if inverse == "res_id" {
                    let m = row.get("res_model").or_else(|| row.get("model"));
                    if m.and_then(Value::as_str) != Some(model) {
                        continue;
                    }
                }
                if let Some(parent) = row.get(inverse).and_then(Value::as_i64) {
                    map.entry(parent).or_default().push(*cid);
                }
            }
            map
        });
        index.get(&id).cloned().unwrap_or_default()
    }

    /// Sorts ids by an `order` clause such as `date desc, name, id`.
    pub fn sorted(&self, model: &str, mut ids: Vec<i64>, order: &str) -> Vec<i64> {
        let keys: Vec<(String, bool)> = order
            .split(',')
            .filter_map(|part| {
                let mut words = part.split_whitespace();
                let field = words.next()?.trim_matches('"').to_owned();
                let desc = words.next().is_some_and(|w| w.eq_ignore_ascii_case("desc"));
                Some((field, desc))
            })
            .collect();
        if keys.len() == 1 && keys[0].0 == "id" {
            ids.sort_unstable();
            if keys[0].1 {
                ids.reverse();
            }
            return ids;
        }
        let mut decorated: Vec<(Vec<Value>, i64)> = ids
            .into_iter()
            .map(|id| {
                (
                    keys.iter()
                        .map(|(f, _)| self.sort_key(model, id, f))
                        .collect(),
                    id,
                )
            })
            .collect();
        decorated.sort_by(|(a, ida), (b, idb)| {
            for (i, (_, desc)) in keys.iter().enumerate() {
                let o = cmp_nulls_last(&a[i], &b[i], *desc);
                if o != Ordering::Equal {
                    return o;
                }
            }
            ida.cmp(idb)
        });
        decorated.into_iter().map(|(_, id)| id).collect()
    }

    fn sort_key(&self, model: &str, id: i64, field: &str) -> Value {
        match self.raw(model, id, field) {
            Value::Array(_) => Value::Bool(false),
            v => v,
        }
    }
}

/// PostgreSQL's default: NULLs last ascending, first descending.
fn cmp_nulls_last(a: &Value, b: &Value, desc: bool) -> Ordering {
    let (ea, eb) = (a.is_empty_odoo(), b.is_empty_odoo());
    let base = match (ea, eb) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => domain::order(a, b).unwrap_or(Ordering::Equal),
    };
    if desc { base.reverse() } else { base }
}

impl Resolver for View<'_> {
    fn display_name(&self, model: &str, id: i64) -> String {
        View::display_name(self, model, id)
    }

    fn value(&self, model: &str, id: i64, field: &str) -> Value {
        self.raw(model, id, field)
    }

    fn comodel(&self, model: &str, field: &str) -> Option<String> {
        self.schema.field(model, field)?.relation.clone()
    }

    fn descendants(&self, model: &str, ids: &[i64]) -> HashSet<i64> {
        let mut all: HashSet<i64> = ids.iter().copied().collect();
        let Some(table) = self.world.table(model) else {
            return all;
        };
        loop {
            let before = all.len();
            for (id, row) in &table.rows {
                if let Some(p) = row.get("parent_id").and_then(Value::as_i64)
                    && all.contains(&p)
                {
                    all.insert(*id);
                }
            }
            if all.len() == before {
                return all;
            }
        }
    }
}
