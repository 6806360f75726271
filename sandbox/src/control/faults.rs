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

use std::convert::Infallible;
use std::io;
use std::time::Duration;

use axum::body::{to_bytes, Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};

use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::parse;
use crate::error::ApiError;
use crate::keys;
use crate::state::{BodyFault, Fault, QueueError, Shared, MAX_PENDING_FAULTS};

/// Default size of an `oversized` body: 2 MiB.
const DEFAULT_OVERSIZED_BYTES: u64 = 2 * 1024 * 1024;
/// Largest response of unknown length the `truncated` fault buffers (every API answer has a
/// known length, so this is only a bound).
const MAX_TRUNCATED_UNKNOWN_LENGTH: usize = 1024 * 1024;
/// Most faults one `POST /__sandbox/faults` may queue.
const MAX_FAULTS_PER_REQUEST: usize = 100;
/// Chunk size of streamed fault bodies.
const CHUNK_SIZE: usize = 64 * 1024;

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
        replace_body(body, &fault, status, request, next).await
    } else if fault.echo_authorization {
        echo_authorization(&fault, status, request.headers())
    } else if let Some(text) = fault.text {
        let content_type = fault.content_type.as_deref().unwrap_or("application/json");
        match HeaderValue::from_str(content_type) {
            Ok(content_type) => (
                status.unwrap_or(StatusCode::OK),
                [(header::CONTENT_TYPE, content_type)],
                text,
            )
                .into_response(),
            Err(_) => ApiError::internal("bad content type").into_response(),
        }
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
    response
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
    match HeaderValue::from_str(content_type) {
        Ok(content_type) => (status, [(header::CONTENT_TYPE, content_type)], body).into_response(),
        Err(_) => ApiError::internal("bad content type").into_response(),
    }
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

async fn replace_body(
    kind: BodyFault,
    fault: &Fault,
    status: Option<StatusCode>,
    request: Request,
    next: Next,
) -> Response {
    let replaced_status = status;
    let status = status.unwrap_or(StatusCode::OK);
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    match kind {
        BodyFault::Truncated => {
            let announce = fault.content_length.unwrap_or(true);
            truncate(next.run(request).await, replaced_status, announce).await
        }
        BodyFault::Malformed => (status, json, MALFORMED_JSON).into_response(),
        BodyFault::InvalidUtf8 => {
            let content_type = fault
                .content_type
                .as_deref()
                .unwrap_or("text/csv; charset=utf-8");
            match HeaderValue::from_str(content_type) {
                Ok(content_type) => (
                    status,
                    [(header::CONTENT_TYPE, content_type)],
                    INVALID_UTF8_CSV,
                )
                    .into_response(),
                Err(_) => ApiError::internal("bad content type").into_response(),
            }
        }
        BodyFault::Html => {
            let page = if replaced_status.is_some() {
                proxy_error_page(status)
            } else {
                CAPTIVE_PORTAL_PAGE.into()
            };
            (
                status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                )],
                page,
            )
                .into_response()
        }
        BodyFault::Oversized => {
            let size = fault.bytes.unwrap_or(DEFAULT_OVERSIZED_BYTES);
            let body = Body::from_stream(stream::iter(
                oversized_chunks(size).map(Ok::<_, Infallible>),
            ));
            with_length(
                (status, json, body).into_response(),
                fault.content_length.unwrap_or(true).then_some(size),
            )
        }
        BodyFault::Abort => {
            let first = Bytes::from_static(ABORTED_PREFIX);
            let body =
                stream::once(async move { Ok::<_, io::Error>(first) }).chain(stream::once(async {
                    // Let the head and the first bytes reach the client, then drop the connection.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err(io::Error::new(
                        io::ErrorKind::ConnectionAborted,
                        "sandbox fault: abort",
                    ))
                }));
            let announced = fault
                .content_length
                .unwrap_or(true)
                .then_some(ABORTED_ANNOUNCED_LENGTH);
            with_length(
                (status, json, Body::from_stream(body)).into_response(),
                announced,
            )
        }
    }
}

/// The real response with its body cut in half (and the status replaced if the fault has one),
/// streamed, never buffered whole. `announce` (the default): the full `Content-Length` is
/// announced and the connection dropped after the first half, a real short body. Otherwise a
/// complete answer of the first half (`Content-Length` says the half), ending cleanly.
async fn truncate(response: Response, status: Option<StatusCode>, announce: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    let announced = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .or(HttpBody::size_hint(&body).exact());
    let (full, body) = match announced {
        Some(full) => (full, body),
        // Every API answer has a known length; just in case, buffer a bounded amount.
        None => match to_bytes(body, MAX_TRUNCATED_UNKNOWN_LENGTH).await {
            Ok(bytes) => (bytes.len() as u64, Body::from(bytes)),
            Err(_) => {
                return ApiError::internal("the response is too large to truncate").into_response()
            }
        },
    };
    let half = full / 2;
    if let Some(status) = status {
        parts.status = status;
    }
    let length = if announce { full } else { half };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    let first_half = take(body.into_data_stream(), half);
    let body = if announce {
        Body::from_stream(first_half.chain(dropped_connection()))
    } else {
        Body::from_stream(first_half)
    };
    Response::from_parts(parts, body)
}

