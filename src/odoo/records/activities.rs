//! Activities (`mail.activity`), e.g. a postponement on an invoice, their types
//! (`mail.activity.type`), and the users (`res.users`) activities are assigned to:
//! declarations, decoding and the read of open activities. Deciding what a postponement
//! means is the engine's.

use super::declare::{FieldType::*, Model, Reader, Ref, read, read_names, write};
use crate::odoo::Struct;
use crate::odoo::api::{OdooApi, leaf};
use crate::odoo::error::OdooError;
use chrono::NaiveDate;

/// An activity (`mail.activity`), e.g. a postponement on an invoice.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ActivityRecord {
    pub id: i64,
    pub res_model: String,
    pub res_id: i64,
    pub activity_type: Option<Ref>,
    pub deadline: Option<NaiveDate>,
    pub user: Option<Ref>,
    pub summary: Option<String>,
}

impl ActivityRecord {
    pub const MODEL: Model = Model {
        name: "mail.activity",
        fields: &[
            read("res_model", Char),
            read("res_id", Many2oneReference),
            read("activity_type_id", Many2one),
            read("date_deadline", Date),
            read("user_id", Many2one),
            read("summary", Char),
            write("note", Html),
        ],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            res_model: r.text("res_model").unwrap_or_default(),
            res_id: r.int("res_id"),
            activity_type: r.m2o("activity_type_id"),
            deadline: r.date("date_deadline"),
            user: r.m2o("user_id"),
            summary: r.text("summary"),
        }
    }
}

pub const ACTIVITY_FIELDS: &[&str] = &read_names::<6>(&ActivityRecord::MODEL);

/// Open activities on the given records of `res_model`.
pub async fn read_activities(
    api: &impl OdooApi,
    res_model: &str,
    res_ids: &[i64],
    page_size: usize,
) -> Result<Vec<ActivityRecord>, OdooError> {
    if res_ids.is_empty() {
        return Ok(Vec::new());
    }
    let domain = vec![
        leaf("res_model", "=", res_model),
        leaf("res_id", "in", res_ids.to_vec()),
    ];
    let records = api
        .search_read_all(
            ActivityRecord::MODEL.name,
            domain,
            ACTIVITY_FIELDS,
            page_size,
            None,
        )
        .await?;
    Ok(records.iter().map(ActivityRecord::from_record).collect())
}

/// An activity type (`mail.activity.type`), e.g. the postponement type, found by name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActivityTypeRecord {
    pub id: i64,
    pub name: String,
}

impl ActivityTypeRecord {
    pub const MODEL: Model = Model {
        name: "mail.activity.type",
        fields: &[read("name", Char), write("category", Selection)],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
        }
    }
}

pub const ACTIVITY_TYPE_FIELDS: &[&str] = &read_names::<1>(&ActivityTypeRecord::MODEL);

/// A user (`res.users`) named as salesperson: only an active one can take a call.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    pub active: bool,
}

impl UserRecord {
    pub const MODEL: Model = Model {
        name: "res.users",
        fields: &[read("name", Char), read("active", Boolean)],
    };

    pub fn from_record(r: &Struct) -> Self {
        let r = Reader::new(r, &Self::MODEL);
        Self {
            id: r.int("id"),
            name: r.text("name").unwrap_or_default(),
            active: r.flag("active"),
        }
    }
}

pub const USER_FIELDS: &[&str] = &read_names::<2>(&UserRecord::MODEL);
