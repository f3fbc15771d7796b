//! One real Odoo database and one Odoo double side by side: the same raw request goes
//! to both (XML-RPC through relanced's own codec and `execute_kw_params`, JSON-2 as
//! relanced's transport builds it), each answer is turned into JSON that keeps what
//! matters on the wire (int vs double vs list, `False` vs `null`, fault code and
//! message, HTTP status and error name), and the two are compared.
//!
//! Record ids are made equal on both sides rather than masked: the real database's
//! sequences start at `FIRST_ID` (set by the book script) and so does the double, and
//! after every request that creates records the double's next id is set to the id the
//! real server gave (Odoo may create records of its own in between, e.g. tracking
//! messages). Ids of reference data that differ (users, their partners) are normalized
//! explicitly by `Norm`.

use crate::normalize::{normalize, wire_json};
use crate::support::Target;
use odoo_double::generator::BOT_UID as DOUBLE_BOT_UID;
use odoo_double::generator::{BOT_API_KEY, BOT_LOGIN, NO_BILLING_UID};
use odoo_double::{GeneratorOptions, OdooVersion, Sim, SimHandle, SimOptions, World};
use relanced::odoo::Value;
use relanced::odoo::api::Call;
use relanced::odoo::json::to_json;
use relanced::odoo::transport::xmlrpc::execute_kw_params;
use relanced::odoo::xmlrpc::{Response, decode_response, encode_call};
use serde_json::{Value as Json, json};

/// First id of the records the comparison creates, on both sides.
pub const FIRST_ID: i64 = 5000;
/// Models whose ids the comparison creates (their sequences start at `FIRST_ID`).
pub const CREATED: [&str; 5] = [
    "res.partner",
    "res.partner.category",
    "mail.message",
    "mail.activity",
    "ir.attachment",
];
const NO_BILLING_KEY: &str = "sales-api-key";
/// Stands for the bot's uid in a request (users are made with different ids per side).
pub const BOT_UID: &str = "<the bot's uid>";
/// Stands for the bot's partner id in a request.
pub const BOT_PARTNER: &str = "<the bot's partner>";
/// Stands for the bot's partner id among a call's ids.
pub const BOT_PARTNER_ID: i64 = -7;

/// Who sends a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The follow-up user (Billing, Contact Creation, Internal User), with its API key.
    Bot,
    /// A user without the Billing group.
    NoBilling,
    /// The bot's uid with a wrong key.
    WrongKey,
}

#[derive(Clone, Debug)]
pub struct User {
    pub uid: i64,
    /// Its `res.partner` (the author of its messages).
    pub partner: i64,
    pub login: String,
    pub key: String,
}

/// One server: its URL, database and users.
pub struct Side {
    pub url: String,
    pub db: String,
    pub bot: User,
    pub no_billing: User,
    pub sim: Option<SimHandle>,
}

impl Side {
    fn user(&self, who: Who) -> (i64, String) {
        match who {
            Who::Bot => (self.bot.uid, self.bot.key.clone()),
            Who::NoBilling => (self.no_billing.uid, self.no_billing.key.clone()),
            Who::WrongKey => (self.bot.uid, "not-the-key".into()),
        }
    }

    /// Normalizes what only differs by the deployment: the bot's uid in messages.
    pub fn local(&self, text: &str) -> String {
        text.replace(&format!("User: {})", self.bot.uid), "User: <bot>)")
    }
}

/// The double's side, for `version`, on a world as small as the real book.
pub async fn double_side(version: OdooVersion) -> Side {
    let options = GeneratorOptions {
        customers: 0,
        version,
        us_company: false,
        // The real server's today (activity states depend on it).
        as_of: chrono::Utc::now().date_naive(),
        ..GeneratorOptions::default()
    };
    let mut world = World::generated(&options);
    for model in CREATED {
        world.set_next_id(model, FIRST_ID);
    }
    if let Some(u) = world.user_mut(NO_BILLING_UID) {
        u.api_keys.push(NO_BILLING_KEY.into());
    }
    // As the real side's `make_user` makes it: English, no time zone.
    if let Some(u) = world.user_mut(DOUBLE_BOT_UID) {
        u.lang = "en_US".into();
        u.tz = String::new();
    }
    let db = world.db.clone();
    let partner = |uid| world.user_partner(uid).expect("the users have partners");
    let (bot_partner, no_billing_partner) = (partner(DOUBLE_BOT_UID), partner(NO_BILLING_UID));
    let sim = Sim::start(SimOptions { version, world })
        .await
        .expect("the double starts");
    Side {
        url: sim.url(),
        db,
        bot: User {
            uid: DOUBLE_BOT_UID,
            partner: bot_partner,
            login: BOT_LOGIN.into(),
            key: BOT_API_KEY.into(),
        },
        no_billing: User {
            uid: NO_BILLING_UID,
            partner: no_billing_partner,
            login: "sales@example.com".into(),
            key: NO_BILLING_KEY.into(),
        },
        sim: Some(sim),
    }
}

