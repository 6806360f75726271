//! The answers of the `body` faults (see [`super::faults::Answer`]), trickling, and the record
//! of what a streamed body wrote before the client went away.

use std::convert::Infallible;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body, HttpBody};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};

use super::faults::{MAX_TEXT_BYTES, TRICKLE_CHUNK_BYTES};
use super::gzip::GzipCsv;
use super::sessions::{BodyReport, Sessions};
use super::Testing;
use crate::error::ApiError;
/// Largest response of unknown length the `truncated` fault buffers (every API answer has a
/// known length, so this is only a bound).
const MAX_TRUNCATED_UNKNOWN_LENGTH: usize = 1024 * 1024;
/// Chunk size of streamed fault bodies.
const CHUNK_SIZE: usize = 64 * 1024;

/// A response with `status`, `content_type` and `body`.
pub fn with_content_type(
    status: StatusCode,
    content_type: HeaderValue,
    body: impl IntoResponse,
) -> Response {
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Where to record what a streamed fault body wrote: the session and the request.
pub struct Watch {
    sessions: Arc<Sessions>,
    session: String,
    request: String,
}

impl Watch {
    /// A watch for the request named `request` (as the session report names it) of `session`.
    pub fn new(testing: &Testing, session: &str, request: String) -> Watch {
        Watch {
            sessions: testing.sessions.clone(),
            session: session.to_owned(),
            request,
        }
    }

    /// `body` (of `total` bytes as sent, `content_length` announced), counting the bytes handed
    /// to the connection. When the server stops writing (the body ended, or the client went
    /// away and the connection failed), the session's report gains a `bodies` entry.
    fn track(
        self,
        fault: &'static str,
        total: u64,
        content_length: Option<u64>,
        body: impl Stream<Item = Bytes> + Send + 'static,
    ) -> Body {
        let mut written = Written {
            watch: self,
            report: BodyReport {
                request: String::new(),
                body: fault,
                content_length,
                total,
                written: 0,
                complete: false,
            },
        };
        // The closure owns `written` (a method call captures it whole), so dropping the stream
        // drops it.
        Body::from_stream(body.map(move |chunk| {
            written.add(chunk.len());
            Ok::<_, Infallible>(chunk)
        }))
    }
}

/// Records its report when dropped, which is when the server stops writing the body.
struct Written {
    watch: Watch,
    report: BodyReport,
}

impl Written {
    fn add(&mut self, bytes: usize) {
        self.report.written += bytes as u64;
    }
}

impl Drop for Written {
    fn drop(&mut self) {
        let mut report = self.report.clone();
        report.request = std::mem::take(&mut self.watch.request);
        report.complete = report.written == report.total;
        self.watch.sessions.record_body(&self.watch.session, report);
    }
}

fn json(status: StatusCode, body: impl IntoResponse) -> Response {
    with_content_type(status, HeaderValue::from_static("application/json"), body)
}

/// `body: "malformed"`.
pub fn malformed(status: StatusCode) -> Response {
    json(status, MALFORMED_JSON)
}

/// `body: "invalid_utf8"`.
pub fn invalid_utf8(status: StatusCode, content_type: HeaderValue) -> Response {
    with_content_type(status, content_type, INVALID_UTF8_CSV)
}

/// `body: "html"`: a captive portal's page, or with a status a proxy's error page.
pub fn html(status: Option<StatusCode>) -> Response {
    let html = HeaderValue::from_static("text/html; charset=utf-8");
    match status {
        Some(status) => with_content_type(status, html, proxy_error_page(status)),
        None => with_content_type(StatusCode::OK, html, CAPTIVE_PORTAL_PAGE),
    }
}

/// `body: "oversized"`: `size` bytes of JSON-looking body, streamed.
pub fn oversized(status: StatusCode, size: u64, announce: bool, watch: Watch) -> Response {
    let length = announce.then_some(size);
    let body = watch.track(
        "oversized",
        size,
        length,
        stream::iter(oversized_chunks(size)),
    );
    with_length(json(status, body), length)
}

/// `body: "gzip"`: `decoded` bytes of CSV once decoded, compressed, streamed.
pub fn gzip(
    status: StatusCode,
    decoded: u64,
    bomb: bool,
    announce: bool,
    watch: Watch,
) -> Response {
    let gzip = match GzipCsv::new(decoded, bomb) {
        Ok(gzip) => gzip,
        Err(_) => return ApiError::internal("could not compress the body").into_response(),
    };
    let size = gzip.len();
    let length = announce.then_some(size);
    let body = watch.track("gzip", size, length, stream::iter(gzip.chunks()));
    let csv = HeaderValue::from_static("text/csv; charset=utf-8");
    let mut response = with_content_type(status, csv, body);
    response
        .headers_mut()
        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    with_length(response, length)
}

/// `body: "abort"`: a few bytes of JSON, then the connection is dropped.
pub fn abort(status: StatusCode, announce: bool) -> Response {
    let first = Bytes::from_static(ABORTED_PREFIX);
    let body = stream::once(async move { Ok::<_, io::Error>(first) }).chain(dropped_connection());
    let announced = announce.then_some(ABORTED_ANNOUNCED_LENGTH);
    with_length(json(status, Body::from_stream(body)), announced)
}

/// `body: "truncated"`: the real response with its body cut in half (and the status replaced if
/// the fault has one), streamed, never buffered whole. `announce` (the default): the full
/// `Content-Length` is announced and the connection dropped after the first half, a real short
/// body. Otherwise a complete answer of the first half (`Content-Length` says the half), ending
/// cleanly.
pub async fn truncated(response: Response, status: Option<StatusCode>, announce: bool) -> Response {
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

/// The same answer, its body sent [`TRICKLE_CHUNK_BYTES`] bytes at a time, `every` apart, its
/// whole length announced first.
pub async fn trickle(response: Response, every: Duration) -> Response {
    let (parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_TEXT_BYTES).await else {
        return ApiError::internal("the answer to trickle is too large").into_response();
    };
    let length = bytes.len() as u64;
    let chunks = stream::unfold((bytes, true), move |(rest, first)| async move {
        if rest.is_empty() {
            return None;
        }
        if !first {
            tokio::time::sleep(every).await;
        }
        let mut rest = rest;
        let piece = rest.split_to(rest.len().min(TRICKLE_CHUNK_BYTES));
        Some((Ok::<_, Infallible>(piece), (rest, false)))
    });
    with_length(
        Response::from_parts(parts, Body::from_stream(chunks)),
        Some(length),
    )
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
