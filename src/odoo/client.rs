//! `OdooClient`: the [`OdooApi`] over HTTP. It probes the server version, picks the
//! protocol (`auto`: JSON-2 on Odoo ≥ 19, XML-RPC before), authenticates once, limits
//! concurrent calls, retries transient failures of reads with backoff, and never
//! retries a write whose outcome is unknown (the caller checks first).

use crate::config::{OdooConfig, Protocol, Secret};
use crate::odoo::api::{Call, Effect, OdooApi, ServerVersion};
pub use crate::odoo::counters::{CallCounters, REQUEST_BUCKETS, RequestStats};
use crate::odoo::error::{CallSite, ErrorKind, OdooError};
use crate::odoo::transport::{json2, xmlrpc};
use crate::odoo::{Struct, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

/// What is needed to reach one Odoo database.
#[derive(Clone, Debug)]
pub struct Connection {
    pub url: url::Url,
    pub database: String,
    pub login: String,
    pub key: Secret,
    pub protocol: Protocol,
    pub timeout: Duration,
    pub attempts: u32,
    pub max_concurrency: usize,
    /// First retry delay; doubled at each attempt.
    pub backoff: Duration,
}

impl Connection {
    /// From validated configuration. `key` is the resolved `odoo.api_key`.
    pub fn from_config(odoo: &OdooConfig, key: Secret) -> Result<Self, crate::config::ConfigError> {
        let mut url = url::Url::parse(&odoo.url)
            .map_err(|e| crate::config::ConfigError::new("odoo.url", format!("not a URL: {e}")))?;
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Self {
            url,
            database: odoo.database.clone(),
            login: odoo.login.clone(),
            key,
            protocol: odoo.protocol,
            timeout: Duration::from_secs(odoo.timeout_secs),
            attempts: odoo.attempts,
            max_concurrency: odoo.max_concurrency,
            backoff: Duration::from_millis(250),
        })
    }
}

/// Who we are on the server, learnt once.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Session {
    pub version: ServerVersion,
    /// The protocol actually used (never `Auto`).
    pub protocol: Protocol,
    pub uid: i64,
}

pub struct OdooClient {
    conn: Connection,
    http: reqwest::Client,
    limit: Semaphore,
    session: OnceCell<Session>,
    pub counters: CallCounters,
    /// Trips when Odoo cannot be reached: later calls of the run fail at once, unsent.
    pub breaker: crate::breaker::Breaker,
}

