//! Sandbox API keys: HS256 JWTs signed with a fixed, public, sandbox-only secret.
//!
//! Like the real API's keys, they never expire (no `exp` claim is required or checked).
//! A key is accepted when its signature is valid, its issuer is the sandbox and its `sub` names
//! one of the [`Account`]s. What a key says is an [`Identity`]: the account, the export settings
//! its optional claims ask for, and the test session it was minted for (`sid`). Whether that
//! session still exists is for test control to say ([`crate::testing`]); this module knows no
//! sessions.

use std::time::Duration;

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

/// Most rows a key may ask its exports to have (about 250 MB of CSV, more than the client's
/// default cap of 128 MiB).
pub const MAX_CSV_ROWS: u64 = 2_000_000;
/// Longest export delay a key may ask for: 10 minutes.
pub const MAX_EXPORT_DELAY_MS: u64 = 10 * 60 * 1000;

/// The claims of a sandbox key. Serialized in this order: `sub`, `iss`, `iat`, then the optional
/// ones, each only when set (so the demo keys hold the first three only).
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    iat: u64,
    /// The test session of a key minted by `POST /__sandbox/keys`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    /// How long the key's exports take to become ready, instead of `--export-delay-ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    export_delay_ms: Option<u64>,
    /// How many rows the key's exports have, instead of 25.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    csv_rows: Option<u64>,
}

/// What a valid key says about the request that carries it.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The account named by the key's `sub`.
    pub account: Account,
    /// The export settings the key asks for, if any.
    pub exports: ExportSettings,
    /// The key's `sid` claim: the test session it was minted for. Test control's business; the
    /// documented endpoints never read it.
    pub session: Option<String>,
}

/// Export settings a key may carry (test-session keys do when their session asked).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExportSettings {
    /// Replaces `--export-delay-ms` (at most [`MAX_EXPORT_DELAY_MS`]).
    pub delay: Option<Duration>,
    /// Replaces the default row count (at most [`MAX_CSV_ROWS`]).
    pub csv_rows: Option<u64>,
}

/// A demo key as the start lines and `/sandbox.json` list it.
#[derive(Debug, Clone, Serialize)]
pub struct DemoKey {
    /// `"creator"`, `"user"` or `"hostile"`.
    pub account: Account,
    /// A label for the demo page.
    pub label: &'static str,
    /// The key (a JWT).
    pub key: String,
}

/// The demo key of every account, in [`Account::ALL`] order.
///
/// # Errors
///
/// Only if JWT encoding itself fails, which it does not for these claims.
pub fn demo_keys() -> jsonwebtoken::errors::Result<Vec<DemoKey>> {
    Account::ALL
        .into_iter()
        .map(|account| {
            Ok(DemoKey {
                account,
                label: account.label(),
                key: demo_key(account)?,
            })
        })
        .collect()
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
        export_delay_ms: None,
        csv_rows: None,
    })
}

/// A fresh key of `account` for the test session `session` (a `sid` claim), with the export
/// settings the session asked for (checked by the caller against the maximums).
///
/// # Errors
///
/// Only if JWT encoding itself fails.
pub fn session_key(
    account: Account,
    session: &str,
    exports: ExportSettings,
    issued_at: u64,
) -> jsonwebtoken::errors::Result<String> {
    sign(&Claims {
        sub: account.pubkey().into(),
        iss: ISSUER.into(),
        iat: issued_at,
        sid: Some(session.into()),
        export_delay_ms: exports
            .delay
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        csv_rows: exports.csv_rows,
    })
}

fn sign(claims: &Claims) -> jsonwebtoken::errors::Result<String> {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(SANDBOX_ONLY_JWT_SECRET),
    )
}

/// Authenticates a request from its `Authorization: Bearer <key>` header.
///
/// # Errors
///
/// A 401 [`ApiError`] whose message says what is wrong in general terms, never containing the key.
pub fn identify(headers: &HeaderMap) -> Result<Identity, ApiError> {
    let claims = verify(bearer_token(headers)?)?;
    let account = Account::from_pubkey(&claims.sub)
        .ok_or_else(|| ApiError::unauthorized("the key does not belong to any sandbox account"))?;
    let too_much = claims
        .export_delay_ms
        .is_some_and(|ms| ms > MAX_EXPORT_DELAY_MS)
        || claims.csv_rows.is_some_and(|rows| rows > MAX_CSV_ROWS);
    if too_much {
        // The secret is public: a hand-made key could ask for anything.
        return Err(ApiError::unauthorized(
            "the key asks for a longer export delay or more rows than the sandbox makes",
        ));
    }
    Ok(Identity {
        account,
        exports: ExportSettings {
            delay: claims.export_delay_ms.map(Duration::from_millis),
            csv_rows: claims.csv_rows,
        },
        session: claims.sid,
    })
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
        assert!(claims.export_delay_ms.is_none() && claims.csv_rows.is_none());
    }

    #[test]
    fn session_keys_carry_their_session_and_export_settings() {
        let settings = ExportSettings {
            delay: Some(Duration::from_millis(20)),
            csv_rows: Some(7),
        };
        let key = session_key(Account::User, "s-1", settings, 1).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            format!("Bearer {key}").parse().unwrap(),
        );
        let identity = identify(&headers).unwrap();
        assert_eq!(identity.account, Account::User);
        assert_eq!(identity.session.as_deref(), Some("s-1"));
        assert_eq!(identity.exports, settings);

        let greedy = sign(&Claims {
            sub: Account::Creator.pubkey().into(),
            iss: ISSUER.into(),
            iat: 1,
            sid: None,
            export_delay_ms: None,
            csv_rows: Some(MAX_CSV_ROWS + 1),
        })
        .unwrap();
        headers.insert(
            header::AUTHORIZATION,
            format!("Bearer {greedy}").parse().unwrap(),
        );
        assert!(identify(&headers).is_err());
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
                export_delay_ms: None,
                csv_rows: None,
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
