//! The records the double holds: one table per model, rows keyed by id, plus
//! the users' credentials and rights.
//!
//! Rows keep Odoo's stored values with relations as ids (`many2one` = `Int`
//! or `False`, `many2many` = array of ids); one2many and computed fields are
//! never stored, they are derived on read (`compute`). This module knows
//! nothing of HTTP, protocols or access rules.

use chrono::NaiveDate;
use odoo_wire::Value;
use std::collections::BTreeMap;

/// One stored record: field names borrowed from the schema or the code
/// (`&'static str`, no allocation per field), values as Odoo stores them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row(pub Vec<(&'static str, Value)>);

impl Row {
    pub fn new() -> Row {
        Row(Vec::new())
    }

    /// The value of `key`, if stored.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// Sets `key`, replacing a stored value of that name.
    pub fn insert(&mut self, key: &'static str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &Value)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }
}

/// One model's rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub rows: BTreeMap<i64, Row>,
    pub next_id: i64,
}

impl Table {
    /// The id the next `create` gets.
    pub fn allocate(&mut self) -> i64 {
        let last = self.rows.keys().next_back().copied().unwrap_or(0);
        let id = self.next_id.max(last + 1).max(1);
        self.next_id = id + 1;
        id
    }
}

/// Who may log in, with what, and in which groups and companies.
#[derive(Clone, Debug, PartialEq)]
pub struct UserAccess {
    pub uid: i64,
    pub login: String,
    /// `None`: the user cannot log in with a password (API key only).
    pub password: Option<String>,
    pub api_keys: Vec<String>,
    /// Group xmlids, e.g. `account.group_account_invoice`.
    pub groups: Vec<String>,
    pub company_ids: Vec<i64>,
    pub company_id: i64,
    pub lang: String,
    pub tz: String,
}

impl UserAccess {
    pub fn has_group(&self, xmlid: &str) -> bool {
        self.groups.iter().any(|g| g == xmlid)
    }
}

/// The whole in-memory database.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    /// The database name clients must give (`fu18`, `fu19`, `demo`…).
    pub db: String,
    /// "Today" for computed fields such as `mail.activity.state`.
    pub today: NaiveDate,
    /// The timestamp written into `create_date`/`write_date`/`date`.
    pub now: String,
    pub tables: BTreeMap<String, Table>,
    pub users: BTreeMap<i64, UserAccess>,
}

impl World {
    /// An empty database named `db`.
    pub fn empty(db: &str, today: NaiveDate) -> World {
        World {
            db: db.to_owned(),
            today,
            now: format!("{today} 08:00:00"),
            tables: BTreeMap::new(),
            users: BTreeMap::new(),
        }
    }

    pub fn table(&self, model: &str) -> Option<&Table> {
        self.tables.get(model)
    }

    pub fn table_mut(&mut self, model: &str) -> &mut Table {
        self.tables.entry(model.to_owned()).or_default()
    }

    pub fn row(&self, model: &str, id: i64) -> Option<&Row> {
        self.tables.get(model)?.rows.get(&id)
    }

    pub fn row_mut(&mut self, model: &str, id: i64) -> Option<&mut Row> {
        self.tables.get_mut(model)?.rows.get_mut(&id)
    }

    /// Inserts (or replaces) a row with a chosen id.
    pub fn put(&mut self, model: &str, id: i64, mut row: Row) {
        row.insert("id", Value::Int(id));
        self.table_mut(model).rows.insert(id, row);
    }

    /// Inserts a row with the next free id and returns that id.
    pub fn insert(&mut self, model: &str, row: Row) -> i64 {
        let id = self.table_mut(model).allocate();
        self.put(model, id, row);
        id
    }

    /// Makes the next `create` on `model` return `id` (fixtures that must
    /// reproduce recorded ids).
    pub fn set_next_id(&mut self, model: &str, id: i64) {
        self.table_mut(model).next_id = id;
    }

    /// Number of rows of `model`.
    pub fn count(&self, model: &str) -> usize {
        self.tables.get(model).map_or(0, |t| t.rows.len())
    }

    /// Stored value of `field` on a row; `None` when the row or value is absent.
    pub fn stored(&self, model: &str, id: i64, field: &str) -> Option<&Value> {
        self.row(model, id)?.get(field)
    }

    /// A stored many2one as an id.
    pub fn m2o(&self, model: &str, id: i64, field: &str) -> Option<i64> {
        self.stored(model, id, field)?.as_i64()
    }

    /// Declares a user able to log in (its `res.users` row is separate).
    pub fn add_user(&mut self, access: UserAccess) {
        self.users.insert(access.uid, access);
    }

    pub fn user(&self, uid: i64) -> Option<&UserAccess> {
        self.users.get(&uid)
    }

    pub fn user_mut(&mut self, uid: i64) -> Option<&mut UserAccess> {
        self.users.get_mut(&uid)
    }

    /// The `res.partner` id of a user (the author of its messages).
    pub fn user_partner(&self, uid: i64) -> Option<i64> {
        self.m2o("res.users", uid, "partner_id")
    }

    /// Sets a user's email (stored on its partner, as in Odoo).
    pub fn set_user_email(&mut self, uid: i64, email: Option<&str>) {
        if let Some(pid) = self.user_partner(uid)
            && let Some(row) = self.row_mut("res.partner", pid)
        {
            row.insert("email", email.map_or(Value::Bool(false), Value::from));
        }
    }
}

/// Builds a row from `(field, value)` pairs.
pub fn row<const N: usize>(pairs: [(&'static str, Value); N]) -> Row {
    Row(pairs.into())
}

/// A many2one or `False`.
pub fn m2o(id: Option<i64>) -> Value {
    id.map_or(Value::Bool(false), Value::Int)
}

/// A list of ids.
pub fn ids(list: &[i64]) -> Value {
    Value::Array(list.iter().map(|i| Value::Int(*i)).collect())
}

/// Text or `False` when empty.
pub fn text(s: &str) -> Value {
    if s.is_empty() {
        Value::Bool(false)
    } else {
        Value::from(s)
    }
}
