//! XML-RPC on `/xmlrpc/2/common` and `/xmlrpc/2/object` (`execute_kw`).

use crate::call::Call;
use crate::error::{CallSite, ErrorKind, OdooError, classify_fault};
use crate::transport::transport_error;
use crate::xmlrpc::{self, Response};
use crate::{Struct, Value};

/// Sends `method(params)` to `/xmlrpc/2/{service}` and decodes the answer.
pub async fn post(
    http: &reqwest::Client,
    base: &url::Url,
    service: &str,
    method: &str,
    params: &[Value],
    site: CallSite,
) -> Result<Value, OdooError> {
    let body = xmlrpc::encode_call(method, params).map_err(|e| {
        OdooError::new(
            ErrorKind::Validation,
            site.clone(),
            format!("cannot encode the request: {e}"),
        )
    })?;
    let url = base
        .join(&format!("xmlrpc/2/{service}"))
        .map_err(|e| OdooError::new(ErrorKind::Protocol, site.clone(), e.to_string()))?;
    let response = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "text/xml")
        .body(body)
        .send()
        .await
        .map_err(|e| transport_error(&e, site.clone()))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| transport_error(&e, site.clone()))?;
    if !status.is_success() {
        let kind = if status.as_u16() == 404 {
            ErrorKind::Http { status: 404 }
        } else {
            ErrorKind::Http {
                status: status.as_u16(),
            }
        };
        return Err(OdooError::new(
            kind,
            site,
            format!("HTTP {status} from the XML-RPC endpoint"),
        ));
    }
    match xmlrpc::decode_response(&bytes) {
        Ok(Response::Value(v)) => Ok(v),
        Ok(Response::Fault { code, string }) => {
            let (kind, message) = classify_fault(code, &string);
            Err(OdooError::new(kind, site, message))
        }
        Err(e) => Err(OdooError::new(ErrorKind::Protocol, site, e.to_string())),
    }
}

/// `execute_kw(db, uid, key, model, method, args, kwargs)` for a [`Call`].
pub fn execute_kw_params(db: &str, uid: i64, key: &str, call: &Call) -> Vec<Value> {
    let mut args = match &call.ids {
        Some(ids) => vec![Value::Array(ids.iter().map(|i| Value::Int(*i)).collect())],
        None => Vec::new(),
    };
    let mut kwargs = Struct::new();
    for (name, value) in call.kwargs.iter() {
        if !call.positional.contains(&name) {
            kwargs.insert(name, value.clone());
        }
    }
    for name in &call.positional {
        if let Some(value) = call.kwargs.get(name) {
            args.push(value.clone());
        }
    }
    if let Some(context) = &call.context {
        kwargs.insert("context", Value::Struct(context.clone()));
    }
    vec![
        Value::from(db),
        Value::Int(uid),
        Value::from(key),
        Value::from(call.model.as_str()),
        Value::from(call.method.as_str()),
        Value::Array(args),
        Value::Struct(kwargs),
    ]
}
