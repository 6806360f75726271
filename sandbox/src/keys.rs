//! Sandbox API keys: HS256 JWTs signed with a fixed, public, sandbox-only secret.
//!
//! Like the real API's keys, they never expire (no `exp` claim is required or checked).
//! A key is accepted when its signature is valid, its issuer is the sandbox, its `sub` names one
//! of the [`Account`]s and, for keys minted by the control API, its `sid` names a live test
//! session (the API origin checks that last part: this module knows no sessions).

use axum::http::{header, HeaderMap};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::error::ApiError;

/// The HMAC secret that signs every sandbox key.
///
/// SANDBOX ONLY. It is public (it is right here), so anybody can mint sandbox keys: they grant
/// access to this local stand-in and nothing else. It is a constant so that the demo keys are
/// byte-identical across restarts and machines.
pub const SANDBOX_ONLY_JWT_SECRET: &[u8] =
    b"access-api-sandbox: public, sandbox-only signing secret; grants nothing anywhere else";

/// The `iss` claim of every sandbox key.
pub const ISSUER: &str = "access-api-sandbox";

/// The fixed `iat` of the demo keys (2023-11-14T22:13:20Z).
pub const DEMO_KEY_ISSUED_AT: u64 = 1_700_000_000;

/// The claims of a sandbox key. Serialized in this order: `sub`, `iss`, `iat`, then `sid`.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    iat: u64,
    /// The test session of a key minted by `POST /__sandbox/keys`; absent in demo keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
}

/// Who made a request: the account its key names and, for a test key, the test session.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The account named by the key's `sub`.
    pub account: Account,
    /// The key's `sid` claim, if it was minted for a test session.
    pub session: Option<String>,
}

/// The deterministic demo key of `account`: `{"sub": <pubkey>, "iss": "access-api-sandbox",
/// "iat": 1700000000}` under jsonwebtoken's default HS256 header.
///
/// # Errors
///
/// Only if JWT encoding itself fails, which it does not for these claims.
pub fn demo_key(account: Account) -> jsonwebtoken::errors::Result<String> {
    sign(&Claims {
        sub: account.pubkey().into(),
        iss: ISSUER.into(),
        iat: DEMO_KEY_ISSUED_AT,
        sid: None,
    })
}

/// A fresh key of `account` for the test session `session` (an extra `sid` claim).
///
/// # Errors
///
/// Only if JWT encoding itself fails.
pub fn session_key(
    account: Account,
    session: &str,
    issued_at: u64,
) -> jsonwebtoken::errors::Result<String> {
    sign(&Claims {
        sub: account.pubkey().into(),
        iss: ISSUER.into(),
        iat: issued_at,
        sid: Some(session.into()),
    })
}

fn sign(claims: &Claims) -> jsonwebtoken::errors::Result<String> {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(SANDBOX_ONLY_JWT_SECRET),
    )
}

/// Authenticates a request from its `Authorization: Bearer <key>` header: who the key names
/// (whether its test session still exists is for the caller to check).
///
/// # Errors
///
/// A 401 [`ApiError`] whose message says what is wrong in general terms, never containing the key.
pub fn identify(headers: &HeaderMap) -> Result<Identity, ApiError> {
    let token = bearer_token(headers)?;
    let claims = verify(token)?;
    let account = Account::from_pubkey(&claims.sub)
        .ok_or_else(|| ApiError::unauthorized("the key does not belong to any sandbox account"))?;
    Ok(Identity {
        account,
        session: claims.sid,
    })
}

/// The test session named by a request's key, if the key is a valid sandbox key with a `sid`.
/// Used by fault injection, which must not trust an unverified claim.
pub fn session_of(headers: &HeaderMap) -> Option<String> {
    let token = bearer_token(headers).ok()?;
    verify(token).ok()?.sid
}

fn bearer_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::unauthorized(
            "missing Authorization header; send `Authorization: Bearer <API key>`",
        )
    })?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not valid ASCII"))?;
    let (scheme, token) = value
        .trim()
        .split_once(char::is_whitespace)
        .ok_or_else(|| {
            ApiError::unauthorized("the Authorization header must be `Bearer <API key>`")
        })?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(ApiError::unauthorized(
            "the Authorization header must use the Bearer scheme",
        ));
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(ApiError::unauthorized(
            "the Authorization header holds an empty key",
        ));
    }
    Ok(token)
}

fn verify(token: &str) -> Result<Claims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    // The documented keys never expire.
    validation.validate_exp = false;
    validation.required_spec_claims = ["sub".to_owned(), "iss".to_owned()].into();
    validation.set_issuer(&[ISSUER]);
    decode::<Claims>(
        token,
        &DecodingKey::from_secret(SANDBOX_ONLY_JWT_SECRET),
        &validation,
    )
    .map(|data| data.claims)
    .map_err(|_| {
        ApiError::unauthorized("the key is malformed, wrongly signed or not a sandbox key")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_keys_are_deterministic_and_verify() {
        let key = demo_key(Account::Creator).unwrap();
        assert_eq!(key, demo_key(Account::Creator).unwrap());
        // {"typ":"JWT","alg":"HS256"}
        assert!(
            key.starts_with("eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9."),
            "{key}"
        );
        let claims = verify(&key).unwrap();
        assert_eq!(claims.sub, Account::Creator.pubkey());
        assert_eq!(claims.iat, DEMO_KEY_ISSUED_AT);
        assert!(claims.sid.is_none());
    }

    #[test]
    fn rejects_foreign_keys() {
        let foreign = encode(
            &Header::default(),
            &Claims {
                sub: Account::Creator.pubkey().into(),
                iss: ISSUER.into(),
                iat: 1,
                sid: None,
            },
            &EncodingKey::from_secret(b"another secret"),
        )
        .unwrap();
        assert!(verify(&foreign).is_err());
        assert!(verify("not.a.jwt").is_err());
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert!(bearer_token(&headers).is_err());
        headers.insert(header::AUTHORIZATION, "bearer  abc ".parse().unwrap());
        assert_eq!(bearer_token(&headers).unwrap(), "abc");
    }
}
