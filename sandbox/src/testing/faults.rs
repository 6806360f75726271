//! Faults: what `POST /__sandbox/faults` queues for a test session.
//!
//! A [`Fault`] is which requests it applies to (`path`, `times`), what it does to whatever the
//! answer is (`delay_ms`, `retry_after`, `headers`), and one [`Answer`]. Each answer holds only
//! its own fields, so a combination that means nothing cannot be written. The JSON keeps the
//! flat fields the tests send; parsing it ([`FaultJson`] → [`Fault`], through serde's
//! `try_from`) picks the answer from the one answer field given (`redirect`, `body`, `text`,
//! `echo_authorization`; else `status`; else the real answer), lets it take the fields it uses,
//! and refuses any field left over: it does not apply to that answer. [`super::inject`] applies
//! a fault; the README's faults table is the user's account of them.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::json::parse;
use super::sessions::{QueueError, MAX_PENDING_FAULTS};
use super::Testing;
use crate::error::ApiError;

/// Most requests one fault may apply to.
const MAX_TIMES: u32 = 1000;
/// Longest `delay_ms` a fault may ask for: 10 minutes.
const MAX_DELAY_MS: u64 = 10 * 60 * 1000;
/// Largest `text` body: 1 MiB (also the largest answer `trickle_ms` may hold).
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Default size of an `oversized` or `gzip` body (decoded): 2 MiB.
const DEFAULT_BYTES: u64 = 2 * 1024 * 1024;
/// Largest `oversized` or `gzip` (decoded) body a fault may ask for: 1 GiB.
const MAX_BYTES: u64 = 1024 * 1024 * 1024;
/// Longest `trickle_ms` a fault may ask for.
const MAX_TRICKLE_MS: u64 = 10_000;
/// Most `headers` one fault may add.
const MAX_HEADERS: usize = 20;
/// Most bytes of `headers`, names and values together.
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Most faults one `POST /__sandbox/faults` may queue.
const MAX_FAULTS_PER_REQUEST: usize = 100;

/// One queued fault.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "FaultJson")]
pub struct Fault {
    /// Applies only to requests whose path starts with this (e.g. `"/user"`, `"/file/link"`).
    pub path: Option<String>,
    /// How many matching requests this fault applies to.
    pub times: u32,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Sent verbatim as `Retry-After` with whatever the answer is.
    pub retry_after: Option<HeaderValue>,
    /// Set on whatever the answer is, and exposed to pages.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// What the request is answered with.
    pub answer: Answer,
}

/// What a faulted request is answered with. `trickle` (where there is one): the body is sent
/// [`TRICKLE_CHUNK_BYTES`] bytes at a time, that far apart, its whole length announced first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// No answer field: the real answer.
    Real { trickle: Option<Duration> },
    /// `status` alone: `{"error", "message"}` with that status (200-599); a `304` has no body.
    Status {
        status: StatusCode,
        trickle: Option<Duration>,
    },
    /// `text`: that body with `content_type` (default `application/json`) and `status`
    /// (default 200).
    Text {
        status: StatusCode,
        content_type: HeaderValue,
        text: String,
        trickle: Option<Duration>,
    },
    /// `echo_authorization: true`: the error `status` (400-599) with the request's
    /// `Authorization` value in the body: `{"error", "message"}`, or the message alone when
    /// `content_type` is `text/plain`. The sandbox's one answer that holds a key, on purpose.
    EchoAuthorization {
        status: StatusCode,
        content_type: HeaderValue,
        trickle: Option<Duration>,
    },
    /// `redirect: "demo"`: a cross-origin redirect (`status` 301, 302, 303, 307 or 308, default
    /// 307) to the demo origin's landing page, which counts the visit.
    Redirect { status: StatusCode },
    /// `body: "truncated"`: the real answer (its status replaced by `status`, if given) cut in
    /// half: its whole length announced and the connection dropped after the first half, or
    /// (`content_length: false`) a complete answer of the first half.
    Truncated {
        status: Option<StatusCode>,
        announce_length: bool,
    },
    /// `body: "malformed"`: `application/json` that is not JSON.
    Malformed { status: StatusCode },
    /// `body: "html"`: a captive portal's page (200), or with `status` a proxy's error page.
    Html { status: Option<StatusCode> },
    /// `body: "oversized"`: a JSON-looking body of `bytes` bytes, streamed; chunked with
    /// `content_length: false`.
    Oversized {
        status: StatusCode,
        bytes: u64,
        announce_length: bool,
    },
    /// `body: "abort"`: a few bytes of JSON, then the connection is dropped.
    Abort {
        status: StatusCode,
        announce_length: bool,
    },
    /// `body: "invalid_utf8"`: a small CSV with one invalid UTF-8 sequence in its fourth row.
    InvalidUtf8 {
        status: StatusCode,
        content_type: HeaderValue,
    },
    /// `body: "gzip"`: `text/csv` with `Content-Encoding: gzip`, `bytes` bytes once decoded,
    /// streamed; `bomb`: one row repeated (about 300:1) instead of varied rows (about 2:1).
    Gzip {
        status: StatusCode,
        bytes: u64,
        bomb: bool,
        announce_length: bool,
    },
}

