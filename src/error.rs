//! The one error type of the crate.
//!
//! [`Error`] is opaque: callers branch on [`Error::kind`] (and read [`Error::status`] or
//! [`Error::retry_after_ms`] where they apply), never on the message text. Every constructor is
//! crate-private and lives here, so no path can build an error around a secret.

use std::borrow::Cow;
use std::fmt;

/// What went wrong, as a stable, machine-readable kind.
///
/// The JS name of each kind (see [`ErrorKind::as_str`]) is the `kind` property of the
/// `AccessApiError` that the JS API throws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The API key is not a JWT (three base64url parts). No request was sent.
    InvalidKey,
    /// An option or argument is not acceptable (for example a non-`https` base URL).
    InvalidArgument,
    /// The API rejected the key (HTTP 401).
    Unauthorized,
    /// The key may not do this (HTTP 403).
    Forbidden,
    /// HTTP 404 where the API does not document it as "not ready yet".
    NotFound,
    /// HTTP 429. [`Error::retry_after_ms`] says how long the API asked to wait, if it did.
    RateLimited,
    /// HTTP 5xx (a 503 may carry `Retry-After` too).
    Server,
    /// Any other non-2xx status.
    Http,
    /// The request did not get an HTTP answer: offline, DNS, refused, or blocked by CORS.
    Network,
    /// The call's deadline passed.
    Timeout,
    /// The caller cancelled the call (an `AbortSignal`, or the Rust future was dropped).
    Aborted,
    /// The answer was not what the API documents: HTML, malformed or truncated JSON.
    InvalidResponse,
    /// The answer's body is larger than the configured cap.
    TooLarge,
    /// An export was not ready within its maximum wait.
    ExportTimeout,
}

impl ErrorKind {
    /// The stable snake_case name of the kind, as the JS API reports it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidKey => "invalid_key",
            Self::InvalidArgument => "invalid_argument",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::RateLimited => "rate_limited",
            Self::Server => "server",
            Self::Http => "http",
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Aborted => "aborted",
            Self::InvalidResponse => "invalid_response",
            Self::TooLarge => "too_large",
            Self::ExportTimeout => "export_timeout",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from the Access API client.
///
/// The message is written for people and never contains the API key, whole or in part; a
/// message the server sent is shortened and has anything that looks like a token removed.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    retry_after_ms: Option<u64>,
    message: Cow<'static, str>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                retry_after_ms: None,
                message: message.into(),
            }),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }

    /// How long the server asked to wait before trying again (`Retry-After`), in milliseconds.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.inner.retry_after_ms
    }

    /// Whether the call's deadline passed.
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }

    /// The human-readable message, without the kind.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    pub(crate) fn with_retry_after_ms(mut self, ms: Option<u64>) -> Self {
        self.inner.retry_after_ms = ms;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.inner.kind);
        if let Some(status) = self.inner.status {
            d.field("status", &status);
        }
        if let Some(ms) = self.inner.retry_after_ms {
            d.field("retry_after_ms", &ms);
        }
        d.field("message", &self.inner.message).finish()
    }
}

impl std::error::Error for Error {}

/// The JS form of an error: an `Error` named `AccessApiError` with `kind`, and `status` and
/// `retryAfterMs` where they apply. The only conversion to JS, so `?` works in every export.
impl From<Error> for wasm_bindgen::JsValue {
    fn from(error: Error) -> Self {
        use js_sys::Reflect;
        use wasm_bindgen::JsValue;
        let js = js_sys::Error::new(error.message());
        js.set_name("AccessApiError");
        let set = |name: &str, value: JsValue| {
            let _ = Reflect::set(&js, &JsValue::from_str(name), &value);
        };
        set("kind", JsValue::from_str(error.kind().as_str()));
        if let Some(status) = error.status() {
            set("status", JsValue::from(status));
        }
        if let Some(ms) = error.retry_after_ms() {
            set("retryAfterMs", JsValue::from(ms as f64));
        }
        js.into()
    }
}

// ---- constructors: the only places an `Error` is built -------------------------------------

pub(crate) fn invalid_key(why: &'static str) -> Error {
    Error::new(ErrorKind::InvalidKey, why)
}

pub(crate) fn invalid_argument(message: impl Into<Cow<'static, str>>) -> Error {
    Error::new(ErrorKind::InvalidArgument, message)
}

pub(crate) fn network() -> Error {
    Error::new(
        ErrorKind::Network,
        "the request got no HTTP answer (offline, the host is unreachable, or the browser blocked it: CORS)",
    )
}

pub(crate) fn timeout(ms: u64) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!("the call did not finish within {ms} ms"),
    )
}

pub(crate) fn aborted() -> Error {
    Error::new(ErrorKind::Aborted, "the call was cancelled")
}

pub(crate) fn invalid_response(why: &'static str) -> Error {
    Error::new(ErrorKind::InvalidResponse, why)
}

