//! Fault injection: making the next request(s) of a test session fail in a chosen way.
//!
//! Faults are queued per session with `POST /__sandbox/faults` (see [`crate::control`]) and
//! applied by the [`inject`] middleware, which runs in front of every API route (not the
//! control routes). A fault is consumed by the next request made with the session's key whose
//! path starts with the fault's `path` (any path if absent), `times` times.
//!
//! How the fields combine:
//! - `delay_ms` always runs first; alone, the request is then answered normally.
//! - `redirect` answers with a redirect (`status` may pick 301/302/303/307/308; default 307).
//! - `body` replaces the body; `status` (default 200) sets the status.
//! - `status` alone answers `{"error": ..., "message": ...}` with that status.
//! - `retry_after` is added, verbatim, to whatever the answer is.

use std::convert::Infallible;
use std::io;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};
use serde::Deserialize;

use crate::error::ApiError;
use crate::state::Shared;

/// Default size of an `oversized` body: 2 MiB.
const DEFAULT_OVERSIZED_BYTES: u64 = 2 * 1024 * 1024;
/// Largest `oversized` body a fault may ask for: 1 GiB.
const MAX_OVERSIZED_BYTES: u64 = 1024 * 1024 * 1024;
/// Longest `delay_ms` a fault may ask for: 10 minutes.
const MAX_DELAY_MS: u64 = 10 * 60 * 1000;
/// Largest response the `truncated` fault buffers before cutting it.
const MAX_TRUNCATED_SOURCE: usize = 256 * 1024 * 1024;
/// Chunk size of streamed fault bodies.
const CHUNK_SIZE: usize = 64 * 1024;

/// One fault, as sent to `POST /__sandbox/faults`. Unknown fields are rejected.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Applies only to requests whose path starts with this (e.g. `"/user"`, `"/file/link"`).
    #[serde(default)]
    pub path: Option<String>,
    /// How many matching requests this fault applies to.
    #[serde(default = "one")]
    pub times: u32,
    /// Answer with this status.
    #[serde(default)]
    pub status: Option<u16>,
    /// Sent verbatim as `Retry-After` (`"1"`, or an HTTP-date).
    #[serde(default)]
    pub retry_after: Option<String>,
    /// Wait this long before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
    /// Replace the body.
    #[serde(default)]
    pub body: Option<BodyFault>,
    /// Size of an `oversized` body (default 2 MiB).
    #[serde(default)]
    pub bytes: Option<u64>,
    /// For `oversized` and `abort`: whether to announce a `Content-Length` (default true);
    /// `false` streams chunked, so the client cannot know the size up front.
    #[serde(default)]
    pub content_length: Option<bool>,
    /// Redirect instead of answering.
    #[serde(default)]
    pub redirect: Option<RedirectTarget>,
}

fn one() -> u32 {
    1
}

/// The `body` field of a [`Fault`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFault {
    /// The real response with its body cut in half.
    Truncated,
    /// A JSON content type with a body that is not JSON.
    Malformed,
    /// A `text/html` page, as a proxy or captive portal sends.
    Html,
    /// A JSON-looking body of `bytes` bytes, streamed.
    Oversized,
    /// A few bytes of a JSON body, then the connection is dropped.
    Abort,
}

/// The `redirect` field of a [`Fault`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedirectTarget {
    /// A cross-origin redirect to `{demo origin}/__sandbox/landing?session=<id>`.
    Demo,
}

impl Fault {
    /// Whether this fault applies to a request for `path`.
    pub fn matches(&self, path: &str) -> bool {
        self.path
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
    }

    /// Checks that the fields make sense together.
    ///
    /// # Errors
    ///
    /// A message naming the offending field.
    pub fn validate(&self, demo_origin_served: bool) -> Result<(), String> {
        if self.times == 0 {
            return Err("`times` must be at least 1".into());
        }
        if self.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
            return Err("`path` must start with `/`".into());
        }
        if let Some(status) = self.status {
            if self.redirect.is_some() && !matches!(status, 301 | 302 | 303 | 307 | 308) {
                return Err("with `redirect`, `status` must be 301, 302, 303, 307 or 308".into());
            }
            if self.redirect.is_none() && !matches!(status, 200..=299 | 400..=599) {
                return Err("`status` must be 200-299 or 400-599 (use `redirect` for 3xx)".into());
            }
        }
        if let Some(value) = &self.retry_after {
            HeaderValue::from_str(value)
                .map_err(|_| "`retry_after` is not a valid header value")?;
        }
        if self.delay_ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
            return Err(format!("`delay_ms` may be at most {MAX_DELAY_MS}"));
        }
        if self.redirect.is_some() && self.body.is_some() {
            return Err("`redirect` and `body` cannot be combined".into());
        }
        if self.redirect.is_some() && !demo_origin_served {
            return Err(
                "`redirect: \"demo\"` needs the demo origin (the sandbox runs with --no-demo)"
                    .into(),
            );
        }
        if self.bytes.is_some() && self.body != Some(BodyFault::Oversized) {
            return Err("`bytes` only applies to `body: \"oversized\"`".into());
        }
        if self.bytes.is_some_and(|b| b > MAX_OVERSIZED_BYTES) {
            return Err(format!("`bytes` may be at most {MAX_OVERSIZED_BYTES}"));
        }
        if self.content_length.is_some()
            && !matches!(self.body, Some(BodyFault::Oversized | BodyFault::Abort))
        {
            return Err(
                "`content_length` only applies to `body: \"oversized\"` or `\"abort\"`".into(),
            );
        }
        Ok(())
    }
}

/// Middleware in front of the API routes: counts requests made with a test-session key and
/// applies the session's next matching fault, if any.
pub async fn inject(State(sandbox): State<Shared>, request: Request, next: Next) -> Response {
    let Some(session) = crate::auth::session_of(request.headers()) else {
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
        BodyFault::Truncated => truncate(next.run(request).await, replaced_status).await,
        BodyFault::Malformed => (status, json, MALFORMED_JSON).into_response(),
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

/// The real response with its body cut in half (and the status replaced if the fault has one).
async fn truncate(response: Response, status: Option<StatusCode>) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_TRUNCATED_SOURCE).await else {
        return ApiError::internal("could not buffer the response to truncate it").into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(status) = status {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
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

    #[test]
    fn validation_catches_nonsense() {
        let parse = |json: &str| serde_json::from_str::<Fault>(json).unwrap();
        assert!(parse(r#"{"status":503,"retry_after":"1"}"#)
            .validate(true)
            .is_ok());
        assert!(parse(r#"{"redirect":"demo"}"#).validate(false).is_err());
        assert!(parse(r#"{"status":302}"#).validate(true).is_err());
        assert!(parse(r#"{"status":302,"redirect":"demo"}"#)
            .validate(true)
            .is_ok());
        assert!(parse(r#"{"status":99}"#).validate(true).is_err());
        assert!(parse(r#"{"times":0}"#).validate(true).is_err());
        assert!(parse(r#"{"bytes":10}"#).validate(true).is_err());
        assert!(
            parse(r#"{"body":"oversized","bytes":10,"content_length":false}"#)
                .validate(true)
                .is_ok()
        );
        assert!(serde_json::from_str::<Fault>(r#"{"stauts":500}"#).is_err());
    }
}