/// The piece of a trickled body sent at each tick.
pub const TRICKLE_CHUNK_BYTES: usize = 64;

impl Fault {
    /// Whether this fault applies to a request for `path`.
    pub fn matches(&self, path: &str) -> bool {
        self.path
            .as_deref()
            .is_none_or(|prefix| path.starts_with(prefix))
    }
}

impl Answer {
    /// How the README and the error messages name this answer.
    fn name(&self) -> &'static str {
        match self {
            Answer::Real { .. } => "the real answer",
            Answer::Status { .. } => "`status` alone",
            Answer::Text { .. } => "`text`",
            Answer::EchoAuthorization { .. } => "`echo_authorization`",
            Answer::Redirect { .. } => "`redirect`",
            Answer::Truncated { .. } => "`body: \"truncated\"`",
            Answer::Malformed { .. } => "`body: \"malformed\"`",
            Answer::Html { .. } => "`body: \"html\"`",
            Answer::Oversized { .. } => "`body: \"oversized\"`",
            Answer::Abort { .. } => "`body: \"abort\"`",
            Answer::InvalidUtf8 { .. } => "`body: \"invalid_utf8\"`",
            Answer::Gzip { .. } => "`body: \"gzip\"`",
        }
    }
}

/// A fault as sent to `POST /__sandbox/faults`: flat, every field optional. Unknown fields are
/// refused.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultJson {
    path: Option<String>,
    #[serde(default = "one")]
    times: u32,
    delay_ms: Option<u64>,
    retry_after: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    status: Option<u16>,
    redirect: Option<RedirectTarget>,
    body: Option<BodyKind>,
    text: Option<String>,
    #[serde(default)]
    echo_authorization: bool,
    content_type: Option<String>,
    content_length: Option<bool>,
    bytes: Option<u64>,
    #[serde(default)]
    bomb: bool,
    trickle_ms: Option<u64>,
}

fn one() -> u32 {
    1
}

/// The `redirect` field.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RedirectTarget {
    /// `{demo origin}/__sandbox/landing?session=<id>`.
    Demo,
}

/// The `body` field.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum BodyKind {
    Truncated,
    Malformed,
    Html,
    Oversized,
    Abort,
    InvalidUtf8,
    Gzip,
}

impl TryFrom<FaultJson> for Fault {
    type Error = String;

    fn try_from(mut json: FaultJson) -> Result<Fault, String> {
        if !(1..=MAX_TIMES).contains(&json.times) {
            return Err(format!("`times` must be 1 to {MAX_TIMES}"));
        }
        if json.path.as_deref().is_some_and(|p| !p.starts_with('/')) {
            return Err("`path` must start with `/`".into());
        }
        if json.delay_ms.is_some_and(|ms| ms > MAX_DELAY_MS) {
            return Err(format!("`delay_ms` may be at most {MAX_DELAY_MS}"));
        }
        let retry_after = json
            .retry_after
            .take()
            .map(|value| header_value("retry_after", &value))
            .transpose()?;
        let headers = extra_headers(json.headers.take().unwrap_or_default())?;
        let answer = json.take_answer()?;
        json.refuse_leftovers(&answer)?;
        Ok(Fault {
            path: json.path,
            times: json.times,
            delay: json.delay_ms.map(Duration::from_millis),
            retry_after,
            headers,
            answer,
        })
    }
}

