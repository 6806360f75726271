//! The JSON error responses of the API origin: `{"error": "<code>", "message": "<text>"}`.
//!
//! Messages are fixed texts chosen by the sandbox; none is built from a request header, so no
//! error ever echoes a key. (The one exception is made on purpose, for tests of a client's
//! redaction: the `echo_authorization` fault, `testing/faults.rs`.)

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An error answer of the API origin.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: String,
    message: String,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: &'a str,
}

impl ApiError {
    /// An error with an explicit status, machine-readable code and human message.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 401: the key is missing, malformed, wrongly signed or names no known account.
    pub fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: the key is valid but may not do this.
    pub fn forbidden(message: &str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 with a message.
    pub fn not_found(message: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 400 (control API only): the request body does not match the documented shape.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 500: something inside the sandbox failed.
    pub fn internal(message: &str) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
    }

    /// An error for any status, as an injected fault sends it: the code is the status's
    /// reason phrase in snake case (`503` → `service_unavailable`, `429` → `too_many_requests`).
    pub fn for_status(status: StatusCode) -> Self {
        let reason = status.canonical_reason().unwrap_or("error");
        let code: String = reason
            .chars()
            .filter(|c| *c != '\'')
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let message = format!("sandbox fault injection: {} {reason}", status.as_u16());
        ApiError::new(status, code, message)
    }
}

impl ApiError {
    /// The machine-readable code (`"unauthorized"`, `"service_unavailable"`, ...).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The human message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: &self.code,
            message: &self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Fallback of the API origin: `404 {"error":"not_found",...}`. The path is not echoed.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such endpoint")
}

/// A route exists for the path, but not for this method: `405 {"error":"method_not_allowed",...}`.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept this method",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_reason_phrases() {
        assert_eq!(
            ApiError::for_status(StatusCode::SERVICE_UNAVAILABLE).code,
            "service_unavailable"
        );
        assert_eq!(
            ApiError::for_status(StatusCode::TOO_MANY_REQUESTS).code,
            "too_many_requests"
        );
        assert_eq!(
            ApiError::for_status(StatusCode::IM_A_TEAPOT).code,
            "im_a_teapot"
        );
    }
}
