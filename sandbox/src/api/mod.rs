//! The API origin: the documented endpoints ([`routes`]), the pool images ([`images`]) and,
//! with `--test-control`, the control endpoints ([`crate::control`]).
//!
//! | route | answer |
//! |---|---|
//! | `GET /user` | the key owner's record ([`crate::accounts::UserRecord`]) |
//! | `POST /file/{emails,supporters,rewards}` | a JSON string: the export's reference id |
//! | `GET /file/link/{id}` | 404 until ready, then the CSV (`text/csv; charset=utf-8`) |
//! | `GET /images/{logo,hero,profile}.svg` | the creator pool's images |
//!
//! Everything else is `404 {"error":"not_found",...}`, a known path with another method `405`.
//! Requests addressed to another `Host` are 421 ([`crate::host`]). Every answer carries
//! `X-Content-Type-Options: nosniff`, so a browser never renders a JSON
//! or CSV answer (or a faulted one) as anything but what its `Content-Type` says.

mod images;
mod routes;

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::host::{self, AllowedHosts};
use crate::state::Shared;
use crate::{control, cors, error};

/// The API origin's router. Layers, innermost first: routes → fault injection → CORS for any
/// page; the control routes (CORS for loopback pages only, [`crate::cors`]) beside them; then,
/// around both, the preflight counter → `Host` check → `nosniff`.
pub fn router(sandbox: Shared, hosts: AllowedHosts) -> Router {
    let api = Router::new()
        .route("/user", get(routes::user))
        .route("/file/{kind}", post(routes::request_export))
        .route("/file/link/{id}", get(routes::export_link))
        .route("/images/{name}", get(images::serve))
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::not_found)
        .layer(from_fn_with_state(sandbox.clone(), control::inject_faults))
        .layer(cors::any_page());
    let api = if sandbox.test_control {
        api.merge(control::api_router())
    } else {
        api
    };
    api.layer(from_fn_with_state(sandbox.clone(), cors::count_preflights))
        .layer(from_fn_with_state(Arc::new(hosts), host::check))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(sandbox)
}
