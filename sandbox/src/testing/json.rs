//! The JSON bodies of the control endpoints.
//!
//! A body must come with `Content-Type: application/json` (parameters such as `charset` are
//! fine): anything else is `415 {"error":"unsupported_media_type",...}` before it is read. A
//! web page can send `text/plain` (or a form) to any site without asking first; it cannot send
//! `application/json` to another origin without a CORS preflight, which only loopback pages
//! pass ([`crate::cors::loopback_pages`]).

use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::redact::redact;

/// Middleware: a `POST` must say its body is JSON.
pub async fn require_json(request: Request, next: Next) -> Response {
    if request.method() == Method::POST && !is_json(&request) {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON, with Content-Type: application/json",
        )
        .into_response();
    }
    next.run(request).await
}

fn is_json(request: &Request) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a JSON body; the error message (serde's, which may quote input) is redacted.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("invalid request body: {}", redact(&e.to_string())))
    })
}
