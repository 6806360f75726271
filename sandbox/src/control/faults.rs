//! Fault injection: making the next request(s) of a test session fail in a chosen way.
//!
//! Faults are queued per session with `POST /__sandbox/faults` (see [`crate::state::Fault`]) and
//! applied by the [`inject`] middleware, which runs in front of every API route (not the
//! control routes). A fault is consumed by the next request made with the session's key whose
//! path starts with the fault's `path` (any path if absent), `times` times.
//!
//! How the fields combine:
//! - `delay_ms` always runs first; alone, the request is then answered normally.
//! - `redirect` answers with a redirect (`status` may pick 301/302/303/307/308; default 307).
//! - `body` replaces the body; `status` (default 200) sets the status.
//! - `text` answers that body with `content_type` (default `application/json`) and `status`
//!   (default 200).
//! - `echo_authorization` answers the error `status` with the request's `Authorization` value
//!   in the body (JSON, or plain text with `content_type: "text/plain"`).
//! - `status` alone answers `{"error": ..., "message": ...}` with that status.
//! - `retry_after` is added, verbatim, to whatever the answer is.
//! - `trickle_ms` sends the answer's body (not a `body` fault's) a few bytes at a time, with
//!   its whole `Content-Length` announced first.

use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::bodies::{self, with_content_type};
use super::json::parse;
use crate::error::ApiError;
use crate::keys;
use crate::state::{Fault, QueueError, Shared, MAX_PENDING_FAULTS};

/// Most faults one `POST /__sandbox/faults` may queue.
const MAX_FAULTS_PER_REQUEST: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultsRequest {
    session: String,
    faults: Vec<Fault>,
}

#[derive(Serialize)]
pub struct FaultsResponse {
    session: String,
    queued: usize,
    pending_faults: u64,
}

/// `POST /__sandbox/faults`.
pub async fn queue_faults(
    State(sandbox): State<Shared>,
    body: Bytes,
) -> Result<Json<FaultsResponse>, ApiError> {
    let request: FaultsRequest = parse(&body)?;
    if request.faults.len() > MAX_FAULTS_PER_REQUEST {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_FAULTS_PER_REQUEST} faults per request"
        )));
    }
    for (index, fault) in request.faults.iter().enumerate() {
        fault
            .validate(sandbox.demo_origin.is_some())
            .map_err(|message| ApiError::bad_request(format!("faults[{index}]: {message}")))?;
    }
    let queued = request.faults.len();
    let pending_faults = sandbox
        .sessions
        .queue(&request.session, request.faults)
        .map_err(|error| match error {
            QueueError::NoSuchSession => ApiError::not_found("no such test session"),
            QueueError::TooManyPending => ApiError::bad_request(format!(
                "a session may have at most {MAX_PENDING_FAULTS} fault applications pending"
            )),
        })?;
    Ok(Json(FaultsResponse {
        session: request.session,
        queued,
        pending_faults,
    }))
}

/// Middleware in front of the API routes: counts requests made with a test-session key and
/// applies the session's next matching fault, if any.
pub async fn inject(State(sandbox): State<Shared>, request: Request, next: Next) -> Response {
    let Some(session) = keys::session_of(request.headers()) else {
        return next.run(request).await;
    };
    let fault = sandbox.sessions.on_request(
        &session,
        request.method(),
        request.uri().path(),
        request.headers(),
    );
    match fault {
        Some(fault) => apply(&sandbox, &session, fault, request, next).await,
        None => next.run(request).await,
    }
}

async fn apply(
    sandbox: &Shared,
    session: &str,
    fault: Fault,
    request: Request,
    next: Next,
) -> Response {
    if let Some(ms) = fault.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let status = fault.status.and_then(|s| StatusCode::from_u16(s).ok());
    let mut response = if fault.redirect.is_some() {
        redirect_to_landing(sandbox, session, status)
    } else if let Some(body) = fault.body {
        let watch = bodies::Watch::new(sandbox, session, &request);
        bodies::replace(body, &fault, status, watch, request, next).await
    } else if fault.echo_authorization {
        echo_authorization(&fault, status, request.headers())
    } else if let Some(text) = fault.text {
        let content_type = fault.content_type.as_deref().unwrap_or("application/json");
        with_content_type(status.unwrap_or(StatusCode::OK), content_type, text)
    } else if let Some(status) = status {
        ApiError::for_status(status).into_response()
    } else {
        next.run(request).await
    };
    if let Some(value) = fault
        .retry_after
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    match fault.trickle_ms {
        Some(ms) => bodies::trickle(response, Duration::from_millis(ms)).await,
        None => response,
    }
}

/// An error answer whose body holds the request's `Authorization` header value.
fn echo_authorization(fault: &Fault, status: Option<StatusCode>, headers: &HeaderMap) -> Response {
    let status = status.unwrap_or(StatusCode::UNAUTHORIZED);
    let received = headers
        .get(header::AUTHORIZATION)
        .map_or("(none)".into(), |v| String::from_utf8_lossy(v.as_bytes()));
    let error = ApiError::for_status(status);
    let message = format!(
        "{}; the request's Authorization header was: {received}",
        error.message()
    );
    let content_type = fault.content_type.as_deref().unwrap_or("application/json");
    let body = if content_type.starts_with("text/plain") {
        message
    } else {
        serde_json::json!({ "error": error.code(), "message": message }).to_string()
    };
    with_content_type(status, content_type, body)
}

fn redirect_to_landing(sandbox: &Shared, session: &str, status: Option<StatusCode>) -> Response {
    let Some(demo) = &sandbox.demo_origin else {
        return ApiError::internal("the redirect fault needs the demo origin").into_response();
    };
    let location = format!("{demo}/__sandbox/landing?session={session}");
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            status.unwrap_or(StatusCode::TEMPORARY_REDIRECT),
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => ApiError::internal("could not build the redirect").into_response(),
    }
}