/// A request, the same on both sides but for credentials and the database.
#[derive(Clone, Debug)]
pub enum Request {
    /// `/xmlrpc/2/common` `version()`.
    Version,
    /// `/xmlrpc/2/common` `authenticate(db, login, secret, {})`; `good`: the bot's key.
    Authenticate {
        good: bool,
        db: Option<&'static str>,
    },
    /// `execute_kw` (XML-RPC) or `/json/2/<model>/<method>` (JSON-2).
    Call {
        who: Who,
        call: Call,
        /// A database other than the side's.
        db: Option<&'static str>,
        /// XML-RPC only: the `(args, kwargs)` to send instead of relanced's.
        raw: Option<(Vec<Value>, relanced::odoo::Struct)>,
    },
}

impl Request {
    pub fn call(who: Who, call: Call) -> Request {
        Request::Call {
            who,
            call,
            db: None,
            raw: None,
        }
    }
}

/// How an answer is compared, beyond the wire.
#[derive(Clone, Copy, Debug, Default)]
pub struct Norm {
    /// Ids of many2one pairs of user-related fields (`user_id`, `author_id`…) are
    /// replaced by `<id>`: the users are reference data, made with different ids on
    /// each side (the names are kept and compared).
    pub user_ids: bool,
    /// A bare integer answer that is the bot's uid becomes `<bot>` (authenticate).
    pub bot_uid: bool,
}

pub struct Pair {
    pub target: Target,
    pub real: Side,
    pub double: Side,
    pub diffs: Vec<String>,
    pub checks: usize,
}

impl Pair {
    fn json2(&self) -> bool {
        self.target.protocol == "json2"
    }

    /// Sends `request` to the real server, then to the double; `creates`: the model
    /// whose new ids the double must take from the real answer.
    pub async fn same(
        &mut self,
        name: &str,
        request: Request,
        creates: Option<&str>,
        norm: Norm,
    ) -> (Json, Json) {
        let real = send(&self.real, &request, self.json2()).await;
        if let (Some(model), Some(sim)) = (creates, &self.double.sim) {
            let mut ids = ids_in(&real);
            if ids.is_empty() {
                // A call that failed may still have created (`activity_schedule` on 18),
                // and a failed insert still advances PostgreSQL's sequence: take the
                // newest id the real side has (the double skips to it at least).
                ids = last_id(&self.real, model, self.json2()).await;
            }
            if let Some(first) = ids.iter().min() {
                sim.with_world(|w| w.set_next_id(model, *first));
            }
        }
        let double = send(&self.double, &request, self.json2()).await;
        let real = normalize(&self.real, real, norm);
        let double = normalize(&self.double, double, norm);
        self.checks += 1;
        if real != double {
            self.diffs
                .push(format!("{name}:\n   real:   {real}\n   double: {double}"));
        }
        (real, double)
    }

    /// Panics with every difference found.
    pub fn finish(self) {
        assert!(self.checks > 0, "nothing was compared");
        assert!(
            self.diffs.is_empty(),
            "{} of {} answers of the double differ from real Odoo {} over {}:\n{}",
            self.diffs.len(),
            self.checks,
            self.target.version,
            self.target.protocol,
            self.diffs.join("\n")
        );
    }
}

