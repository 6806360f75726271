//! Per-request log lines on stderr: `METHOD path status`, nothing else.
//!
//! No headers (so never a key), no query string; the path goes through
//! [`redact`](crate::redact::redact) in case a client put a key in it.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use crate::redact::redact;

/// Middleware that logs each request once its response head is ready.
pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = redact(request.uri().path()).into_owned();
    let response = next.run(request).await;
    eprintln!("{method} {path} {}", response.status().as_u16());
    response
}