impl FaultJson {
    /// The answer this fault asks for, taking the fields it uses.
    fn take_answer(&mut self) -> Result<Answer, String> {
        let answer_fields = [
            self.redirect.is_some(),
            self.body.is_some(),
            self.text.is_some(),
            self.echo_authorization,
        ];
        if answer_fields.into_iter().filter(|set| *set).count() > 1 {
            return Err(
                "`redirect`, `body`, `text` and `echo_authorization` cannot be combined".into(),
            );
        }
        let status = self.status.take();
        if let Some(RedirectTarget::Demo) = self.redirect.take() {
            let status = match status {
                None => StatusCode::TEMPORARY_REDIRECT,
                Some(code @ (301 | 302 | 303 | 307 | 308)) => code_of(code)?,
                Some(_) => {
                    return Err(
                        "with `redirect`, `status` must be 301, 302, 303, 307 or 308".into(),
                    )
                }
            };
            return Ok(Answer::Redirect { status });
        }
        if let Some(kind) = self.body.take() {
            return self.take_body(kind, status.map(content_status).transpose()?);
        }
        let trickle = self.take_trickle()?;
        if let Some(text) = self.text.take() {
            if text.len() > MAX_TEXT_BYTES {
                return Err(format!("`text` may be at most {MAX_TEXT_BYTES} bytes"));
            }
            return Ok(Answer::Text {
                status: status
                    .map(content_status)
                    .transpose()?
                    .unwrap_or(StatusCode::OK),
                content_type: self.take_content_type("application/json")?,
                text,
                trickle,
            });
        }
        if std::mem::take(&mut self.echo_authorization) {
            let status = status
                .filter(|s| (400..=599).contains(s))
                .ok_or("`echo_authorization` needs an error `status` (400-599)")?;
            return Ok(Answer::EchoAuthorization {
                status: code_of(status)?,
                content_type: self.take_content_type("application/json")?,
                trickle,
            });
        }
        match status {
            None => Ok(Answer::Real { trickle }),
            Some(code) if !(200..=599).contains(&code) => {
                Err("`status` must be 200-599 (301-308 with `redirect` for a redirect)".into())
            }
            Some(304) if trickle.is_some() => {
                Err("`trickle_ms` does not apply to a 304, which has no body".into())
            }
            Some(code) => Ok(Answer::Status {
                status: code_of(code)?,
                trickle,
            }),
        }
    }

    fn take_body(&mut self, kind: BodyKind, status: Option<StatusCode>) -> Result<Answer, String> {
        let or_ok = status.unwrap_or(StatusCode::OK);
        Ok(match kind {
            BodyKind::Truncated => Answer::Truncated {
                status,
                announce_length: self.take_announce_length(),
            },
            BodyKind::Malformed => Answer::Malformed { status: or_ok },
            BodyKind::Html => Answer::Html { status },
            BodyKind::Oversized => Answer::Oversized {
                status: or_ok,
                bytes: self.take_bytes()?,
                announce_length: self.take_announce_length(),
            },
            BodyKind::Abort => Answer::Abort {
                status: or_ok,
                announce_length: self.take_announce_length(),
            },
            BodyKind::InvalidUtf8 => Answer::InvalidUtf8 {
                status: or_ok,
                content_type: self.take_content_type("text/csv; charset=utf-8")?,
            },
            BodyKind::Gzip => Answer::Gzip {
                status: or_ok,
                bytes: self.take_bytes()?,
                bomb: std::mem::take(&mut self.bomb),
                announce_length: self.take_announce_length(),
            },
        })
    }

    fn take_announce_length(&mut self) -> bool {
        self.content_length.take().unwrap_or(true)
    }

