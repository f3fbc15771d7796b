//! JSON-2 (`POST /json/2/<model>/<method>`, `Authorization: bearer <key>`), Odoo ≥ 19.
//! Named arguments only; errors come as HTTP statuses with a JSON body whose `debug`
//! traceback is never logged.

use crate::Value;
use crate::call::Call;
use crate::error::{CallSite, ErrorKind, OdooError, classify_json2};
use crate::json::{from_json, to_json};
use crate::transport::transport_error;

#[derive(serde::Deserialize)]
struct ErrorBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    message: String,
}

pub async fn post(
    http: &reqwest::Client,
    base: &url::Url,
    database: &str,
    key: &str,
    call: &Call,
) -> Result<Value, OdooError> {
    let site = CallSite {
        model: call.model.clone(),
        method: call.method.clone(),
        ids: call.ids.clone().unwrap_or_default(),
    };
    let url = base
        .join(&format!("json/2/{}/{}", call.model, call.method))
        .map_err(|e| OdooError::new(ErrorKind::Protocol, site.clone(), e.to_string()))?;
    let mut body = serde_json::Map::new();
    if let Some(ids) = &call.ids {
        body.insert("ids".into(), serde_json::Value::from(ids.clone()));
    }
    for (k, v) in call.kwargs.iter() {
        body.insert(k.to_owned(), to_json(v));
    }
    if let Some(context) = &call.context {
        body.insert("context".into(), to_json(&Value::Struct(context.clone())));
    }
    let response = http
        .post(url)
        .header(reqwest::header::AUTHORIZATION, format!("bearer {key}"))
        .header("X-Odoo-Database", database)
        .json(&serde_json::Value::Object(body))
        .send()
        .await
        .map_err(|e| transport_error(&e, site.clone()))?;
    let status = response.status().as_u16();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| transport_error(&e, site.clone()))?;
    if (200..300).contains(&status) {
        let json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| OdooError::new(ErrorKind::Protocol, site, format!("not JSON: {e}")))?;
        return Ok(from_json(&json));
    }
    match serde_json::from_slice::<ErrorBody>(&bytes) {
        Ok(err) if !err.name.is_empty() => Err(OdooError::new(
            classify_json2(status, &err.name, &err.message),
            site,
            err.message,
        )),
        _ => Err(OdooError::new(
            ErrorKind::Http { status },
            site,
            format!("HTTP {status}"),
        )),
    }
}
