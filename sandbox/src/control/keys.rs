//! `POST /__sandbox/keys`: a new test session and a key for it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::parse;
use crate::accounts::Account;
use crate::error::ApiError;
use crate::keys;
use crate::state::{Overrides, Shared};

/// Most rows a session may ask its exports to have (about 250 MB of CSV, more than the
/// client's default cap of 128 MiB).
const MAX_CSV_ROWS: u64 = 2_000_000;
/// Longest export delay a session may ask for: 10 minutes.
const MAX_EXPORT_DELAY_MS: u64 = 10 * 60 * 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyRequest {
    account: Account,
    #[serde(default)]
    export_delay_ms: Option<u64>,
    #[serde(default)]
    csv_rows: Option<u64>,
}

#[derive(Serialize)]
pub struct KeyResponse {
    key: String,
    session: String,
}

/// `POST /__sandbox/keys`.
pub async fn mint_key(
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
        .unwrap_or(keys::DEMO_KEY_ISSUED_AT);
    let key = keys::session_key(request.account, &session, now)
        .map_err(|_| ApiError::internal("could not sign the key"))?;
    Ok(Json(KeyResponse { key, session }))
}
