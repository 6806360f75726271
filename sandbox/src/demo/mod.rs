//! The demo origin: the demo page (`--www`), the wasm package (`--pkg`, at `/pkg/`),
//! `/sandbox.json`, the proxy at `/upstream/...` (with `--upstream`, see [`proxy`]) and, with
//! `--test-control`, the demo origin's test features, each in one file with its state and its
//! handlers: the CSP violation reports ([`csp_reports`]), a delay of `/pkg/` ([`pkg_delay`]),
//! the proxy's counters ([`proxy`]); and test control's landing page of the redirect fault
//! ([`crate::testing`]).
//!
//! Requests addressed to another `Host` are 421 ([`crate::host`]); the proxy also refuses
//! requests from any other origin ([`proxy`]). Every response carries a strict Content-Security-Policy ([`csp`]),
//! `Referrer-Policy: no-referrer` and `X-Content-Type-Options: nosniff`; HTML and JSON are
//! `Cache-Control: no-store`, everything else `no-cache` (always revalidated, as files change
//! with every build).

mod csp;
mod csp_reports;
mod pkg_delay;
mod proxy;
mod sandbox_json;

use std::path::PathBuf;
use std::sync::Arc;

use axum::http::header::{self, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub use proxy::{
    base_url as proxy_base_url, Timeouts as UpstreamTimeouts,
    DEFAULT_TIMEOUT_MS as DEFAULT_UPSTREAM_TIMEOUT_MS,
    DEFAULT_TOTAL_TIMEOUT_MS as DEFAULT_UPSTREAM_TOTAL_TIMEOUT_MS,
};

use crate::host::{self, AllowedHosts};
use crate::keys::DemoKey;
use crate::origins::Upstream;
use crate::testing::{self, Testing};
use crate::{cors, error};

/// What the demo origin serves, from the flags.
pub struct Demo {
    /// The API origin, which the page defaults to and may fetch from.
    pub api_origin: String,
    /// This origin.
    pub demo_origin: String,
    /// The demo keys `/sandbox.json` lists.
    pub demo_keys: Vec<DemoKey>,
    /// `--upstream`: proxy mode, if set.
    pub upstream: Option<Upstream>,
    /// How long the upstream may take.
    pub upstream_timeouts: UpstreamTimeouts,
    /// `--connect-src`: more origins the page may fetch from.
    pub connect_src: Vec<String>,
    /// `--www`: the demo page.
    pub www: PathBuf,
    /// `--pkg`: the wasm package, served at `/pkg/`.
    pub pkg: PathBuf,
}

/// The demo origin's router; `testing` with `--test-control` (its control routes are then
/// served too).
///
/// # Errors
///
/// If the proxy's HTTPS client cannot be set up, or an origin cannot appear in a header (they
/// always can: they are built from a socket address or checked by
/// [`parse_origin`](crate::origins::parse_origin)).
pub fn router(
    demo: Demo,
    hosts: AllowedHosts,
    testing: Option<&Testing>,
) -> Result<Router, String> {
    let report_uri = testing.is_some().then_some(csp_reports::PATH);
    let img_src: Vec<String> = demo
        .connect_src
        .iter()
        .map(String::as_str)
        .filter(|origin| origin.starts_with("http:"))
        .chain(demo.upstream.as_ref().and_then(Upstream::http_origin))
        .map(str::to_owned)
        .collect();
    let csp = HeaderValue::from_str(&csp::content_security_policy(
        &demo.api_origin,
        &demo.connect_src,
        &img_src,
        report_uri,
    ))
    .map_err(|e| format!("the demo page's CSP is not a valid header: {e}"))?;
    let info = sandbox_json::SandboxInfo {
        api_base_url: demo.api_origin.clone(),
        demo_keys: demo.demo_keys,
        proxy_base_url: proxy::base_url(Some(&demo.demo_origin), demo.upstream.as_ref()),
        upstream: demo.upstream.as_ref().map(ToString::to_string),
    };
    let proxy_requests = Arc::new(proxy::ProxyRequests::default());
    let pkg_delay = Arc::new(pkg_delay::PkgDelay::default());
    let package = Router::new().fallback_service(ServeDir::new(&demo.pkg));
    let package = match testing {
        Some(_) => pkg_delay.around(package),
        None => package,
    };
    let mut router = sandbox_json::router(&info)
        .map_err(|e| format!("cannot write /sandbox.json: {e}"))?
        .merge(proxy::router(
            demo.upstream,
            demo.upstream_timeouts,
            &proxy_requests,
        )?)
        .nest("/pkg", package)
        .fallback_service(ServeDir::new(&demo.www));
    router = match testing {
        // The demo origin's test features, each with its own state, behind the control
        // endpoints' guards (JSON bodies, except the reports browsers send; loopback pages).
        Some(testing) => {
            let control = Router::new()
                .merge(proxy_requests.router())
                .merge(pkg_delay.router())
                .method_not_allowed_fallback(error::method_not_allowed)
                .layer(from_fn(testing::json::require_json))
                .merge(csp_reports::router())
                .layer(cors::loopback_pages());
            router
                .merge(testing::landing_router(testing.sessions.clone()))
                .merge(control)
        }
        // The control paths are not there, whatever the method (the static files would answer
        // a POST with 405, as if something were).
        None => router.route("/__sandbox/{*rest}", any(error::not_found)),
    };
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
        )))
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
