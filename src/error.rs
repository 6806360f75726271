//! The one error type of the crate.
//!
//! [`Error`] is opaque: callers branch on [`Error::kind`] (and read [`Error::status`] or
//! [`Error::retry_after`] where they apply), never on the message text. Every constructor is
//! crate-private and lives here, so no path can build an error around a secret.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use wasm_bindgen::JsValue;

use crate::text::contains;

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
    /// HTTP 429. [`Error::retry_after`] says how long the API asked to wait, if it did.
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
    /// Whether the answer had a `Retry-After` header, whether or not its value parsed.
    retry_after_sent: bool,
    message: Cow<'static, str>,
    cause: Option<JsValue>,
    /// The answer's headers, where one came back (see [`Error::headers`]).
    headers: Vec<(String, String)>,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                retry_after_ms: None,
                retry_after_sent: false,
                message: message.into(),
                cause: None,
                headers: Vec::new(),
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

    /// How long the server asked to wait before trying again (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after_ms.map(Duration::from_millis)
    }

    pub(crate) fn retry_after_ms(&self) -> Option<u64> {
        self.inner.retry_after_ms
    }

    /// Whether a deadline passed: a call's (`Timeout`) or a whole export's (`ExportTimeout`).
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.inner.kind,
            ErrorKind::Timeout | ErrorKind::ExportTimeout
        )
    }

    /// What went wrong underneath, as JavaScript saw it: the `TypeError` `fetch` rejected with
    /// for a `network` error (Node puts the system error, such as `ECONNREFUSED`, in its own
    /// `cause`), or the signal's `reason` for `aborted`. Never anything that holds a token.
    pub fn js_cause(&self) -> Option<&JsValue> {
        self.inner.cause.as_ref()
    }

    /// The headers of the answer the error came from, where one came back (empty otherwise):
    /// lower-case names, without `set-cookie`, at most 64, each value cleaned of anything
    /// shaped like a token or a piece of the key and cut to 160 characters, as messages are. Rate-limit and
    /// request-id headers the API may send reach you here. (In a browser, only the headers the
    /// API's CORS policy exposes are visible.)
    pub fn headers(&self) -> &[(String, String)] {
        &self.inner.headers
    }

    pub(crate) fn with_headers(mut self, headers: Vec<(String, String)>) -> Self {
        self.inner.headers = headers;
        self
    }

    /// The human-readable message, without the kind.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// Notes the answer's `Retry-After`: `None` when it had none, `Some(None)` when its value
    /// did not parse, `Some(Some(ms))` when it did.
    pub(crate) fn with_retry_after(mut self, retry_after: Option<Option<u64>>) -> Self {
        self.inner.retry_after_sent = retry_after.is_some();
        self.inner.retry_after_ms = retry_after.flatten();
        self
    }

    /// Whether the answer had a `Retry-After` header, whether or not its value parsed.
    pub(crate) fn has_retry_after(&self) -> bool {
        self.inner.retry_after_sent
    }

    /// Keeps a copy of `cause` (what `fetch` or a body stream rejected with) as the error's
    /// cause: only its texts (`name`, `message`, `code`) and, three levels down, its own cause,
    /// copied the same way, so that nothing else the original held (a `Request` with its
    /// `Authorization`, say) can be reached from the error. No cause is kept when any of those
    /// texts holds something shaped like a token or a piece of `secret`.
    pub(crate) fn with_cause(mut self, cause: JsValue, secret: Option<&str>) -> Self {
        self.inner.cause = copy_cause(&cause, secret, CAUSE_DEPTH);
        self
    }

    /// Keeps the caller's own abort reason as the cause, as `fetch` does, unless a text in it
    /// (its message, stack or cause, three levels down) holds something shaped like a token.
    pub(crate) fn with_reason(mut self, reason: JsValue) -> Self {
        if !reason.is_undefined() && is_clean(&reason, CAUSE_DEPTH) {
            self.inner.cause = Some(reason);
        }
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
        if self.inner.cause.is_some() {
            d.field("cause", &"(a JS value)");
        }
        d.field("message", &self.inner.message).finish()
    }
}

impl std::error::Error for Error {}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/error.js")]
extern "C" {
    /// `new AccessApiError(message, { kind, status, retryAfterMs, cause })`.
    #[wasm_bindgen(js_name = accessApiError)]
    fn access_creator_api_error(
        message: &str,
        kind: &str,
        status: Option<u16>,
        retry_after_ms: Option<f64>,
        cause: &JsValue,
        headers: &JsValue,
    ) -> JsValue;
}

/// The JS form of an error: an `AccessApiError` (a subclass of `Error`, from `src/error.js`)
/// with `kind`, and `status`, `retryAfterMs` and the standard `cause` where they apply. The only
/// conversion to JS, so `?` works in every export.
impl From<Error> for wasm_bindgen::JsValue {
    fn from(error: Error) -> Self {
        let headers = if error.inner.headers.is_empty() {
            JsValue::UNDEFINED
        } else {
            let list = js_sys::Array::new();
            for (name, value) in &error.inner.headers {
                list.push(&JsValue::from_str(name));
                list.push(&JsValue::from_str(value));
            }
            list.into()
        };
        access_creator_api_error(
            error.message(),
            error.kind().as_str(),
            error.status(),
            error.retry_after_ms().map(|ms| ms as f64),
            error.inner.cause.as_ref().unwrap_or(&JsValue::UNDEFINED),
            &headers,
        )
    }
}

