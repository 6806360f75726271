//! The demo origin: the demo page (`--www`), the wasm package (`--pkg`, at `/pkg/`),
//! `/sandbox.json`, the proxy at `/upstream/...` (with `--upstream`, see [`proxy`]) and, with
//! `--test-control`, the demo origin's control routes ([`crate::control`]: the landing page of
//! the redirect fault and the CSP violation reports).
//!
//! Requests addressed to another `Host` are 421 ([`crate::host`]); the proxy also refuses
//! requests from any other origin ([`proxy`]). Every response carries a strict Content-Security-Policy ([`csp`]),
//! `Referrer-Policy: no-referrer` and `X-Content-Type-Options: nosniff`; HTML and JSON are
//! `Cache-Control: no-store`, everything else `no-cache` (always revalidated, as files change
//! with every build).

mod csp;
mod proxy;
mod sandbox_json;

use std::path::Path;
use std::sync::Arc;

use axum::http::header::{self, HeaderValue};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{any, get};
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use proxy::{
    Timeouts as UpstreamTimeouts, DEFAULT_TIMEOUT_MS as DEFAULT_UPSTREAM_TIMEOUT_MS,
    DEFAULT_TOTAL_TIMEOUT_MS as DEFAULT_UPSTREAM_TOTAL_TIMEOUT_MS,
};

use crate::control;
use crate::host::{self, AllowedHosts};
use crate::origins::Upstream;
use crate::state::{Shared, PROXY_PREFIX};

/// The demo origin's router; in proxy mode, `upstream_timeouts` bound the upstream's answer.
///
/// # Errors
///
/// If the proxy's HTTPS client cannot be set up, or an origin cannot appear in a header (they
/// always can: they are built from a socket address or checked by
/// [`parse_origin`](crate::origins::parse_origin)).
pub fn router(
    sandbox: Shared,
    hosts: AllowedHosts,
    www: &Path,
    pkg: &Path,
    upstream_timeouts: UpstreamTimeouts,
) -> Result<Router, String> {
    let report_uri = sandbox.test_control.then_some(control::CSP_REPORTS_PATH);
    let img_src: Vec<String> = sandbox
        .connect_src
        .iter()
        .map(String::as_str)
        .filter(|origin| origin.starts_with("http:"))
        .chain(sandbox.upstream.as_ref().and_then(Upstream::http_origin))
        .map(str::to_owned)
        .collect();
    let csp = HeaderValue::from_str(&csp::content_security_policy(
        &sandbox.api_origin,
        &sandbox.connect_src,
        &img_src,
        report_uri,
    ))
    .map_err(|e| format!("the demo page's CSP is not a valid header: {e}"))?;
    let forwarding = match &sandbox.upstream {
        Some(upstream) => {
            let proxy = proxy::Proxy::new(sandbox.clone(), upstream.clone(), upstream_timeouts)
                .map_err(|e| format!("cannot set up the proxy's HTTPS client: {e}"))?;
            let handle = any(proxy::handle);
            Router::new()
                .route(PROXY_PREFIX, handle.clone())
                .route(&format!("{PROXY_PREFIX}/"), handle.clone())
                .route(&format!("{PROXY_PREFIX}/{{*rest}}"), handle)
                .with_state(Arc::new(proxy))
        }
        None => Router::new()
            .route(PROXY_PREFIX, any(proxy::off))
            .route(&format!("{PROXY_PREFIX}/"), any(proxy::off))
            .route(&format!("{PROXY_PREFIX}/{{*rest}}"), any(proxy::off)),
    }
    .layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(proxy::CONTENT_SECURITY_POLICY),
    ));
    let package = Router::new().fallback_service(ServeDir::new(pkg));
    let package = if sandbox.test_control {
        package.layer(from_fn_with_state(sandbox.clone(), control::delay_pkg))
    } else {
        package
    };
    let mut router = Router::new()
        .route("/sandbox.json", get(sandbox_json::sandbox_json))
        .merge(forwarding)
        .nest("/pkg", package)
        .fallback_service(ServeDir::new(www));
    if sandbox.test_control {
        router = router.merge(control::demo_router(&sandbox));
    } else {
        // The control paths are not there, whatever the method (the static files would answer
        // a POST with 405, as if something were).
        router = router.route("/__sandbox/{*rest}", any(crate::error::not_found));
    }
    Ok(router
        .layer(map_response(cache_control))
        .layer(from_fn_with_state(Arc::new(hosts), host::check))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(sandbox))
}

/// `no-store` for HTML and JSON, `no-cache` for the rest, unless already set.
async fn cache_control(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let html_or_json =
            content_type.starts_with("text/html") || content_type.starts_with("application/json");
        let value = if html_or_json { "no-store" } else { "no-cache" };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}
