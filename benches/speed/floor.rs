//! The server's floor: the reads any dunning run needs (the open receivable lines, their
//! invoices, the customers), sent exactly as relanced sends them (its models, domain,
//! fields, context, page size, `id > last` paging, `read` by 2 000 ids) over XML-RPC or
//! JSON-2, one request at a time on one connection, each answer read to its last byte and
//! never decoded. The page boundaries and id lists are found beforehand as admin (not
//! measured), since the measured side decodes nothing.

use super::kit::Server;
use odoo_wire::{Call, Struct, Value};
use relanced::odoo::records::{
    INVOICE_FIELDS, OPEN_ITEM_FIELDS, PARTNER_FIELDS, company_context, open_items_domain,
};
use serde_json::json;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const COMPANY: i64 = 1;
/// relanced's `read` chunk (`OdooApi::read`).
const READ_CHUNK: usize = 2000;

/// Who reads, and how.
pub struct Reader<'a> {
    pub server: &'a Server,
    pub db: &'a str,
    pub protocol: &'a str,
    pub uid: i64,
    pub key: &'a str,
    pub page_size: usize,
}

/// The requests of one floor measurement, ready to send.
pub struct Requests {
    calls: Vec<Call>,
}

/// A floor measurement.
pub struct Floor {
    pub time: Duration,
    pub calls: usize,
    pub bytes: usize,
}

fn fields(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|f| Value::from(*f)).collect())
}

impl Reader<'_> {
    /// The calls relanced makes for these reads, on the book as it is now.
    pub async fn requests(&self) -> Requests {
        let db = self.db;
        let admin = |model: &'static str, method: &'static str, args, kw| {
            self.server.call(db, model, method, args, kw)
        };
        // The exclusion flag relanced adds when the server has one (`Features`).
        let known = admin(
            "account.move.line",
            "fields_get",
            json!([]),
            json!({"attributes": ["type"]}),
        )
        .await;
        let flag = ["no_followup", "blocked"]
            .into_iter()
            .find(|f| known.get(*f).is_some());
        let mut line_fields = OPEN_ITEM_FIELDS.to_vec();
        line_fields.extend(flag);
        let domain = json!([
            ["account_type", "=", "asset_receivable"],
            ["parent_state", "=", "posted"],
            ["reconciled", "=", false],
            ["company_id", "=", COMPANY]
        ]);
        let lines = admin(
            "account.move.line",
            "search_read",
            json!([domain]),
            json!({"fields": ["move_id", "partner_id"], "order": "id asc"}),
        )
        .await;
        let lines = lines.as_array().expect("lines");
        let m2o = |v: &serde_json::Value| v.get(0).and_then(serde_json::Value::as_i64);
        let moves: BTreeSet<i64> = lines.iter().filter_map(|l| m2o(&l["move_id"])).collect();
        let partners: BTreeSet<i64> = lines.iter().filter_map(|l| m2o(&l["partner_id"])).collect();

        let mut calls = Vec::new();
        let context = Some(company_context(COMPANY));
        let mut last = 0;
        let mut page = 0;
        loop {
            let mut domain = open_items_domain(COMPANY);
            domain.push(odoo_wire::leaf("id", ">", last));
            calls.push(
                Call::read("account.move.line", "search_read")
                    .arg("domain", Value::Array(domain))
                    .arg("fields", fields(&line_fields))
                    .context(context.clone())
                    .arg("limit", self.page_size as i64)
                    .arg("order", "id asc"),
            );
            let end = (page + 1) * self.page_size;
            if end > lines.len() {
                break;
            }
            last = lines[end - 1]["id"].as_i64().expect("line id");
            page += 1;
        }
        let reads = |model: &str, ids: &BTreeSet<i64>, names: &[&str], context: Option<Struct>| {
            let ids: Vec<i64> = ids.iter().copied().collect();
            ids.chunks(READ_CHUNK)
                .map(|chunk| {
                    Call::read(model, "read")
                        .ids(chunk)
                        .arg("fields", fields(names))
                        .context(context.clone())
                })
                .collect::<Vec<_>>()
        };
        calls.extend(reads(
            "account.move",
            &moves,
            INVOICE_FIELDS,
            context.clone(),
        ));
        calls.extend(reads("res.partner", &partners, PARTNER_FIELDS, None));
        Requests { calls }
    }

    /// Sends `requests` one after the other; answers read to bytes, not decoded.
    pub async fn measure(&self, requests: &Requests) -> Floor {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(600))
            .build()
            .expect("client");
        let bodies: Vec<(String, String)> = requests
            .calls
            .iter()
            .map(|call| self.encode(call))
            .collect();
        let started = Instant::now();
        let mut bytes = 0;
        for (url, body) in bodies {
            let mut request = http.post(url).body(body);
            request = match self.protocol {
                "json2" => request
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header(
                        reqwest::header::AUTHORIZATION,
                        format!("bearer {}", self.key),
                    )
                    .header("X-Odoo-Database", self.db),
                _ => request.header(reqwest::header::CONTENT_TYPE, "text/xml"),
            };
            let response = request.send().await.expect("floor request");
            assert!(
                response.status().is_success(),
                "floor: HTTP {}",
                response.status()
            );
            bytes += response.bytes().await.expect("floor answer").len();
        }
        Floor {
            time: started.elapsed(),
            calls: requests.calls.len(),
            bytes,
        }
    }

    /// URL and body of `call`, as relanced's transports write them.
    fn encode(&self, call: &Call) -> (String, String) {
        let base = &self.server.url;
        match self.protocol {
            "json2" => {
                let mut body = serde_json::Map::new();
                if let Some(ids) = &call.ids {
                    body.insert("ids".into(), json!(ids));
                }
                for (k, v) in call.kwargs.iter() {
                    body.insert(k.to_owned(), odoo_wire::json::to_json(v));
                }
                if let Some(context) = &call.context {
                    let context = Value::Struct(context.clone());
                    body.insert("context".into(), odoo_wire::json::to_json(&context));
                }
                let url = format!("{base}/json/2/{}/{}", call.model, call.method);
                (url, serde_json::Value::Object(body).to_string())
            }
            _ => {
                let params = odoo_wire::transport::xmlrpc::execute_kw_params(
                    self.db, self.uid, self.key, call,
                );
                let body = odoo_wire::xmlrpc::encode_call("execute_kw", &params).expect("encode");
                (format!("{base}/xmlrpc/2/object"), body)
            }
        }
    }
}
