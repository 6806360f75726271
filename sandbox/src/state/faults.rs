//! Faults as queued for a test session: what `POST /__sandbox/faults` accepts, checked, as
//! plain data. [`crate::control`] applies them.

use axum::http::HeaderValue;
use serde::Deserialize;

/// Largest `oversized` body a fault may ask for: 1 GiB.
pub const MAX_OVERSIZED_BYTES: u64 = 1024 * 1024 * 1024;
/// Largest `text` body: 1 MiB.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;
/// Most requests one fault may apply to.
const MAX_TIMES: u32 = 1000;
/// Longest `delay_ms` a fault may ask for: 10 minutes.
const MAX_DELAY_MS: u64 = 10 * 60 * 1000;

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
    /// Size of an `oversized` body, or of a `gzip` body once decoded (default 2 MiB; at most
    /// 1 GiB).
    #[serde(default)]
    pub bytes: Option<u64>,
    /// For `gzip`: one row repeated (about 300:1, a gzip bomb) instead of varied rows (about
    /// 2:1).
    #[serde(default)]
    pub bomb: bool,
    /// For `oversized`, `gzip` and `abort`: whether to announce a `Content-Length` (default
    /// true; for `gzip` the compressed length); `false` streams chunked, so the client cannot
    /// know the size up front. For `truncated`: `false` sends a complete answer of the first
    /// half instead of announcing the whole.
    #[serde(default)]
    pub content_length: Option<bool>,
    /// Redirect instead of answering.
    #[serde(default)]
    pub redirect: Option<RedirectTarget>,
    /// Answer with this body (at most 1 MiB), with `content_type` (default `application/json`)
    /// and `status` (default 200).
    #[serde(default)]
    pub text: Option<String>,
    /// The `Content-Type` of a `text`, `echo_authorization` or `invalid_utf8` answer.
    #[serde(default)]
    pub content_type: Option<String>,
    /// Answer the error `status` (400-599) with a body that holds the request's
    /// `Authorization` header value: `{"error": ..., "message": "... Bearer <key>"}`, or that
    /// message alone as plain text with `content_type: "text/plain"`. The one answer of the
    /// sandbox that contains a key: to test a client's redaction.
    #[serde(default)]
    pub echo_authorization: bool,
    /// Send the answer's body slowly: [`TRICKLE_CHUNK_BYTES`] bytes every `trickle_ms` ms
    /// (at most [`MAX_TRICKLE_MS`]), so that a client is still reading it for a while.
    #[serde(default)]
    pub trickle_ms: Option<u64>,
}

/// The piece of a trickled body sent at each tick.
pub const TRICKLE_CHUNK_BYTES: usize = 64;
/// Longest `trickle_ms` a fault may ask for.
pub const MAX_TRICKLE_MS: u64 = 10_000;

fn one() -> u32 {
    1
}

/// The `body` field of a [`Fault`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyFault {
    /// The real response with its body cut in half: the full `Content-Length` announced, the
    /// connection dropped after the first half (with `content_length: false`: a complete answer
    /// of the first half, ending cleanly).
    Truncated,
    /// A JSON content type with a body that is not JSON.
    Malformed,
    /// A `text/html` page, as a proxy or captive portal sends.
    Html,
    /// A JSON-looking body of `bytes` bytes, streamed.
    Oversized,
    /// A few bytes of a JSON body, then the connection is dropped.
    Abort,
    /// A small CSV (`text/csv; charset=utf-8`, or `content_type`) with one invalid UTF-8
    /// sequence in the middle.
    InvalidUtf8,
    /// `text/csv` with `Content-Encoding: gzip`: `bytes` bytes of CSV once decoded, streamed.
    Gzip,
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
        if !(1..=MAX_TIMES).contains(&self.times) {
            return Err(format!("`times` must be 1 to {MAX_TIMES}"));
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
        if self
            .trickle_ms
            .is_some_and(|ms| ms == 0 || ms > MAX_TRICKLE_MS)
        {
            return Err(format!("`trickle_ms` must be 1 to {MAX_TRICKLE_MS}"));
        }
        if self.trickle_ms.is_some() && (self.redirect.is_some() || self.body.is_some()) {
            return Err("`trickle_ms` applies to `text`, `echo_authorization`, `status` or the real answer, not to `body` or `redirect`".into());
        }
        let answers = [
            self.redirect.is_some(),
            self.body.is_some(),
            self.text.is_some(),
            self.echo_authorization,
        ];
        if answers.into_iter().filter(|set| *set).count() > 1 {
            return Err(
                "`redirect`, `body`, `text` and `echo_authorization` cannot be combined".into(),
            );
        }
        if self.echo_authorization && !self.status.is_some_and(|s| (400..=599).contains(&s)) {
            return Err("`echo_authorization` needs an error `status` (400-599)".into());
        }
        if self.text.as_ref().is_some_and(|t| t.len() > MAX_TEXT_BYTES) {
            return Err(format!("`text` may be at most {MAX_TEXT_BYTES} bytes"));
        }
        if let Some(value) = &self.content_type {
            let applies = self.text.is_some()
                || self.echo_authorization
                || self.body == Some(BodyFault::InvalidUtf8);
            if !applies {
                return Err(
                    "`content_type` only applies to `text`, `echo_authorization` and \
                     `body: \"invalid_utf8\"`"
                        .into(),
                );
            }
            HeaderValue::from_str(value)
                .map_err(|_| "`content_type` is not a valid header value")?;
        }
        if self.redirect.is_some() && !demo_origin_served {
            return Err(
                "`redirect: \"demo\"` needs the demo origin (the sandbox runs with --no-demo)"
                    .into(),
            );
        }
        let sized = matches!(self.body, Some(BodyFault::Oversized | BodyFault::Gzip));
        if self.bytes.is_some() && !sized {
            return Err("`bytes` only applies to `body: \"oversized\"` or `\"gzip\"`".into());
        }
        if self.bomb && self.body != Some(BodyFault::Gzip) {
            return Err("`bomb` only applies to `body: \"gzip\"`".into());
        }
        if self.bytes.is_some_and(|b| b > MAX_OVERSIZED_BYTES) {
            return Err(format!("`bytes` may be at most {MAX_OVERSIZED_BYTES}"));
        }
        if self.content_length.is_some()
            && !matches!(
                self.body,
                Some(
                    BodyFault::Oversized
                        | BodyFault::Gzip
                        | BodyFault::Abort
                        | BodyFault::Truncated
                )
            )
        {
            return Err(
                "`content_length` only applies to `body: \"oversized\"`, `\"gzip\"`, \
                 `\"abort\"` or `\"truncated\"`"
                    .into(),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
