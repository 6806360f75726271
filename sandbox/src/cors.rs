//! Who may call what from a web page: the two CORS policies of the sandbox.
//!
//! - [`any_page`]: the documented API, as a careful production API does it. Any origin may call
//!   (`*`: the client sends no cookies, `credentials: "omit"`); the request headers a client
//!   needs are named explicitly; `Retry-After` is exposed so a page can honour it, and so are
//!   the headers an injected fault adds ([`Expose`]). The layer wraps every route, the 404/405
//!   fallbacks and injected faults, so every response, including errors, carries the headers.
//!   The demo origin's landing page (the `redirect` fault's target) answers the same way: it
//!   stands in for a server elsewhere, and a browser that follows a cross-origin redirect sends
//!   `Origin: null` and, for a JSON content type, a preflight first.
//! - [`loopback_pages`]: the test control endpoints. The wasm tests call them with `fetch` from
//!   a page that wasm-bindgen-test serves on another loopback port, so they cannot go without
//!   CORS altogether. They answer with `Access-Control-Allow-Origin: <the page's origin>` (never
//!   `*`, and `Vary: Origin`) when that origin is `http:` on a loopback host (the client's rule,
//!   [`access_creator_api::is_loopback_host`]: `localhost`, `[::1]`, `127.x.x.x`), with an
//!   optional port, and with no CORS header for any other origin: a foreign site (or a rebound
//!   name, `null`, `https:`) cannot read their answers nor send them JSON, which needs a
//!   preflight. No credentials are ever allowed.

use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::map_response;
use axum::response::Response;
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long a browser may cache a preflight answer.
const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(600);

/// More header names a response asks [`any_page`] to expose to pages, besides `Retry-After`:
/// put in the response's extensions (an injected fault's `headers` do it).
#[derive(Debug, Clone)]
pub struct Expose(pub Vec<HeaderName>);

/// `router` behind the API's CORS layer: origin `*`; methods GET, POST, OPTIONS; request
/// headers `authorization`, `content-type`; exposed `retry-after` (and a response's
/// [`Expose`]); max-age 600.
pub fn any_page<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(PREFLIGHT_MAX_AGE);
    router.layer(layer).layer(map_response(expose_more))
}

/// Adds a response's [`Expose`] names to the `Access-Control-Expose-Headers` the CORS layer set
/// (it replaces any the response had, so the names travel in an extension).
async fn expose_more(mut response: Response) -> Response {
    let Some(Expose(names)) = response.extensions_mut().remove::<Expose>() else {
        return response;
    };
    let headers = response.headers_mut();
    let mut exposed: Vec<&str> = headers
        .get(header::ACCESS_CONTROL_EXPOSE_HEADERS)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect()
        })
        .unwrap_or_default();
    for name in &names {
        if !exposed
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name.as_str()))
        {
            exposed.push(name.as_str());
        }
    }
    if let Ok(value) = HeaderValue::from_str(&exposed.join(", ")) {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, value);
    }
    response
}

/// The control endpoints' CORS layer: `http:` origins on a loopback host only.
pub fn loopback_pages() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|origin, _| {
            is_loopback_origin(origin)
        }))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Whether `origin` is `http://<loopback host>[:port]`, by the client's rule of a loopback host.
fn is_loopback_origin(origin: &HeaderValue) -> bool {
    let Some(authority) = origin.to_str().ok().and_then(|o| o.strip_prefix("http://")) else {
        return false;
    };
    let (host, port) = match authority.rsplit_once(':') {
        // `[::1]` alone has colons inside the brackets only.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok && access_creator_api::is_loopback_host(host)
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
            "http://[::1]",
            // The client's rule: any literal 127.x.x.x is loopback.
            "http://127.0.0.2:8000",
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
            "http://127.0.0.1.2:8000",
            "http://[::2]:8000",
            "http://LOCALHOST:8000",
            "http://evil.test",
            "*",
            "",
        ] {
            assert!(!is(bad), "{bad}");
        }
    }
}
