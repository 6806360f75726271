//! The demo origin: the demo page (`--www`), the wasm package (`--pkg`, at `/pkg/`),
//! `/sandbox.json`, the proxy at `/upstream/...` (with `--upstream`, see [`crate::proxy`]) and,
//! with `--test-control`, the landing page of the redirect fault.
//!
//! Every response carries a strict Content-Security-Policy ([`content_security_policy`]),
//! `Referrer-Policy: no-referrer` and `X-Content-Type-Options: nosniff`; HTML and JSON are
//! `Cache-Control: no-store`, everything else `no-cache` (always revalidated, as files change
//! with every build).

use std::path::Path;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue, InvalidHeaderValue};
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::Response;
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::{DemoKey, Shared};
use crate::{cors, proxy};

/// The demo page's CSP. `api_origins` are the origins the page may fetch from and load images
/// from (the sandbox API; a proxy mode may add more). `data:` images are deliberately not
/// allowed, so a hostile `data:` logo does not render.
pub fn content_security_policy(api_origins: &[&str]) -> String {
    let origins: String = api_origins
        .iter()
        .map(|origin| format!(" {origin}"))
        .collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self'{origins}; connect-src 'self'{origins}; base-uri 'none'; \
         form-action 'none'; frame-ancestors 'none'"
    )
}

/// The demo origin's router.
///
/// # Errors
///
/// If the API origin cannot appear in a header (it always can: it is built from a socket address).
pub fn router(sandbox: Shared, www: &Path, pkg: &Path) -> Result<Router, InvalidHeaderValue> {
    let csp = HeaderValue::from_str(&content_security_policy(&[&sandbox.api_origin]))?;
    let prefix = proxy::PREFIX;
    let mut router = Router::new()
        .route("/sandbox.json", get(sandbox_json))
        .route(prefix, any(proxy::handle))
        .route(&format!("{prefix}/"), any(proxy::handle))
        .route(&format!("{prefix}/{{*rest}}"), any(proxy::handle))
        .nest_service("/pkg", ServeDir::new(pkg))
        .fallback_service(ServeDir::new(www));
    if sandbox.test_control {
        let landing = Router::new()
            .route("/__sandbox/landing", get(landing))
            .layer(cors::layer())
            .layer(from_fn_with_state(sandbox.clone(), cors::count_preflights));
        router = router.merge(landing);
    }
    Ok(router
        .layer(map_response(cache_control))
        .layer(SetResponseHeaderLayer::overriding(
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

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SandboxInfo {
    api_base_url: String,
    demo_keys: Vec<DemoKey>,
    /// `{demo origin}/upstream` in proxy mode, else `null`.
    proxy_base_url: Option<String>,
    /// The `--upstream` the proxy forwards to, else `null`.
    upstream: Option<String>,
}

/// `GET /sandbox.json`: where the sandbox API is and its demo keys, so the page can default to
/// it, and the proxy's base URL and upstream in proxy mode.
async fn sandbox_json(State(sandbox): State<Shared>) -> Json<SandboxInfo> {
    Json(SandboxInfo {
        api_base_url: sandbox.api_origin.clone(),
        demo_keys: sandbox.demo_keys.clone(),
        proxy_base_url: sandbox.proxy_base_url(),
        upstream: sandbox
            .proxy
            .as_ref()
            .map(|proxy| proxy.upstream().to_string()),
    })
}

#[derive(Deserialize)]
struct LandingQuery {
    session: Option<String>,
}

#[derive(Serialize)]
struct LandingBody {
    landed: bool,
    /// Whether the visit was counted for a known session.
    recorded: bool,
    /// Whether the request carried an `Authorization` header (its value is never echoed).
    authorization_received: bool,
}

/// `GET /__sandbox/landing?session=<id>`: the target of the `redirect` fault. Counts the visit
/// for the session and whether it carried an `Authorization` header (a key that leaked across
/// the cross-origin redirect).
async fn landing(
    State(sandbox): State<Shared>,
    query: Result<Query<LandingQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Json<LandingBody> {
    let authorization_received = headers.contains_key(header::AUTHORIZATION);
    let recorded = query
        .ok()
        .and_then(|Query(q)| q.session)
        .is_some_and(|id| sandbox.sessions.on_landing(&id, authorization_received));
    Json(LandingBody {
        landed: true,
        recorded,
        authorization_received,
    })
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn csp_names_the_api_origin_and_no_data_images() {
        let csp = content_security_policy(&["http://127.0.0.1:8081"]);
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' http://127.0.0.1:8081; connect-src 'self' http://127.0.0.1:8081; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        );
        assert!(!csp.contains("data:"));
    }
}