/// The first `limit` bytes of `body`.
fn take(
    body: impl Stream<Item = Result<Bytes, axum::Error>> + Send + Unpin + 'static,
    limit: u64,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    stream::unfold((body, limit), |(mut body, left)| async move {
        if left == 0 {
            return None;
        }
        match body.next().await? {
            Ok(mut chunk) => {
                chunk.truncate(usize::try_from(left).unwrap_or(usize::MAX));
                let left = left - chunk.len() as u64;
                Some((Ok(chunk), (body, left)))
            }
            Err(error) => Some((Err(io::Error::other(error)), (body, 0))),
        }
    })
}

/// A body's end that drops the connection, once what came before had time to reach the client.
fn dropped_connection() -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(io::Error::new(
            io::ErrorKind::ConnectionAborted,
            "sandbox fault: connection dropped",
        ))
    })
}

fn with_length(mut response: Response, length: Option<u64>) -> Response {
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

/// `{"EnabledEmailAutoSubs":false,"Padding":"xxxx…"}`, exactly `size` bytes, in 64 KiB chunks.
fn oversized_chunks(size: u64) -> impl Iterator<Item = Bytes> {
    const PREFIX: &[u8] = br#"{"EnabledEmailAutoSubs":false,"Padding":""#;
    const SUFFIX: &[u8] = br#""}"#;
    let chunk = CHUNK_SIZE as u64;
    (0..size.div_ceil(chunk)).map(move |index| {
        let start = index * chunk;
        let end = (start + chunk).min(size);
        let bytes: Vec<u8> = (start..end)
            .map(|position| {
                if position < PREFIX.len() as u64 {
                    PREFIX[position as usize]
                } else if let Some(from_end) = (size - position)
                    .checked_sub(1)
                    .filter(|n| *n < SUFFIX.len() as u64)
                {
                    SUFFIX[SUFFIX.len() - 1 - from_end as usize]
                } else {
                    b'x'
                }
            })
            .collect();
        Bytes::from(bytes)
    })
}

/// An e-mails CSV whose fourth row holds `0xC3 0x28`: a two-byte sequence's lead byte followed
/// by `(`, which is not a continuation byte.
const INVALID_UTF8_CSV: &[u8] = b"Email,Pubkey,Username,Subscribed at\r\n\
zoe.angstrom@example.se,6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi,Zo\xc3\xab,2023-06-01T00:00:00Z\r\n\
li.lei@example.cn,AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv,Li Lei,2023-06-02T00:00:00Z\r\n\
bad.byte@example.com,DYougPS3ao5Ticdy5bFcKKcXgSjHVJ2yuwaMgxHpPoQr,Bad \xc3\x28 byte,2023-06-03T00:00:00Z\r\n\
amara.okafor@example.ng,Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f,Amara Okafor,2023-06-04T00:00:00Z\r\n\
ana.nunez@example.es,B1rADWGjAKbZYVHMYhS5ZKyMbqFB65vmNNxUXdgFBoh3,Ana Mar\xc3\xada N\xc3\xba\xc3\xb1ez,2023-06-05T00:00:00Z\r\n";

const MALFORMED_JSON: &str =
    "{\"EnabledEmailAutoSubs\": False, 'Pubkey': undefined, \"OwnedPool\": {,}";

const ABORTED_PREFIX: &[u8] = br#"{"EnabledEmailAutoSubs":false,"Pubkey":"6anbDQ"#;
/// The length an aborted response announces, more than it ever sends.
const ABORTED_ANNOUNCED_LENGTH: u64 = 1024;

const CAPTIVE_PORTAL_PAGE: &str = "<!DOCTYPE html>\n<html><head><title>Sign in to Wi-Fi</title></head>\n\
<body><h1>Welcome to Airport Free Wi-Fi</h1><p>Please accept the terms of use to continue.</p>\n\
<form action=\"/accept\" method=\"post\"><button>Accept and connect</button></form></body></html>\n";

fn proxy_error_page(status: StatusCode) -> String {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!("<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_bodies_have_the_exact_size_and_look_like_json() {
        for size in [2u64, 10, 44, 100, 65_536, 65_537, 200_000] {
            let body: Vec<u8> = oversized_chunks(size).flat_map(|c| c.to_vec()).collect();
            assert_eq!(body.len() as u64, size);
            if size > 100 {
                assert!(serde_json::from_slice::<serde_json::Value>(&body).is_ok());
            }
        }
    }
}
