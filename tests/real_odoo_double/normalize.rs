//! Answers as compared: XML-RPC values as JSON that keeps the types JSON would merge,
//! tracebacks cut to the exception raised, and what differs only by the deployment
//! (the PostgreSQL port, the users' ids) replaced by placeholders.

use crate::pair::{Norm, Side};
use relanced::odoo::Value;
use relanced::odoo::json::to_json;
use serde_json::{Value as Json, json};

/// XML-RPC values as JSON, keeping the XML-RPC types JSON would merge.
pub fn wire_json(v: &Value) -> Json {
    match v {
        Value::Nil => json!({ "nil": true }),
        Value::DateTime(s) => json!({ "dateTime": s }),
        Value::Base64(_) => json!({ "base64": to_json(v) }),
        Value::Array(a) => Json::Array(a.iter().map(wire_json).collect()),
        Value::Struct(s) => Json::Object(
            s.iter()
                .map(|(k, v)| (k.to_owned(), wire_json(v)))
                .collect(),
        ),
        other => to_json(other),
    }
}

pub fn normalize(side: &Side, mut answer: Json, norm: Norm) -> Json {
    if let Some(obj) = answer.as_object_mut() {
        // A traceback (fault 1) is compared by its last line, the exception raised:
        // the frames above it are Odoo's internals and file paths.
        if obj.get("fault") == Some(&json!(1))
            && let Some(Json::String(s)) = obj.get("string")
        {
            let last = s.trim_end().lines().last().unwrap_or("").to_owned();
            obj.insert("string".into(), Json::String(last));
        }
        // JSON-2's `debug` is the traceback: same reason.
        if let Some(Json::Object(body)) = obj.get_mut("body") {
            body.remove("debug");
        }
        if norm.bot_uid
            && let Some(v) = obj.get_mut("value")
            && v.as_i64() == Some(side.bot.uid)
        {
            *v = json!("<bot>");
        }
    }
    let mut answer = map_strings(answer, &|s| {
        // The PostgreSQL port of the deployment shows in "database does not exist".
        let s = side.local(s);
        match s.find(", port ") {
            Some(at) if s.contains("does not exist") => {
                let end = s[at + 7..].find(' ').map_or(s.len(), |e| at + 7 + e);
                format!("{}, port <pg>{}", &s[..at], &s[end..])
            }
            _ => s,
        }
    });
    if norm.user_ids {
        mask_user_ids(&mut answer, side);
    }
    answer
}

fn map_strings(v: Json, f: &dyn Fn(&str) -> String) -> Json {
    match v {
        Json::String(s) => Json::String(f(&s)),
        Json::Array(a) => Json::Array(a.into_iter().map(|x| map_strings(x, f)).collect()),
        Json::Object(o) => {
            Json::Object(o.into_iter().map(|(k, x)| (k, map_strings(x, f))).collect())
        }
        other => other,
    }
}

const USER_FIELDS: [&str; 5] = ["user_id", "author_id", "create_uid", "write_uid", "uid"];

fn mask_user_ids(v: &mut Json, side: &Side) {
    match v {
        Json::Array(a) => a.iter_mut().for_each(|x| mask_user_ids(x, side)),
        Json::Object(o) => {
            for (k, x) in o.iter_mut() {
                if USER_FIELDS.contains(&k.as_str()) {
                    match x {
                        Json::Array(pair) if pair.len() == 2 => pair[0] = json!("<id>"),
                        Json::Number(n) if n.as_i64() == Some(side.bot.uid) => *x = json!("<bot>"),
                        _ => {}
                    }
                } else {
                    mask_user_ids(x, side);
                }
            }
        }
        _ => {}
    }
}