impl OdooClient {
    pub fn new(conn: Connection) -> Result<Self, OdooError> {
        let http = reqwest::Client::builder()
            .timeout(conn.timeout)
            .connect_timeout(conn.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("relanced/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| OdooError::new(ErrorKind::Tls, CallSite::default(), e.to_string()))?;
        let limit = Semaphore::new(conn.max_concurrency.max(1));
        let server = match (conn.url.host_str(), conn.url.port_or_known_default()) {
            (Some(host), Some(port)) => format!("Odoo {host}:{port}"),
            _ => "Odoo".to_owned(),
        };
        Ok(Self {
            conn,
            http,
            limit,
            session: OnceCell::new(),
            counters: CallCounters::default(),
            breaker: crate::breaker::Breaker::new(server),
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Probes the version, picks the protocol and authenticates (once per client).
    pub async fn session(&self) -> Result<&Session, OdooError> {
        self.session.get_or_try_init(|| self.open_session()).await
    }

    async fn open_session(&self) -> Result<Session, OdooError> {
        let version = self.version().await?;
        let protocol = match self.conn.protocol {
            Protocol::Auto if version.major >= 19 => Protocol::Json2,
            Protocol::Auto => Protocol::Xmlrpc,
            Protocol::Json2 if version.major < 19 => {
                return Err(OdooError::new(
                    ErrorKind::Protocol,
                    site("", "json2"),
                    format!(
                        "odoo.protocol = \"json2\" needs Odoo 19 or later; this server is {}",
                        version.serie
                    ),
                ));
            }
            p => p,
        };
        let uid = match protocol {
            Protocol::Json2 => {
                let ctx = self
                    .send(&Call::read("res.users", "context_get"), Protocol::Json2, 0)
                    .await?;
                ctx.as_struct()
                    .and_then(|c| c.get("uid"))
                    .and_then(Value::as_i64)
                    .ok_or_else(|| {
                        OdooError::new(
                            ErrorKind::Protocol,
                            site("res.users", "context_get"),
                            "no uid in the context",
                        )
                    })?
            }
            _ => self.authenticate_xmlrpc().await?,
        };
        tracing::info!(server = %version.server_version, protocol = ?protocol, uid, "connected to Odoo");
        Ok(Session {
            version,
            protocol,
            uid,
        })
    }

    /// A call to `/xmlrpc/2/common` (no session needed), retried like a read.
    async fn common(&self, method: &str, params: &[Value]) -> Result<Value, OdooError> {
        self.with_retries(Effect::Read, site("common", method), || async {
            let _permit = self
                .limit
                .acquire()
                .await
                .expect("the semaphore is never closed");
            xmlrpc::post(
                &self.http,
                &self.conn.url,
                "common",
                method,
                params,
                site("common", method),
            )
            .await
        })
        .await
    }

    async fn authenticate_xmlrpc(&self) -> Result<i64, OdooError> {
        let params = [
            Value::from(self.conn.database.as_str()),
            Value::from(self.conn.login.as_str()),
            Value::from(self.conn.key.expose()),
            Value::Struct(Struct::new()),
        ];
        let answer = self.common("authenticate", &params).await?;
        match answer {
            // Wrong credentials are not a fault at login: the answer is `False`.
            Value::Bool(false) => Err(OdooError::new(
                ErrorKind::BadCredentials,
                site("common", "authenticate"),
                format!(
                    "login {:?} refused on database {:?}",
                    self.conn.login, self.conn.database
                ),
            )),
            v => v.as_i64().ok_or_else(|| {
                OdooError::new(
                    ErrorKind::Protocol,
                    site("common", "authenticate"),
                    format!("uid is a {}", v.kind()),
                )
            }),
        }
    }

    async fn send(&self, call: &Call, protocol: Protocol, uid: i64) -> Result<Value, OdooError> {
        let _permit = self
            .limit
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.counters.calls.fetch_add(1, Ordering::Relaxed);
        if call.effect == Effect::Write {
            self.counters.writes.fetch_add(1, Ordering::Relaxed);
        }
        let started = std::time::Instant::now();
        let result = match protocol {
            Protocol::Json2 => {
                json2::post(
                    &self.http,
                    &self.conn.url,
                    &self.conn.database,
                    self.conn.key.expose(),
                    call,
                )
                .await
            }
            _ => {
                let params = xmlrpc::execute_kw_params(
                    &self.conn.database,
                    uid,
                    self.conn.key.expose(),
                    call,
                );
                let site = CallSite {
                    model: call.model.clone(),
                    method: call.method.clone(),
                    ids: call.ids.clone().unwrap_or_default(),
                };
                xmlrpc::post(
                    &self.http,
                    &self.conn.url,
                    "object",
                    "execute_kw",
                    &params,
                    site,
                )
                .await
            }
        };
        tracing::debug!(
            model = %call.model, method = %call.method, ms = started.elapsed().as_millis() as u64,
            ok = result.is_ok(), "odoo call"
        );
        self.counters
            .observe(started.elapsed(), result.as_ref().err().map(|e| &e.kind));
        result
    }

    /// Runs `attempt` up to `attempts` times while it fails transiently. A write is
    /// retried only when the request cannot have reached Odoo (connection refused, 429/503).
    async fn with_retries<F, Fut>(
        &self,
        effect: Effect,
        call: CallSite,
        attempt: F,
    ) -> Result<Value, OdooError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<Value, OdooError>>,
    {
        let mut delay = self.conn.backoff;
        let mut n = 1;
        loop {
            if let Some(down) = self.breaker.tripped() {
                // Not sent: nothing can have happened on the server.
                return Err(OdooError::new(ErrorKind::NotSent, call, down.to_string()));
            }
            match attempt().await {
                Ok(v) => {
                    self.breaker.answered();
                    return Ok(v);
                }
                Err(e) => {
                    if e.kind.is_unreachable() {
                        let cause = match e.kind {
                            ErrorKind::Timeout => {
                                format!("no answer within {} s", self.conn.timeout.as_secs())
                            }
                            ref kind => kind.to_string(),
                        };
                        self.breaker
                            .unreachable(&cause, e.kind == ErrorKind::Timeout);
                    } else {
                        self.breaker.answered();
                    }
                    let retry = match effect {
                        Effect::Read => e.kind.is_transient(),
                        Effect::Write => matches!(
                            e.kind,
                            ErrorKind::ConnectionRefused | ErrorKind::Http { status: 429 | 503 }
                        ),
                    };
                    if !retry || n >= self.conn.attempts {
                        return Err(e);
                    }
                    tracing::warn!(call = %call, error = %e.kind, attempt = n, "transient Odoo failure, retrying");
                    self.counters.retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(30));
                    n += 1;
                }
            }
        }
    }
}

fn site(model: &str, method: &str) -> CallSite {
    CallSite {
        model: model.into(),
        method: method.into(),
        ids: vec![],
    }
}

impl OdooApi for OdooClient {
    fn breaker(&self) -> Option<&crate::breaker::Breaker> {
        Some(&self.breaker)
    }

    async fn call(&self, call: Call) -> Result<Value, OdooError> {
        let session = self.session().await?;
        let (protocol, uid) = (session.protocol, session.uid);
        let call_site = CallSite {
            model: call.model.clone(),
            method: call.method.clone(),
            ids: call.ids.clone().unwrap_or_default(),
        };
        self.with_retries(call.effect, call_site, || self.send(&call, protocol, uid))
            .await
    }

    async fn version(&self) -> Result<ServerVersion, OdooError> {
        let answer = self.common("version", &[]).await;
        let value = match answer {
            Ok(v) => v,
            // XML-RPC is announced to go away (Odoo 22): ask the JSON route instead.
            Err(e) if e.kind == (ErrorKind::Http { status: 404 }) => self.web_version().await?,
            Err(e) => return Err(e),
        };
        ServerVersion::from_value(&value).ok_or_else(|| {
            OdooError::new(
                ErrorKind::Protocol,
                site("common", "version"),
                "the version answer has no server_version",
            )
        })
    }
}

impl OdooClient {
    async fn web_version(&self) -> Result<Value, OdooError> {
        let s = site("web", "version");
        let url = self
            .conn
            .url
            .join("web/version")
            .map_err(|e| OdooError::new(ErrorKind::Protocol, s.clone(), e.to_string()))?;
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| crate::odoo::transport::transport_error(&e, s.clone()))?;
        if !response.status().is_success() {
            let status = response.status().as_u16();
            return Err(OdooError::new(
                ErrorKind::Http { status },
                s,
                "neither /xmlrpc/2/common nor /web/version answers: is this an Odoo server?",
            ));
        }
        let json: serde_json::Value = response
            .json()
            .await
            .map_err(|e| OdooError::new(ErrorKind::Protocol, s.clone(), e.to_string()))?;
        let mut v = crate::odoo::json::from_json(&json);
        if let Value::Struct(st) = &mut v
            && st.get("server_version").is_none()
            && let Some(ver) = st.get("version").cloned()
        {
            st.insert("server_version", ver);
            if let Some(info) = st.get("version_info").cloned() {
                st.insert("server_version_info", info);
            }
        }
        Ok(v)
    }
}
