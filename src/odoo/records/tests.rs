//! The declarations and the decoders agree: a decoder reads only declared fields, and
//! every declared read field changes what it decodes.

use super::*;
use crate::odoo::Value;
use chrono::NaiveDate;

#[test]
fn open_item_from_a_recorded_shape() {
    let r = Struct::new()
        .with("id", 42)
        .with(
            "move_id",
            Value::Array(vec![Value::Int(10), Value::from("INV/2026/00008")]),
        )
        .with(
            "partner_id",
            Value::Array(vec![Value::Int(13), Value::from("LightsUp")]),
        )
        .with(
            "company_id",
            Value::Array(vec![Value::Int(1), Value::from("YourCompany")]),
        )
        .with("date_maturity", "2026-11-22")
        .with("date", "2026-10-23")
        .with("amount_residual", 750.1)
        .with("amount_residual_currency", 750.1)
        .with(
            "currency_id",
            Value::Array(vec![Value::Int(1), Value::from("USD")]),
        )
        .with("move_name", "INV/2026/00008")
        .with("no_followup", false);
    let item = OpenItemRecord::from_record(&r, Some("no_followup"));
    assert_eq!(item.amount_residual.to_string(), "750.1");
    assert_eq!(item.date_maturity, NaiveDate::from_ymd_opt(2026, 11, 22));
    assert_eq!(item.partner_id.as_ref().map(|p| p.id), Some(13));
    assert_eq!(item.excluded_flag, Some(false));
    assert_eq!(item.company_currency, None, "False many2one is empty");
}

/// A value of the declared type that decodes to something other than the empty default.
fn sample(field: &Field) -> Value {
    match field.odoo_type {
        FieldType::Char | FieldType::Selection | FieldType::Html | FieldType::Binary => {
            Value::from(format!("x-{}", field.name))
        }
        FieldType::Boolean => Value::Bool(true),
        FieldType::Integer => Value::Int(3),
        FieldType::Monetary => Value::Double(12.5),
        FieldType::Date => Value::from("2026-01-02"),
        FieldType::Many2one => Value::Array(vec![Value::Int(7), Value::from("seven")]),
        FieldType::Many2many => Value::Array(vec![Value::Int(1), Value::Int(2)]),
        FieldType::Many2oneReference => Value::Int(9),
    }
}

/// A record as Odoo returns it for `fields`: the id and each of them, none other.
fn record_of(model: &Model, fields: &[&str]) -> Struct {
    let mut r = Struct::new().with("id", 5);
    for f in model.fields.iter().filter(|f| fields.contains(&f.name)) {
        r.insert(f.name, sample(f));
    }
    r
}

type Decode = Box<dyn Fn(&Struct) -> String>;

/// Every record type's declaration, the fields a read of it returns, and its decoder.
fn decoders() -> Vec<(Model, Vec<&'static str>, Decode)> {
    fn plain<T: std::fmt::Debug + 'static>(
        model: Model,
        decode: fn(&Struct) -> T,
    ) -> (Model, Vec<&'static str>, Decode) {
        (
            model,
            model.read_fields(),
            Box::new(move |r| format!("{:?}", decode(r))),
        )
    }
    let mut list = vec![
        plain(InvoiceRecord::MODEL, InvoiceRecord::from_record),
        plain(PartnerRecord::MODEL, PartnerRecord::from_record),
        plain(TagRecord::MODEL, TagRecord::from_record),
        plain(ActivityRecord::MODEL, ActivityRecord::from_record),
        plain(ActivityTypeRecord::MODEL, ActivityTypeRecord::from_record),
        plain(CurrencyRecord::MODEL, CurrencyRecord::from_record),
        plain(CompanyRecord::MODEL, CompanyRecord::from_record),
        plain(UserRecord::MODEL, UserRecord::from_record),
    ];
    for flag in [None, Some("blocked"), Some("no_followup")] {
        let mut fields = OpenItemRecord::MODEL.read_fields();
        fields.extend(flag);
        list.push((
            OpenItemRecord::MODEL,
            fields,
            Box::new(move |r| format!("{:?}", OpenItemRecord::from_record(r, flag))),
        ));
    }
    list
}

#[test]
fn decoders_read_only_declared_fields() {
    // `Reader` panics (debug builds) on a field its model does not declare; decoding
    // reads every field unconditionally, so one decoding per record type covers them all.
    for (model, fields, decode) in decoders() {
        decode(&record_of(&model, &fields));
    }
}

#[test]
fn every_declared_read_field_is_decoded() {
    for (model, fields, decode) in decoders() {
        let full = decode(&record_of(&model, &fields));
        for field in &fields {
            let without: Vec<&str> = fields.iter().copied().filter(|f| f != field).collect();
            assert_ne!(
                decode(&record_of(&model, &without)),
                full,
                "{}.{field} is declared read but not decoded",
                model.name
            );
        }
    }
}

#[test]
fn the_field_lists_sent_are_the_declared_read_fields() {
    for (list, model) in [
        (OPEN_ITEM_FIELDS, OpenItemRecord::MODEL),
        (INVOICE_FIELDS, InvoiceRecord::MODEL),
        (PARTNER_FIELDS, PartnerRecord::MODEL),
        (TAG_FIELDS, TagRecord::MODEL),
        (ACTIVITY_FIELDS, ActivityRecord::MODEL),
        (ACTIVITY_TYPE_FIELDS, ActivityTypeRecord::MODEL),
        (CURRENCY_FIELDS, CurrencyRecord::MODEL),
        (COMPANY_FIELDS, CompanyRecord::MODEL),
        (USER_FIELDS, UserRecord::MODEL),
    ] {
        assert_eq!(list, model.read_fields(), "{}", model.name);
    }
}

#[test]
fn each_model_is_declared_once() {
    let mut names: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), MODELS.len());
    for m in MODELS {
        let mut fields: Vec<&str> = m.fields.iter().map(|f| f.name).collect();
        fields.sort();
        fields.dedup();
        assert_eq!(fields.len(), m.fields.len(), "{}", m.name);
    }
}
