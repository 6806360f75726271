//! `POST /__sandbox/pkg-delay` `{"delay_ms": n, "times"?: m}` on the demo origin → `{"pending":
//! m}`: the next `m` (default 1, at most 100) requests under `/pkg/` wait `n` ms (at most
//! 60000) before they are answered. A test can then act on the page before its module loads.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::parse;
use crate::error::ApiError;
use crate::state::Shared;

/// Longest delay: one minute.
const MAX_DELAY_MS: u64 = 60_000;
/// Most requests delayed by one call.
const MAX_TIMES: u32 = 100;

/// The request body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelayRequest {
    delay_ms: u64,
    #[serde(default = "one")]
    times: u32,
}

fn one() -> u32 {
    1
}

/// The answer.
#[derive(Serialize)]
pub struct DelayResponse {
    pending: u32,
}

/// `POST /__sandbox/pkg-delay`.
pub async fn set(
    State(sandbox): State<Shared>,
    body: Bytes,
) -> Result<Json<DelayResponse>, ApiError> {
    let request: DelayRequest = parse(&body)?;
    if request.delay_ms > MAX_DELAY_MS || !(1..=MAX_TIMES).contains(&request.times) {
        return Err(ApiError::bad_request(format!(
            "`delay_ms` may be at most {MAX_DELAY_MS} and `times` 1 to {MAX_TIMES}"
        )));
    }
    sandbox
        .pkg_delay
        .set(Duration::from_millis(request.delay_ms), request.times);
    Ok(Json(DelayResponse {
        pending: request.times,
    }))
}

/// Middleware of `/pkg/`: waits if this request is one of those delayed.
pub async fn delay(State(sandbox): State<Shared>, request: Request, next: Next) -> Response {
    if let Some(delay) = sandbox.pkg_delay.take() {
        tokio::time::sleep(delay).await;
    }
    next.run(request).await
}
