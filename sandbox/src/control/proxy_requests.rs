//! `GET /__sandbox/proxy-requests` on the demo origin: what the proxy forwarded and refused
//! since start, `{"forwarded": {"GET /user": n, ...}, "refused": n}`. Lets a test check that the
//! demo page's calls really went through `/upstream`.

use axum::extract::State;
use axum::Json;

use crate::state::{ProxyCounts, Shared};

/// `GET /__sandbox/proxy-requests`.
pub async fn counts(State(sandbox): State<Shared>) -> Json<ProxyCounts> {
    Json(sandbox.proxy_requests.counts())
}
