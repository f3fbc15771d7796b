//! CSRF tokens: every form carries one, derived from the session's nonce (or, on the
//! login form, from the nonce of the pre-login cookie) with the session key; every POST
//! is refused (403) unless its token matches. A token from another session, another
//! daemon or no token at all never matches.

use super::session::Keys;

/// The hidden field's name.
pub const FIELD: &str = "csrf";

/// The token of the session (or pre-login cookie) whose nonce is `nonce`.
pub fn token(keys: &Keys, nonce: &str) -> String {
    keys.sign("csrf", nonce.as_bytes())
}

/// Whether `given` is the token of `nonce`.
pub fn check(keys: &Keys, nonce: &str, given: Option<&str>) -> bool {
    given.is_some_and(|t| keys.verify("csrf", nonce.as_bytes(), t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_matches_its_own_session_only() {
        let keys = Keys::new(b"0123456789abcdef0123456789abcdef");
        let t = token(&keys, "nonce-a");
        assert!(check(&keys, "nonce-a", Some(&t)));
        assert!(!check(&keys, "nonce-b", Some(&t)));
        assert!(!check(&keys, "nonce-a", None));
        assert!(!check(&keys, "nonce-a", Some("")));
        let other = Keys::new(b"another key, another daemon.....");
        assert!(!check(&other, "nonce-a", Some(&t)));
    }
}