pub(crate) fn too_large(cap: u64) -> Error {
    Error::new(
        ErrorKind::TooLarge,
        format!("the response body is larger than the {cap}-byte cap"),
    )
}

pub(crate) fn export_timeout(waited_ms: u64) -> Error {
    Error::new(
        ErrorKind::ExportTimeout,
        format!("the export was not ready after {waited_ms} ms"),
    )
}

/// An error for a redirect, which the client does not follow: the documented endpoints never
/// redirect, and the key must not travel to wherever one points. `status` is 0 where the
/// runtime hides it (browsers do).
pub(crate) fn redirected(status: u16) -> Error {
    let mut error = Error::new(
        ErrorKind::Http,
        "the API answered with a redirect, which is not followed (is the base URL right?)",
    );
    error.inner.status = (status != 0).then_some(status);
    error
}

/// An error for a non-2xx answer. `server_message` is what the body said (already bounded by the
/// reader); it is cleaned of anything that could be a secret before it is kept.
pub(crate) fn status(status: u16, server_message: Option<&str>, secret: &str) -> Error {
    let kind = match status {
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        429 => ErrorKind::RateLimited,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::Http,
    };
    let what = match kind {
        ErrorKind::Unauthorized => "the API rejected the key",
        ErrorKind::Forbidden => "the key may not do this",
        ErrorKind::NotFound => "not found",
        ErrorKind::RateLimited => "too many requests",
        ErrorKind::Server => "the API had a server error",
        _ => "the API answered with an error",
    };
    let mut message = format!("{what} (HTTP {status})");
    if let Some(said) = server_message.map(|m| sanitize_server_message(m, secret)) {
        if !said.is_empty() {
            message.push_str(": ");
            message.push_str(&said);
        }
    }
    let mut error = Error::new(kind, message);
    error.inner.status = Some(status);
    error
}

/// The longest server message kept in an error, in characters.
const SERVER_MESSAGE_CHARS: usize = 160;

/// Whether `needle` occurs in `haystack`: a plain byte search, as these strings are short (and
/// `str::contains` with a `&str` pattern brings a large searcher into the module).
fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

/// Shortens a server's message to one line and removes every run of token characters that could
/// be the key or a piece of it: the key itself, anything shaped like a JWT, and any long run that
/// shares a segment with the key.
pub(crate) fn sanitize_server_message(message: &str, secret: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/');
    let segments: Vec<&str> = secret.split('.').filter(|s| s.len() >= 8).collect();
    let suspicious = |run: &str| {
        run.len() >= 16 && (run.matches('.').count() >= 2 || contains(secret, run))
            || segments
                .iter()
                .any(|s| contains(run, s) || (run.len() >= 8 && contains(s, run)))
    };

    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if suspicious(run) {
            out.push_str("[REDACTED]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in message.chars() {
        if is_token_char(c) {
            run.push(c);
            continue;
        }
        flush(&mut run, &mut out);
        out.push(if c.is_control() { ' ' } else { c });
    }
    flush(&mut run, &mut out);

    let trimmed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if trimmed.chars().count() > SERVER_MESSAGE_CHARS {
        let mut cut: String = trimmed.chars().take(SERVER_MESSAGE_CHARS).collect();
        cut.push('…');
        cut
    } else {
        trimmed
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    const CANARY: &str =
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q0FOQVJZLVNJR05BVFVSRS1ET05PVExFQUs";

    #[test]
    fn status_maps_to_kinds() {
        let kinds: Vec<_> = [401, 403, 404, 429, 500, 503, 418, 400]
            .iter()
            .map(|&s| status(s, None, CANARY).kind().as_str())
            .collect();
        assert_eq!(
            kinds,
            [
                "unauthorized",
                "forbidden",
                "not_found",
                "rate_limited",
                "server",
                "server",
                "http",
                "http"
            ]
        );
    }

    #[test]
    fn server_message_never_keeps_the_key_or_its_parts() {
        let signature = CANARY.rsplit('.').next().unwrap();
        for said in [
            format!("invalid token {CANARY}"),
            format!("bad signature {signature} for you"),
            format!("header was Bearer {CANARY}\n"),
            "token eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl rejected".to_string(),
        ] {
            let error = status(401, Some(&said), CANARY);
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(signature), "{shown}");
            assert!(!shown.contains("eyJ"), "{shown}");
            assert!(shown.contains("[REDACTED]"), "{shown}");
        }
    }

    #[test]
    fn server_message_is_one_short_line() {
        let long = "x ".repeat(1000);
        let said = sanitize_server_message(&format!("line one\nline two\r\n{long}"), CANARY);
        assert!(!said.contains('\n'));
        assert!(said.starts_with("line one line two"));
        assert!(said.chars().count() <= SERVER_MESSAGE_CHARS + 1);
    }
}
