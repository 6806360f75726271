//! CORS of the API origin's documented endpoints (the control endpoints have their own,
//! [`crate::control`]).
//!
//! Any origin may call (`*`: the client sends no cookies, `credentials: "omit"`); the request
//! headers a client needs are named explicitly; `Retry-After` is exposed so a page can honour
//! it. The layer wraps every route, the 404/405 fallbacks and injected faults, so every
//! response, including errors, carries the headers.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::state::Shared;

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The CORS layer: origin `*`; methods GET, POST, OPTIONS; request headers `authorization`,
/// `content-type`; exposed `retry-after`; max-age 600.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Middleware outside [`layer`]: counts preflights (which the CORS layer answers itself).
pub async fn count_preflights(
    State(sandbox): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        sandbox.sessions.count_preflight();
    }
    next.run(request).await
}