/// How deep a cause chain is copied or checked.
const CAUSE_DEPTH: u32 = 3;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/error.js")]
extern "C" {
    /// `[name, message, code, cause, isDOMException]` of an error-like value, or `null`.
    #[wasm_bindgen(js_name = causeParts)]
    fn cause_parts(value: &JsValue) -> JsValue;
    /// A new error of the same kind holding only these.
    #[wasm_bindgen(js_name = makeCause, catch)]
    fn make_cause(
        name: &str,
        message: &str,
        code: Option<String>,
        cause: &JsValue,
        dom: bool,
    ) -> Result<JsValue, JsValue>;
}

/// A copy of `value` that holds only text: strings as they are, numbers, booleans, `null` and
/// `BigInt`s as they are, an object as a new error with its `name`, `message`, `code` and copied
/// cause (`depth` levels down; deeper causes are left out). `None` when a text is not clean
/// ([`clean`]) or the value cannot be read; symbols and functions are left out.
fn copy_cause(value: &JsValue, secret: Option<&str>, depth: u32) -> Option<JsValue> {
    if value.is_undefined() || value.is_symbol() || value.is_function() {
        return None;
    }
    if let Some(text) = value.as_string() {
        return clean(&text, secret).then(|| value.clone());
    }
    if !value.is_object() {
        return Some(value.clone());
    }
    let parts = cause_parts(value);
    if !js_sys::Array::is_array(&parts) {
        return None;
    }
    let parts: js_sys::Array = wasm_bindgen::JsCast::unchecked_into(parts);
    let part = |i: u32| parts.get(i);
    let (name, message) = (part(0).as_string()?, part(1).as_string()?);
    let code = part(2).as_string();
    if ![Some(&name), Some(&message), code.as_ref()]
        .into_iter()
        .flatten()
        .all(|text| clean(text, secret))
    {
        return None;
    }
    let inner = match depth {
        0 => JsValue::UNDEFINED,
        _ => match part(3) {
            inner if inner.is_undefined() => inner,
            inner => copy_cause(&inner, secret, depth - 1)?,
        },
    };
    make_cause(&name, &message, code, &inner, part(4).is_truthy()).ok()
}

/// Whether `text` holds nothing shaped like a token and no piece of `secret`.
pub(crate) fn clean(text: &str, secret: Option<&str>) -> bool {
    !text
        .split(|c: char| !is_token_char(c))
        .any(|run| is_token_run(run) || secret.is_some_and(|secret| shares_secret(run, secret)))
}

/// Whether no text in `value` (a string, or an object's `message`, `stack` and `cause`, down to
/// `depth` levels) holds anything shaped like a token. A property that cannot be read counts as
/// not clean.
fn is_clean(value: &JsValue, depth: u32) -> bool {
    if let Some(text) = value.as_string() {
        return !has_token(&text);
    }
    if !value.is_object() {
        return true;
    }
    let text_of = |name: &str| js_sys::Reflect::get(value, &JsValue::from_str(name));
    for name in ["message", "stack"] {
        match text_of(name) {
            Ok(text) if text.as_string().is_some_and(|t| has_token(&t)) => return false,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    match text_of("cause") {
        Ok(cause) if cause.is_undefined() => true,
        Ok(cause) => depth > 0 && is_clean(&cause, depth - 1),
        Err(_) => false,
    }
}

/// Whether `text` holds a run of token characters shaped like a JWT.
fn has_token(text: &str) -> bool {
    text.split(|c: char| !is_token_char(c)).any(is_token_run)
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

/// Shortens a server's message to one line and removes every run of token characters that could
/// be the key or a piece of it: the key itself, anything shaped like a JWT, and any long run that
/// shares a segment with the key.
pub(crate) fn sanitize_server_message(message: &str, secret: &str) -> String {
    let suspicious = |run: &str| is_token_run(run) || shares_secret(run, secret);

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

    let mut line = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if let Some((cut, _)) = line.char_indices().nth(SERVER_MESSAGE_CHARS) {
        line.truncate(cut);
        line.push('…');
    }
    line
}

/// Whether a run of token characters could be the key or a piece of it: a long run within the
/// key, or a run that holds or lies within one of its segments.
fn shares_secret(run: &str, secret: &str) -> bool {
    run.len() >= 16 && contains(secret, run)
        || secret
            .split('.')
            .filter(|segment| segment.len() >= 8)
            .any(|segment| contains(run, segment) || (run.len() >= 8 && contains(segment, run)))
}

/// A character of a token: base64 (either alphabet), dots and padding.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/')
}

/// Whether a run of token characters is shaped like a JWT: three dot-separated parts of ten
/// characters or more, or a JSON header's `eyJ` with two dots. (A host name such as
/// `go-api.accessprotocol.co`, which a Node `ENOTFOUND` names, is not one.)
fn is_token_run(run: &str) -> bool {
    let long_parts = run.split('.').filter(|part| part.len() >= 10).count();
    let dots = run.bytes().filter(|&b| b == b'.').count();
    long_parts >= 3 || (dots >= 2 && contains(run, "eyJ"))
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
    fn tokens_are_told_from_host_names_and_stacks() {
        for text in [
            CANARY.to_string(),
            format!("Invalid header value: Bearer {CANARY}"),
            "token eyJhbGciOi.eyJzdWIi.c2ln rejected".to_string(),
        ] {
            assert!(has_token(&text), "{text}");
        }
        for text in [
            "getaddrinfo ENOTFOUND go-api.accessprotocol.co",
            "connect ECONNREFUSED 127.0.0.1:9",
            "TypeError: fetch failed\n    at node:internal/deps/undici/undici:13510:13",
            "at http://127.0.0.1:8080/pkg/access_creator_api.js:412:19",
            "https://papi.accessprotocol.co/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be",
        ] {
            assert!(!has_token(text), "{text}");
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