    fn take_bytes(&mut self) -> Result<u64, String> {
        match self.bytes.take() {
            Some(bytes) if bytes > MAX_BYTES => Err(format!("`bytes` may be at most {MAX_BYTES}")),
            bytes => Ok(bytes.unwrap_or(DEFAULT_BYTES)),
        }
    }

    fn take_content_type(&mut self, default: &'static str) -> Result<HeaderValue, String> {
        match self.content_type.take() {
            Some(value) => header_value("content_type", &value),
            None => Ok(HeaderValue::from_static(default)),
        }
    }

    fn take_trickle(&mut self) -> Result<Option<Duration>, String> {
        match self.trickle_ms.take() {
            Some(ms) if ms == 0 || ms > MAX_TRICKLE_MS => {
                Err(format!("`trickle_ms` must be 1 to {MAX_TRICKLE_MS}"))
            }
            ms => Ok(ms.map(Duration::from_millis)),
        }
    }

    /// Refuses a field the answer did not take: it does not apply to it.
    fn refuse_leftovers(&self, answer: &Answer) -> Result<(), String> {
        let leftovers = [
            ("content_type", self.content_type.is_some()),
            ("content_length", self.content_length.is_some()),
            ("bytes", self.bytes.is_some()),
            ("bomb", self.bomb),
            ("trickle_ms", self.trickle_ms.is_some()),
        ];
        match leftovers.into_iter().find(|(_, set)| *set) {
            Some((field, _)) => Err(format!("`{field}` does not apply to {}", answer.name())),
            None => Ok(()),
        }
    }
}

/// A status of an answer with a body (`text`, `body`): 200-299 or 400-599.
fn content_status(code: u16) -> Result<StatusCode, String> {
    if matches!(code, 200..=299 | 400..=599) {
        code_of(code)
    } else {
        Err("with `text` or `body`, `status` must be 200-299 or 400-599".into())
    }
}

fn code_of(code: u16) -> Result<StatusCode, String> {
    StatusCode::from_u16(code).map_err(|_| format!("{code} is not an HTTP status"))
}

fn header_value(field: &str, value: &str) -> Result<HeaderValue, String> {
    HeaderValue::from_str(value).map_err(|_| format!("`{field}` is not a valid header value"))
}

/// The `headers` field, checked: at most [`MAX_HEADERS`] and [`MAX_HEADER_BYTES`], valid names
/// and values, none named twice (names are case-insensitive), none of [`refused_header`].
fn extra_headers(
    given: BTreeMap<String, String>,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    if given.len() > MAX_HEADERS {
        return Err(format!("`headers` may name at most {MAX_HEADERS} headers"));
    }
    let size: usize = given.iter().map(|(n, v)| n.len() + v.len()).sum();
    if size > MAX_HEADER_BYTES {
        return Err(format!(
            "`headers` may hold at most {MAX_HEADER_BYTES} bytes of names and values"
        ));
    }
    let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::with_capacity(given.len());
    for (name, value) in given {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`headers`: {name:?} is not a header name"))?;
        if let Some(why) = refused_header(&name) {
            return Err(format!("`headers` may not set {name}: {why}"));
        }
        if headers.iter().any(|(seen, _)| *seen == name) {
            return Err(format!("`headers` names {name} twice"));
        }
        let value = header_value(&format!("headers.{name}"), &value)?;
        headers.push((name, value));
    }
    Ok(headers)
}

/// Why a fault may not set header `name`, if it may not: the connection's headers and the
/// body's framing (hop-by-hop, `Content-Length`, `Content-Encoding`), those the sandbox sets
/// itself (CORS, `nosniff`), and those another field says (`Content-Type`, `Retry-After`,
/// `Location`).
fn refused_header(name: &HeaderName) -> Option<&'static str> {
    match name.as_str() {
        "connection" | "keep-alive" | "proxy-connection" | "te" | "trailer" | "upgrade"
        | "transfer-encoding" | "content-length" | "content-encoding" => {
            Some("it belongs to the connection or to the body's framing, which the answer decides")
        }
        "vary" => Some("the sandbox's CORS layer sets it"),
        name if name.starts_with("access-control-") => Some("the sandbox's CORS layer sets it"),
        "x-content-type-options" => Some("the sandbox sets it on every answer"),
        "content-type" => Some("the answer sets it (`content_type` where it applies)"),
        "retry-after" => Some("use `retry_after`"),
        "location" => Some("a redirect is `redirect`"),
        _ => None,
    }
}

