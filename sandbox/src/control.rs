//! Test control endpoints (`--test-control` only; otherwise these paths are 404).
//!
//! - `POST /__sandbox/keys` `{"account": "creator"|"user"|"hostile", "export_delay_ms"?: u64,
//!   "csv_rows"?: u64}` → `{"key": "<jwt>", "session": "<id>"}`: a new test session and a key
//!   for it (the key carries an extra `sid` claim).
//! - `POST /__sandbox/faults` `{"session": "<id>", "faults": [Fault, ...]}` →
//!   `{"session": "<id>", "queued": n, "pending_faults": n}`; see [`crate::faults::Fault`].
//! - `GET /__sandbox/sessions/{id}` → the session's [`Report`](crate::sessions::Report).
//!
//! Bodies are JSON with unknown fields rejected (400 `{"error":"bad_request",...}`); an unknown
//! session is 404. The endpoints need no key: they only exist on a sandbox started for tests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::auth;
use crate::error::{self, ApiError};
use crate::faults::Fault;
use crate::redact::redact;
use crate::sessions::{Overrides, Report};
use crate::state::Shared;

/// Most rows a session may ask its exports to have (about 1 GB of CSV).
const MAX_CSV_ROWS: u64 = 10_000_000;
/// Longest export delay a session may ask for: 10 minutes.
const MAX_EXPORT_DELAY_MS: u64 = 10 * 60 * 1000;

/// The control routes, to be merged into the API origin's router.
pub fn router() -> Router<Shared> {
    Router::new()
        .route("/__sandbox/keys", post(mint_key))
        .route("/__sandbox/faults", post(queue_faults))
        .route("/__sandbox/sessions/{id}", get(report))
        .method_not_allowed_fallback(error::method_not_allowed)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRequest {
    account: Account,
    #[serde(default)]
    export_delay_ms: Option<u64>,
    #[serde(default)]
    csv_rows: Option<u64>,
}

#[derive(Serialize)]
struct KeyResponse {
    key: String,
    session: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsRequest {
    session: String,
    faults: Vec<Fault>,
}

#[derive(Serialize)]
struct FaultsResponse {
    session: String,
    queued: usize,
    pending_faults: u64,
}

/// `POST /__sandbox/keys`.
async fn mint_key(
    State(sandbox): State<Shared>,
    body: Bytes,
) -> Result<Json<KeyResponse>, ApiError> {
    let request: KeyRequest = parse(&body)?;
    if request.csv_rows.is_some_and(|rows| rows > MAX_CSV_ROWS) {
        return Err(ApiError::bad_request(format!(
            "`csv_rows` may be at most {MAX_CSV_ROWS}"
        )));
    }
    if request
        .export_delay_ms
        .is_some_and(|ms| ms > MAX_EXPORT_DELAY_MS)
    {
        return Err(ApiError::bad_request(format!(
            "`export_delay_ms` may be at most {MAX_EXPORT_DELAY_MS}"
        )));
    }
    let overrides = Overrides {
        export_delay: request.export_delay_ms.map(Duration::from_millis),
        csv_rows: request.csv_rows,
    };
    let session = sandbox.sessions.create(request.account, overrides);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(auth::DEMO_KEY_ISSUED_AT);
    let key = auth::session_key(request.account, &session, now)
        .map_err(|_| ApiError::internal("could not sign the key"))?;
    Ok(Json(KeyResponse { key, session }))
}

/// `POST /__sandbox/faults`.
async fn queue_faults(
    State(sandbox): State<Shared>,
    body: Bytes,
) -> Result<Json<FaultsResponse>, ApiError> {
    let request: FaultsRequest = parse(&body)?;
    for (index, fault) in request.faults.iter().enumerate() {
        fault
            .validate(sandbox.demo_origin.is_some())
            .map_err(|message| ApiError::bad_request(format!("faults[{index}]: {message}")))?;
    }
    let queued = request.faults.len();
    let pending_faults = sandbox
        .sessions
        .queue(&request.session, request.faults)
        .ok_or_else(|| ApiError::not_found("no such test session"))?;
    Ok(Json(FaultsResponse {
        session: request.session,
        queued,
        pending_faults,
    }))
}

/// `GET /__sandbox/sessions/{id}`.
async fn report(
    State(sandbox): State<Shared>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Report>, ApiError> {
    id.ok()
        .and_then(|Path(id)| sandbox.sessions.report(&id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such test session"))
}

/// Parses a JSON body; the error message (serde's, which may quote input) is redacted.
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("invalid request body: {}", redact(&e.to_string())))
    })
}
