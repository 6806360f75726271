//! Test control: one layer around the stand-in ([`crate::api`]), and the endpoints that steer it
//! (`--test-control` only; without it these paths are 404).
//!
//! - Around the stand-in, [`layer`] counts the requests made with a test-session key and answers
//!   the session's next matching fault ([`faults::Fault`], applied by [`inject`]), and refuses a key whose session is
//!   unknown. The stand-in never asks it anything.
//! - On the API origin ([`api_router`]): `POST /__sandbox/keys` (a session and its key) and
//!   `GET /__sandbox/sessions/{id}` (its report) in [`sessions`], `POST /__sandbox/faults` in
//!   [`faults`], `GET /__sandbox/closed-port` in [`closed_port`]; and the session base URLs,
//!   `/__sandbox/s/{session}/...` ([`prefix`]), which name a session without a key.
//! - On the demo origin ([`landing_router`]): the landing page of the `redirect` fault
//!   ([`landing`]). The demo origin's own test features (CSP reports, a delay of `/pkg/`, the
//!   proxy's counters) are the demo's ([`crate::demo`]).
//!
//! Bodies are JSON, sent as `application/json` (else 415, [`json`]), with unknown fields
//! refused (400 `{"error":"bad_request",...}`); an unknown session is 404. The endpoints need no
//! key: they only exist on a sandbox started for tests, answer only their own loopback `Host`
//! ([`crate::host`]) and only pages on a loopback origin get CORS headers
//! ([`crate::cors::loopback_pages`]; the landing page, a stand-in for a server elsewhere,
//! answers any page). What a caller can ask is bounded; the README lists the bounds.

mod bodies;
mod closed_port;
mod faults;
mod gzip;
mod inject;
pub mod json;
mod landing;
mod prefix;
mod sessions;

use std::sync::Arc;

use axum::extract::FromRef;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

pub use inject::layer;
pub use prefix::router as session_prefix_router;
pub use sessions::{count_preflights, route_key, Sessions};

use crate::{cors, error};

/// Test control's state: the sessions, and where the demo origin is (the `redirect` fault's
/// target). Handlers take their part of it ([`FromRef`]).
#[derive(Clone)]
pub struct Testing {
    /// Every test session.
    pub sessions: Arc<Sessions>,
    /// `http://<ip>:<port>` of the demo origin, unless `--no-demo`.
    pub demo_origin: Option<Arc<str>>,
}

impl FromRef<Testing> for Arc<Sessions> {
    fn from_ref(testing: &Testing) -> Self {
        testing.sessions.clone()
    }
}

/// The control routes of the API origin.
pub fn api_router(testing: Testing) -> Router {
    Router::new()
        .route("/__sandbox/keys", post(sessions::mint_key))
        .route("/__sandbox/faults", post(faults::queue))
        .route("/__sandbox/sessions/{id}", get(sessions::report))
        .route("/__sandbox/closed-port", get(closed_port::closed_port))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn(json::require_json))
        .layer(cors::loopback_pages())
        .with_state(testing)
}

/// The landing page of the `redirect` fault, on the demo origin. It answers any page, as the
/// server elsewhere it stands in for would.
pub fn landing_router(sessions: Arc<Sessions>) -> Router {
    let router = Router::new()
        .route("/__sandbox/landing", get(landing::landing))
        .with_state(sessions.clone());
    cors::any_page(router).layer(from_fn_with_state(sessions, count_preflights))
}
