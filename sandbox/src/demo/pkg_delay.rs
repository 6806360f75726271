//! A delay of the demo origin's `/pkg/` answers (`--test-control` only), so a test can act on
//! the demo page before its module has loaded.
//!
//! `POST /__sandbox/pkg-delay` `{"delay_ms": n, "times"?: m}` → `{"pending": m}`: the next `m`
//! (default 1, at most 100) requests under `/pkg/` wait `n` ms (at most 60000) before they are
//! answered; a new call replaces the delay set before.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::testing::json::parse;

/// Where a test sets the delay, on the demo origin.
const PATH: &str = "/__sandbox/pkg-delay";
/// Longest delay: one minute.
const MAX_DELAY_MS: u64 = 60_000;
/// Most requests delayed by one call.
const MAX_TIMES: u32 = 100;

/// How long the next `/pkg/` answers wait, and how many of them.
#[derive(Default)]
pub struct PkgDelay {
    next: Mutex<(Duration, u32)>,
}

impl PkgDelay {
    /// The control route that sets the delay, to merge into the demo origin's control routes.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route(PATH, post(set))
            .with_state(self.clone())
    }

    /// `package` (the `/pkg/` files) delayed as set.
    pub fn around(self: &Arc<Self>, package: Router) -> Router {
        package.layer(from_fn_with_state(self.clone(), delay))
    }

    /// The delay of a request under `/pkg/` now arriving, if it is one of those delayed.
    fn take(&self) -> Option<Duration> {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let (delay, times) = &mut *next;
        (*times > 0).then(|| {
            *times -= 1;
            *delay
        })
    }
}

/// The request body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DelayRequest {
    delay_ms: u64,
    #[serde(default = "one")]
    times: u32,
}

fn one() -> u32 {
    1
}

/// The answer.
#[derive(Serialize)]
struct DelayResponse {
    pending: u32,
}

/// `POST /__sandbox/pkg-delay`.
async fn set(
    State(pkg_delay): State<Arc<PkgDelay>>,
    body: Bytes,
) -> Result<Json<DelayResponse>, ApiError> {
    let request: DelayRequest = parse(&body)?;
    if request.delay_ms > MAX_DELAY_MS || !(1..=MAX_TIMES).contains(&request.times) {
        return Err(ApiError::bad_request(format!(
            "`delay_ms` may be at most {MAX_DELAY_MS} and `times` 1 to {MAX_TIMES}"
        )));
    }
    let delay = Duration::from_millis(request.delay_ms);
    *pkg_delay
        .next
        .lock()
        .unwrap_or_else(PoisonError::into_inner) = (delay, request.times);
    Ok(Json(DelayResponse {
        pending: request.times,
    }))
}

/// Middleware of `/pkg/`: waits if this request is one of those delayed.
async fn delay(State(pkg_delay): State<Arc<PkgDelay>>, request: Request, next: Next) -> Response {
    if let Some(delay) = pkg_delay.take() {
        tokio::time::sleep(delay).await;
    }
    next.run(request).await
}