/// The body of `POST /__sandbox/faults`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsRequest {
    session: String,
    faults: Vec<serde_json::Value>,
}

/// The answer of `POST /__sandbox/faults`.
#[derive(Serialize)]
pub struct FaultsResponse {
    session: String,
    queued: usize,
    pending_faults: u64,
}

/// `POST /__sandbox/faults` `{"session", "faults": [fault, ...]}`: queues the faults for the
/// session's next requests; all or none.
pub async fn queue(
    State(testing): State<Testing>,
    body: Bytes,
) -> Result<Json<FaultsResponse>, ApiError> {
    let request: FaultsRequest = parse(&body)?;
    if request.faults.len() > MAX_FAULTS_PER_REQUEST {
        return Err(ApiError::bad_request(format!(
            "at most {MAX_FAULTS_PER_REQUEST} faults per request"
        )));
    }
    let mut faults = Vec::with_capacity(request.faults.len());
    for (index, fault) in request.faults.into_iter().enumerate() {
        let refused = |message: String| {
            let message = crate::redact::redact(&message).into_owned();
            ApiError::bad_request(format!("faults[{index}]: {message}"))
        };
        let fault: Fault = serde_json::from_value(fault).map_err(|e| refused(e.to_string()))?;
        if matches!(fault.answer, Answer::Redirect { .. }) && testing.demo_origin.is_none() {
            return Err(refused(
                "`redirect: \"demo\"` needs the demo origin (the sandbox runs with --no-demo)"
                    .into(),
            ));
        }
        faults.push(fault);
    }
    let queued = faults.len();
    let pending_faults = testing
        .sessions
        .queue(&request.session, faults)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Fault, String> {
        serde_json::from_str::<Fault>(json).map_err(|e| e.to_string())
    }

    fn answer(json: &str) -> Answer {
        parse(json).unwrap().answer
    }

    #[test]
    fn the_answer_is_picked_by_its_field_and_takes_its_own() {
        assert_eq!(answer("{}"), Answer::Real { trickle: None });
        assert_eq!(
            answer(r#"{"status":503,"retry_after":"1"}"#),
            Answer::Status {
                status: StatusCode::SERVICE_UNAVAILABLE,
                trickle: None
            }
        );
        assert_eq!(
            answer(r#"{"status":302,"redirect":"demo"}"#),
            Answer::Redirect {
                status: StatusCode::FOUND
            }
        );
        assert_eq!(
            answer(r#"{"body":"oversized","bytes":10,"content_length":false}"#),
            Answer::Oversized {
                status: StatusCode::OK,
                bytes: 10,
                announce_length: false
            }
        );
        assert_eq!(
            answer(r#"{"body":"truncated"}"#),
            Answer::Truncated {
                status: None,
                announce_length: true
            }
        );
        assert_eq!(
            answer(r#"{"text":"x","status":502,"content_type":"text/html","trickle_ms":5}"#),
            Answer::Text {
                status: StatusCode::BAD_GATEWAY,
                content_type: HeaderValue::from_static("text/html"),
                text: "x".into(),
                trickle: Some(Duration::from_millis(5)),
            }
        );
        // `false` is as good as absent, as it always was.
        assert_eq!(
            answer(r#"{"body":"html","bomb":false,"echo_authorization":false}"#),
            Answer::Html { status: None }
        );
    }

    #[test]
    fn a_status_alone_may_be_3xx_and_a_304_has_nothing_to_trickle() {
        for code in [300, 301, 302, 304, 308] {
            let Answer::Status { status, .. } = answer(&format!(r#"{{"status":{code}}}"#)) else {
                panic!("{code}");
            };
            assert_eq!(status.as_u16(), code);
        }
        assert!(parse(r#"{"status":304,"trickle_ms":5}"#).is_err());
        assert!(parse(r#"{"status":302,"text":"x"}"#).is_err());
        assert!(parse(r#"{"status":302,"body":"html"}"#).is_err());
    }

    #[test]
    fn nonsense_is_refused() {
        for nonsense in [
            r#"{"status":99}"#,
            r#"{"status":600}"#,
            r#"{"times":0}"#,
            r#"{"times":1001}"#,
            r#"{"path":"user"}"#,
            r#"{"bytes":10}"#,
            r#"{"bomb":true}"#,
            r#"{"content_length":true}"#,
            r#"{"content_type":"text/plain"}"#,
            r#"{"body":"html","bytes":10}"#,
            r#"{"body":"html","content_length":false}"#,
            r#"{"body":"malformed","content_type":"text/plain"}"#,
            r#"{"body":"oversized","bomb":true}"#,
            r#"{"body":"gzip","bytes":1073741825}"#,
            r#"{"body":"html","trickle_ms":10}"#,
            r#"{"redirect":"demo","trickle_ms":10}"#,
            r#"{"redirect":"demo","status":200}"#,
            r#"{"redirect":"demo","body":"html"}"#,
            r#"{"text":"x","echo_authorization":true,"status":500}"#,
            r#"{"echo_authorization":true}"#,
            r#"{"echo_authorization":true,"status":200}"#,
            r#"{"trickle_ms":0}"#,
            r#"{"trickle_ms":10001}"#,
            r#"{"delay_ms":600001}"#,
            r#"{"retry_after":"1\r\nX: y"}"#,
            r#"{"stauts":500}"#,
            r#"{"body":"zstd"}"#,
        ] {
            assert!(parse(nonsense).is_err(), "{nonsense}");
        }
    }

    #[test]
    fn headers_are_checked_and_kept() {
        let fault =
            parse(r#"{"headers":{"Cache-Control":"max-age=600","Set-Cookie":"a=b"}}"#).unwrap();
        assert_eq!(
            fault.headers,
            vec![
                (
                    HeaderName::from_static("cache-control"),
                    HeaderValue::from_static("max-age=600")
                ),
                (
                    HeaderName::from_static("set-cookie"),
                    HeaderValue::from_static("a=b")
                ),
            ]
        );
        assert_eq!(fault.answer, Answer::Real { trickle: None });
        assert!(parse(r#"{"status":503,"body":"html","headers":{"X-A":"1"}}"#).is_ok());
        let many: BTreeMap<String, String> = (0..=MAX_HEADERS)
            .map(|n| (format!("x-{n}"), "v".into()))
            .collect();
        let long = "v".repeat(MAX_HEADER_BYTES);
        for nonsense in [
            serde_json::json!({"Content-Length": "1"}),
            serde_json::json!({"transfer-encoding": "chunked"}),
            serde_json::json!({"Connection": "close"}),
            serde_json::json!({"Content-Encoding": "gzip"}),
            serde_json::json!({"Access-Control-Allow-Origin": "https://evil.example"}),
            serde_json::json!({"Access-Control-Expose-Headers": "*"}),
            serde_json::json!({"Vary": "Origin"}),
            serde_json::json!({"X-Content-Type-Options": "sniff"}),
            serde_json::json!({"Retry-After": "1"}),
            serde_json::json!({"Location": "https://elsewhere.example"}),
            serde_json::json!({"Content-Type": "text/html"}),
            serde_json::json!({"bad name": "v"}),
            serde_json::json!({"X-A": "line\r\nX-Injected: 1"}),
            serde_json::json!({"X-A": "1", "x-a": "2"}),
            serde_json::json!({"X-A": long}),
            serde_json::json!(many),
            serde_json::json!({"X-A": 1}),
        ] {
            let fault = serde_json::json!({ "headers": nonsense });
            assert!(
                serde_json::from_value::<Fault>(fault.clone()).is_err(),
                "{fault}"
            );
        }
    }
}
