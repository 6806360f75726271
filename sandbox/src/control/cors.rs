//! CORS of the control endpoints: only pages on a loopback origin may call them.
//!
//! The wasm tests call the control API with `fetch` from a page that wasm-bindgen-test serves on
//! another loopback port, so the control endpoints cannot go without CORS altogether. They
//! answer with `Access-Control-Allow-Origin: <the page's origin>` (never `*`, and `Vary:
//! Origin`) when that origin is `http://127.0.0.1[:port]`, `http://localhost[:port]` or
//! `http://[::1][:port]`, and with no CORS header for any other origin: a foreign site (or a
//! rebound name, `null`, `https:`) cannot read their answers nor send them JSON, which needs a
//! preflight. No credentials are ever allowed.

use std::time::Duration;

use axum::http::{header, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// The control endpoints' CORS layer: loopback `http:` origins only.
pub fn layer() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            is_loopback_origin(origin)
        }))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Whether `origin` is `http://127.0.0.1`, `http://localhost` or `http://[::1]`, with an
/// optional port.
fn is_loopback_origin(origin: &HeaderValue) -> bool {
    let Some(rest) = origin.to_str().ok().and_then(|o| o.strip_prefix("http://")) else {
        return false;
    };
    let host = ["127.0.0.1", "localhost", "[::1]"]
        .into_iter()
        .find_map(|host| rest.strip_prefix(host));
    match host {
        Some("") => true,
        Some(port) => port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        }),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_http_origins() {
        let is = |o: &str| is_loopback_origin(&HeaderValue::from_str(o).unwrap());
        for good in [
            "http://127.0.0.1:8000",
            "http://localhost:1",
            "http://[::1]:65535",
            "http://localhost",
        ] {
            assert!(is(good), "{good}");
        }
        for bad in [
            "null",
            "https://127.0.0.1:8000",
            "http://127.0.0.1.evil.test:8000",
            "http://localhost.evil.test",
            "http://localhost:",
            "http://localhost:80a",
            "http://127.0.0.2:8000",
            "http://evil.test",
            "*",
            "",
        ] {
            assert!(!is(bad), "{bad}");
        }
    }
}
