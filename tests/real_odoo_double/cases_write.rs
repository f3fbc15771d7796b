//! Creations and writes as relanced sends them (records positional over XML-RPC) and
//! as it must not (keywords `vals_list`, `vals`), the chatter (notes, emails,
//! attachments) and activities; each effect is read back on both sides.

use crate::pair::{Norm, Pair, Request, Who};
use relanced::odoo::api::Call;
use relanced::odoo::{Struct, Value};
use serde_json::Value as Json;

/// The records made on both sides (same ids).
pub struct Created {
    pub tag: i64,
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

pub fn strings(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| Value::from(*n)).collect())
}

/// The ids a creation answered on the real side (an int or a list).
pub fn ids_of(answer: &Json) -> Vec<i64> {
    match answer.get("value").or_else(|| answer.get("body")) {
        Some(Json::Number(n)) => n.as_i64().into_iter().collect(),
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_i64).collect(),
        _ => panic!("no ids in {answer}"),
    }
}

pub fn create(model: &str, vals: Value) -> Request {
    Request::call(
        Who::Bot,
        Call::write(model, "create").positional_arg("vals_list", vals),
    )
}

pub fn bot(call: Call) -> Request {
    Request::call(Who::Bot, call)
}

/// `create` with one dict, with a list, with the keyword `vals_list`, and refused ones.
pub async fn creations(p: &mut Pair) -> Created {
    let n = Norm::default();
    let tag = Struct::new().with("name", "Diff Tag").with("color", 3i64);
    let (real, _) = p
        .same(
            "create one dict",
            create("res.partner.category", tag.into()),
            Some("res.partner.category"),
            n,
        )
        .await;
    let tag = ids_of(&real)[0];
    let a = Struct::new()
        .with("name", "Diff A")
        .with("email", "compta@diff-a.example")
        .with("is_company", true)
        .with("lang", "fr_FR")
        .with(
            "category_id",
            Value::Array(vec![Value::from(vec![
                Value::Int(6),
                Value::Int(0),
                Value::from(vec![tag]),
            ])]),
        );
    let b = Struct::new()
        .with("name", "Diff B")
        .with("lang", "en_US")
        .with("is_company", false);
    let list = Value::Array(vec![a.into(), b.into()]);
    let (real, _) = p
        .same(
            "create a list",
            create("res.partner", list),
            Some("res.partner"),
            n,
        )
        .await;
    let (a, b) = (ids_of(&real)[0], ids_of(&real)[1]);
    let c = Struct::new()
        .with("name", "Diff C")
        .with("parent_id", a)
        .with("type", "invoice")
        .with("email", "factures@diff-a.example")
        .with("lang", "fr_FR");
    let (real, _) = p
        .same(
            "create one dict in a list",
            create("res.partner", Value::Array(vec![c.into()])),
            Some("res.partner"),
            n,
        )
        .await;
    let c = ids_of(&real)[0];
    // Over XML-RPC Odoo fails (nothing created); JSON-2 names every argument.
    let k = Struct::new().with("name", "Diff K").with("lang", "en_US");
    for (name, vals) in [
        (
            "create keyword vals_list",
            Value::Array(vec![k.clone().into()]),
        ),
        ("create keyword vals_list, one dict", k.into()),
    ] {
        let call = Call::write("res.partner", "create").arg("vals_list", vals);
        p.same(name, bot(call), Some("res.partner"), n).await;
    }
    let refused = [
        (
            "create with an unknown field",
            "res.partner",
            Struct::new()
                .with("name", "Diff X")
                .with("no_such_field", 1i64),
        ),
        (
            "create a contact without name",
            "res.partner",
            Struct::new().with("email", "x@diff.example"),
        ),
        (
            "create a tag without name",
            "res.partner.category",
            Struct::new().with("color", 1i64),
        ),
    ];
    for (name, model, vals) in refused {
        p.same(name, create(model, vals.into()), Some(model), n)
            .await;
    }
    Created { tag, a, b, c }
}

/// `write` positional (as relanced) and with the keyword `vals`, on partners and tags;
/// refused writes; the effects read back.
pub async fn writes(p: &mut Pair, ids: &Created) {
    let n = Norm::default();
    let add_tag = Value::Array(vec![Value::from(vec![4i64, ids.tag])]);
    let positional = |model: &str, id: i64, vals: Struct| {
        bot(Call::write(model, "write")
            .ids(&[id])
            .positional_arg("vals", Value::Struct(vals)))
    };
    let keyword = |model: &str, id: i64, vals: Struct| {
        bot(Call::write(model, "write")
            .ids(&[id])
            .arg("vals", Value::Struct(vals)))
    };
    let cases = [
        (
            "write partner positional",
            positional(
                "res.partner",
                ids.b,
                Struct::new().with("category_id", add_tag.clone()),
            ),
        ),
        (
            "write partner keyword vals",
            keyword(
                "res.partner",
                ids.b,
                Struct::new().with("email", "b@diff.example"),
            ),
        ),
        (
            "write tag positional",
            positional(
                "res.partner.category",
                ids.tag,
                Struct::new().with("color", 5i64),
            ),
        ),
        (
            "write tag keyword vals",
            keyword(
                "res.partner.category",
                ids.tag,
                Struct::new().with("color", 6i64),
            ),
        ),
        (
            "write a missing partner",
            positional(
                "res.partner",
                999_999,
                Struct::new().with("name", "Diff gone"),
            ),
        ),
        (
            "write an unknown field",
            positional(
                "res.partner",
                ids.b,
                Struct::new().with("no_such_field", 1i64),
            ),
        ),
        (
            "read back the writes",
            bot(Call::read("res.partner", "read")
                .ids(&[ids.b])
                .arg("fields", strings(&["email", "category_id"]))),
        ),
        (
            "read back the tag",
            bot(Call::read("res.partner.category", "read")
                .ids(&[ids.tag])
                .arg("fields", strings(&["color"]))),
        ),
    ];
    for (name, request) in cases {
        p.same(name, request, None, n).await;
    }
}
