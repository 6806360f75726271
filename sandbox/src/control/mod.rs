//! The test control surface (`--test-control` only; without it these paths are 404). On the API
//! origin:
//!
//! - `POST /__sandbox/keys` `{"account": "creator"|"user"|"hostile", "export_delay_ms"?: u64,
//!   "csv_rows"?: u64}` → `{"key": "<jwt>", "session": "<id>"}`: a new test session and a key
//!   for it (the key carries an extra `sid` claim).
//! - `POST /__sandbox/faults` `{"session": "<id>", "faults": [Fault, ...]}` →
//!   `{"session": "<id>", "queued": n, "pending_faults": n}`; see [`crate::state::Fault`] and
//!   [`faults`], which applies them.
//! - `GET /__sandbox/sessions/{id}` → the session's [`Report`](crate::state::Report).
//! - `GET /__sandbox/closed-port` → `{"port": n}`: a loopback port nothing listens on
//!   ([`closed_port`]).
//!
//! On the demo origin: the landing page of the redirect fault ([`landing`]), the CSP violation
//! reports ([`csp_reports`]), the proxy's counters ([`proxy_requests`]) and a delay of `/pkg/`
//! ([`pkg_delay`]).
//!
//! Bodies are JSON, sent as `application/json` (else 415, [`json`]), with unknown fields
//! rejected (400 `{"error":"bad_request",...}`); an unknown session is 404. The endpoints need no
//! key: they only exist on a sandbox started for tests, answer only their own loopback `Host`
//! ([`crate::host`]) and only pages on a loopback origin get CORS headers ([`crate::cors`];
//! the landing page, a stand-in for a server elsewhere, answers any page).
//!
//! What a caller can ask is bounded: at most 100 faults per request, `times` at most 1000 and
//! 1000 pending per session, at most 2,000,000 CSV rows, and at most 2000 sessions (creating
//! another forgets the oldest).

mod bodies;
mod closed_port;
mod csp_reports;
mod faults;
mod gzip;
mod json;
mod keys;
mod landing;
mod pkg_delay;
mod proxy_requests;
mod sessions;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;

pub use csp_reports::PATH as CSP_REPORTS_PATH;
pub use faults::inject as inject_faults;
pub use pkg_delay::delay as delay_pkg;

use crate::state::Shared;
use crate::{cors, error};

/// The control routes of the API origin.
pub fn api_router() -> Router<Shared> {
    Router::new()
        .route("/__sandbox/keys", post(keys::mint_key))
        .route("/__sandbox/faults", post(faults::queue_faults))
        .route("/__sandbox/sessions/{id}", get(sessions::report))
        .route("/__sandbox/closed-port", get(closed_port::closed_port))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn(json::require_json))
        .layer(cors::loopback_pages())
}

/// The control routes of the demo origin. (CSP reports keep their own content types; the
/// landing page answers any page, as the server elsewhere it stands in for would.)
pub fn demo_router(sandbox: &Shared) -> Router<Shared> {
    let landing = Router::new()
        .route("/__sandbox/landing", get(landing::landing))
        .layer(cors::any_page())
        .layer(from_fn_with_state(sandbox.clone(), cors::count_preflights));
    let control = Router::new()
        .route("/__sandbox/proxy-requests", get(proxy_requests::counts))
        .route("/__sandbox/pkg-delay", post(pkg_delay::set))
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(from_fn(json::require_json))
        .merge(csp_reports::router())
        .layer(cors::loopback_pages());
    landing.merge(control)
}
