//! The HTTP side of the double: a hand-written accept loop on
//! `127.0.0.1:0` serving each connection with hyper's HTTP/1.1
//! `serve_connection`, so that switches can drop a connection after reading a
//! request, answer 502, or delay answers.
//!
//! Routing only: protocol work is in `xmlrpc` and `json2`, records in `world`.

use crate::switches::{Switches, Transport};
use crate::world::World;
use crate::{OdooVersion, json2, xmlrpc};
use axum::body::{Body, Bytes};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Requests larger than this are refused (Odoo's default limit is similar).
const MAX_BODY: usize = 128 * 1024 * 1024;

/// What every connection shares.
pub struct Shared {
    pub version: OdooVersion,
    pub world: Mutex<World>,
    pub switches: Switches,
}

impl Shared {
    pub fn world(&self) -> MutexGuard<'_, World> {
        // A panic while holding the lock leaves plain data behind: keep serving.
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A protocol answer before HTTP framing.
pub struct Answer {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: String,
    /// Records in the answer (for slow pages).
    pub records: usize,
}

impl Answer {
    pub fn text(status: StatusCode, body: &str) -> Answer {
        Answer {
            status,
            content_type: "text/plain; charset=utf-8",
            body: body.to_owned(),
            records: 0,
        }
    }
}

/// The connection is closed on purpose, without an answer.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by the Odoo double's switch")]
struct Dropped;

/// Binds and starts serving; returns the address and the serving task.
pub async fn spawn(
    shared: Arc<Shared>,
    token: CancellationToken,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let task = tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                _ = token.cancelled() => break,
                accepted = listener.accept() => accepted,
            };
            let Ok((stream, _)) = accepted else {
                // Accept errors (e.g. too many open files) are transient: go on.
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            };
            let shared = shared.clone();
            let token = token.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| handle(shared.clone(), req));
                let conn = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                tokio::select! {
                    _ = conn => {}
                    _ = token.cancelled() => {}
                }
            });
        }
    });
    Ok((addr, task))
}

async fn handle(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Body>, Dropped> {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(Body::new(body), MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Ok(respond(Answer::text(
                StatusCode::BAD_REQUEST,
                "unreadable body",
            )));
        }
    };
    match shared.switches.transport() {
        Transport::Drop => return Err(Dropped),
        Transport::BadGateway => {
            return Ok(respond(Answer::text(
                StatusCode::BAD_GATEWAY,
                "502 Bad Gateway",
            )));
        }
        Transport::Serve => {}
    }
    let started = std::time::Instant::now();
    let answer = route(
        &shared,
        &parts.method,
        parts.uri.path(),
        &parts.headers,
        &bytes,
    );
    let working = started.elapsed();
    let delay = shared.switches.latency() + shared.switches.page_delay(answer.records);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    shared
        .switches
        .record_served(working, started.elapsed() - working);
    Ok(respond(answer))
}

fn route(
    shared: &Shared,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Answer {
    match (method, path) {
        (&Method::POST, "/xmlrpc/2/common") => xmlrpc::common(shared, body),
        (&Method::POST, "/xmlrpc/2/object") => xmlrpc::object(shared, body),
        (&Method::GET | &Method::POST, "/web/version") => web_version(shared.version),
        (&Method::POST, p) if p.starts_with("/json/2/") && shared.version == OdooVersion::V19 => {
            let rest = &p["/json/2/".len()..];
            match rest.split_once('/') {
                Some((model, m)) if !m.contains('/') => {
                    json2::handle(shared, model, m, headers, body)
                }
                _ => Answer::text(StatusCode::NOT_FOUND, "404 Not Found"),
            }
        }
        _ => Answer::text(StatusCode::NOT_FOUND, "404 Not Found"),
    }
}

fn web_version(version: OdooVersion) -> Answer {
    let (text, major) = match version {
        OdooVersion::V18 => ("18.0+e-20241005", 18),
        OdooVersion::V19 => ("19.0", 19),
    };
    let body = serde_json::json!({
        "version": text,
        "version_info": [major, 0, 0, "final", 0, ""],
    });
    Answer {
        status: StatusCode::OK,
        content_type: "application/json; charset=utf-8",
        body: body.to_string(),
        records: 0,
    }
}

fn respond(answer: Answer) -> Response<Body> {
    let mut resp = Response::new(Body::from(answer.body));
    *resp.status_mut() = answer.status;
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(answer.content_type));
    resp
}