/// `call` with `BOT_UID` replaced by this side's bot uid.
fn localize(side: &Side, call: &Call) -> Call {
    fn walk(side: &Side, v: &Value) -> Value {
        match v {
            Value::String(s) if s == BOT_UID => Value::Int(side.bot.uid),
            Value::String(s) if s == BOT_PARTNER => Value::Int(side.bot.partner),
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(side, x)).collect()),
            Value::Struct(s) => Value::Struct(
                s.iter()
                    .map(|(k, x)| (k.to_owned(), walk(side, x)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut out = call.clone();
    if let Some(ids) = &call.ids {
        out.ids = Some(
            ids.iter()
                .map(|i| {
                    if *i == BOT_PARTNER_ID {
                        side.bot.partner
                    } else {
                        *i
                    }
                })
                .collect(),
        );
    }
    out.kwargs = call
        .kwargs
        .iter()
        .map(|(k, x)| (k.to_owned(), walk(side, x)))
        .collect();
    out
}

/// The newest id of `model` the bot sees on `side`.
async fn last_id(side: &Side, model: &str, json2: bool) -> Vec<i64> {
    let call = Call::read(model, "search")
        .arg("domain", Value::Array(vec![]))
        .arg("order", "id desc")
        .arg("limit", 1i64);
    ids_in(&send(side, &Request::call(Who::Bot, call), json2).await)
}

/// Ids a creation answered: an int, a list of ints (XML-RPC), or JSON-2's body.
fn ids_in(answer: &Json) -> Vec<i64> {
    let body = answer.get("value").or_else(|| answer.get("body"));
    match body {
        Some(Json::Number(n)) => n.as_i64().into_iter().collect(),
        Some(Json::Array(a)) => a.iter().filter_map(Json::as_i64).collect(),
        _ => Vec::new(),
    }
}

async fn send(side: &Side, request: &Request, json2: bool) -> Json {
    match request {
        Request::Version => xmlrpc(side, "common", "version", vec![]).await,
        Request::Authenticate { good, db } => {
            let key = if *good {
                side.bot.key.as_str()
            } else {
                "wrong"
            };
            let params = vec![
                Value::from(db.unwrap_or(&side.db)),
                Value::from(side.bot.login.as_str()),
                Value::from(key),
                Value::Struct(Default::default()),
            ];
            xmlrpc(side, "common", "authenticate", params).await
        }
        Request::Call { who, call, db, raw } => {
            let call = &localize(side, call);
            let db = db.unwrap_or(&side.db);
            let (uid, key) = side.user(*who);
            if json2 {
                return json2_call(side, db, &key, call).await;
            }
            let mut params = execute_kw_params(db, uid, &key, call);
            if let Some((args, kwargs)) = raw {
                params[5] = Value::Array(args.clone());
                params[6] = Value::Struct(kwargs.clone());
            }
            xmlrpc(side, "object", "execute_kw", params).await
        }
    }
}

async fn xmlrpc(side: &Side, service: &str, method: &str, params: Vec<Value>) -> Json {
    let body = encode_call(method, &params).expect("an encodable call");
    let reply = reqwest::Client::new()
        .post(format!("{}/xmlrpc/2/{service}", side.url))
        .header("Content-Type", "text/xml")
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = reply.status().as_u16();
    let bytes = reply.bytes().await.expect("a body");
    match decode_response(&bytes) {
        Ok(Response::Value(v)) => json!({ "value": wire_json(&v) }),
        Ok(Response::Fault { code, string }) => json!({ "fault": code, "string": string }),
        Err(e) => json!({ "status": status, "undecodable": e.to_string() }),
    }
}

/// JSON-2 as relanced's transport sends it: ids, named arguments, context.
async fn json2_call(side: &Side, db: &str, key: &str, call: &Call) -> Json {
    let mut body = serde_json::Map::new();
    if let Some(ids) = &call.ids {
        body.insert("ids".into(), json!(ids));
    }
    for (k, v) in call.kwargs.iter() {
        body.insert(k.to_owned(), to_json(v));
    }
    if let Some(context) = &call.context {
        body.insert("context".into(), to_json(&Value::Struct(context.clone())));
    }
    let reply = reqwest::Client::new()
        .post(format!(
            "{}/json/2/{}/{}",
            side.url, call.model, call.method
        ))
        .header("Authorization", format!("bearer {key}"))
        .header("X-Odoo-Database", db)
        .json(&Json::Object(body))
        .send()
        .await
        .expect("the server answers");
    let status = reply.status().as_u16();
    let content_type = reply
        .headers()
        .get("content-type")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .to_owned();
    let text = reply.text().await.expect("a body");
    match serde_json::from_str::<Json>(&text) {
        Ok(body) => json!({ "status": status, "type": content_type, "body": body }),
        Err(_) => json!({ "status": status, "type": content_type, "text": text }),
    }
}
