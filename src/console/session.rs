//! Who is logged in, carried in a signed cookie: the identity Odoo gave at login (uid,
//! login, name, interface language, whether they may act, their companies), an expiry and
//! a random nonce, signed with HMAC-SHA256 under the session key. No user table and no
//! session store: logging out revokes the nonce in memory until the session would have
//! expired anyway. The key comes from `console.session_secret`, else it is random at
//! start (sessions then end when the daemon restarts).
//!
//! It never logs a cookie nor the key.

use base64::Engine as _;
use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Mutex;

/// The session cookie's name.
pub const COOKIE: &str = "relanced_session";
/// The cookie that ties the login form's CSRF token to a browser before it has a session.
pub const PRE_COOKIE: &str = "relanced_login";

/// A person logged in through Odoo.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Identity {
    pub uid: i64,
    pub login: String,
    pub name: String,
    /// Interface language: `fr`, `nl` or `en`.
    pub lang: String,
    /// Member of a group of `console.act_groups`.
    pub can_act: bool,
    /// The companies Odoo lets this user see.
    pub companies: Vec<i64>,
}

/// A signed session: the identity, until when, and its nonce.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub identity: Identity,
    /// Unix seconds.
    pub expires: i64,
    pub nonce: String,
}

/// The signing key and the revoked nonces.
pub struct Keys {
    key: Vec<u8>,
    revoked: Mutex<HashMap<String, i64>>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

/// Random bytes from the kernel.
pub fn random_bytes(n: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut buf = vec![0u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf)
}

/// A random token of `n` bytes, as hex.
pub fn random_hex(n: usize) -> std::io::Result<String> {
    Ok(hex::encode(random_bytes(n)?))
}

impl Keys {
    /// Keys signing with `key` (the configured secret's bytes).
    pub fn new(key: &[u8]) -> Keys {
        Keys {
            key: key.to_vec(),
            revoked: Mutex::default(),
        }
    }

    /// Keys with a random key (sessions end at restart).
    pub fn random() -> std::io::Result<Keys> {
        Ok(Keys::new(&random_bytes(32)?))
    }

    fn mac(&self, purpose: &str, data: &[u8]) -> Hmac<Sha256> {
        // HMAC accepts keys of any length: this cannot fail.
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(data);
        mac
    }

    /// Hex HMAC of `data` for `purpose` (sessions, CSRF tokens, the login cookie).
    pub fn sign(&self, purpose: &str, data: &[u8]) -> String {
        hex::encode(self.mac(purpose, data).finalize().into_bytes())
    }

    /// Whether `tag` is `sign(purpose, data)`, compared in constant time.
    pub fn verify(&self, purpose: &str, data: &[u8], tag: &str) -> bool {
        match hex::decode(tag) {
            Ok(tag) => self.mac(purpose, data).verify_slice(&tag).is_ok(),
            Err(_) => false,
        }
    }

    /// The cookie value of `session`: `base64url(json).hex(hmac)`.
    pub fn seal(&self, session: &Session) -> String {
        let json = serde_json::to_vec(session).unwrap_or_default();
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&json);
        let tag = self.sign("session", body.as_bytes());
        format!("{body}.{tag}")
    }

    /// The session in `cookie` when it is signed by this key, not expired at `now` (unix
    /// seconds) and not revoked.
    pub fn open(&self, cookie: &str, now: i64) -> Option<Session> {
        let (body, tag) = cookie.split_once('.')?;
        if !self.verify("session", body.as_bytes(), tag) {
            return None;
        }
        let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .ok()?;
        let session: Session = serde_json::from_slice(&json).ok()?;
        if session.expires <= now || self.is_revoked(&session.nonce) {
            return None;
        }
        Some(session)
    }

    /// Logging out: the session's nonce is refused until it expires.
    pub fn revoke(&self, session: &Session, now: i64) {
        let mut revoked = self.revoked.lock().unwrap_or_else(|e| e.into_inner());
        revoked.retain(|_, expires| *expires > now);
        revoked.insert(session.nonce.clone(), session.expires);
    }

    fn is_revoked(&self, nonce: &str) -> bool {
        self.revoked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(nonce)
    }
}

/// The value of cookie `name` in a `Cookie:` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Path=/`, `Max-Age`, and `Secure`
/// when asked.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(expires: i64) -> Session {
        Session {
            identity: Identity {
                uid: 7,
                login: "compta".into(),
                name: "Compta".into(),
                lang: "fr".into(),
                can_act: true,
                companies: vec![1],
            },
            expires,
            nonce: "n1".into(),
        }
    }

    #[test]
    fn a_sealed_session_opens_until_it_expires_or_is_revoked() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let cookie = keys.seal(&session(1000));
        assert_eq!(keys.open(&cookie, 999), Some(session(1000)));
        assert_eq!(keys.open(&cookie, 1000), None, "expired");
        keys.revoke(&session(1000), 10);
        assert_eq!(keys.open(&cookie, 999), None, "revoked");
    }

    #[test]
    fn a_forged_or_foreign_cookie_is_refused() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let other = Keys::new(b"another key, another daemon.....");
        let cookie = keys.seal(&session(1000));
        assert_eq!(other.open(&cookie, 1), None);
        let (body, tag) = cookie.split_once('.').unwrap();
        let mut forged = session(1000);
        forged.identity.can_act = true;
        forged.identity.companies = vec![1, 2];
        let json = serde_json::to_vec(&forged).unwrap();
        let body2 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        assert_ne!(body, body2);
        assert_eq!(keys.open(&format!("{body2}.{tag}"), 1), None);
        assert_eq!(keys.open("garbage", 1), None);
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_when_asked() {
        let c = set_cookie(COOKIE, "v", 60, true);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict") && c.contains("Secure"));
        assert!(!set_cookie(COOKIE, "v", 60, false).contains("Secure"));
        assert_eq!(cookie("a=1; relanced_session=xyz", COOKIE), Some("xyz"));
    }
}
