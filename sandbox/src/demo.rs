//! The demo origin: the demo page (`--www`), the wasm package (`--pkg`, at `/pkg/`),
//! `/sandbox.json`, the proxy at `/upstream/...` (with `--upstream`, see [`crate::proxy`]) and,
//! with `--test-control`, the landing page of the redirect fault and the CSP violation reports
//! ([`crate::csp_reports`]).
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
use crate::{cors, csp_reports, proxy};

/// The production API, which the demo page offers as an API choice.
pub const PRODUCTION_API: &str = "https://go-api.accessprotocol.co";

/// The demo page's CSP.
///
/// - `connect-src`: the page itself (and so the proxy at `/upstream`), the sandbox API
///   (`api_origin`), the production API and `connect_src` (the `--connect-src` origins).
/// - `img-src`: the page itself, the sandbox API (it serves the pool images), `img_src` (the
///   `http:` loopback origins of `--connect-src` and `--upstream`, whose records point images
///   there) and any `https:` host (real pools' images live on arbitrary hosts). Never `data:`
///   or plain `http:`, so a hostile `data:` or remote `http:` logo does not render.
/// - `report_uri` (with `--test-control`): where the browser reports violations.
pub fn content_security_policy(
    api_origin: &str,
    connect_src: &[String],
    img_src: &[String],
    report_uri: Option<&str>,
) -> String {
    let mut connect: Vec<&str> = vec!["'self'", api_origin, PRODUCTION_API];
    let mut img: Vec<&str> = vec!["'self'", api_origin];
    for (list, extra) in [(&mut connect, connect_src), (&mut img, img_src)] {
        for origin in extra {
            if !list.contains(&origin.as_str()) {
                list.push(origin);
            }
        }
    }
    img.push("https:");
    let mut csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src {}; connect-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        img.join(" "),
        connect.join(" "),
    );
    if let Some(uri) = report_uri {
        csp.push_str("; report-uri ");
        csp.push_str(uri);
    }
    csp
}

/// Parses a `--connect-src` value into the origin a CSP names: `https://host[:port]`, or
/// `http://` on a loopback host (what the client accepts as a base URL). A trailing `/` is
/// allowed; a path, query, fragment or credentials are not.
///
/// # Errors
///
/// A message saying what is expected.
pub fn parse_origin(text: &str) -> Result<String, String> {
    const EXPECTED: &str = "expected an origin such as https://api.example.com or \
         http://127.0.0.1:9000 (scheme, host and optional port; http: only on a loopback host)";
    let url = reqwest::Url::parse(text.trim()).map_err(|e| format!("{e}; {EXPECTED}"))?;
    let scheme_ok = match url.scheme() {
        "https" => true,
        "http" => crate::proxy::is_loopback(&url),
        _ => false,
    };
    let origin_only = url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    let origin = url.origin().ascii_serialization();
    // The URL parser lets through host characters such as `;` and `*` that would change the
    // meaning of the CSP; a serialised origin of a real host has none of them.
    let plain = origin
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b));
    if !scheme_ok || !origin_only || !plain {
        return Err(EXPECTED.to_owned());
    }
    Ok(origin)
}

/// The demo origin's router.
///
/// # Errors
///
/// If an origin cannot appear in a header (they always can: they are built from a socket
/// address or checked by [`parse_origin`]).
pub fn router(sandbox: Shared, www: &Path, pkg: &Path) -> Result<Router, InvalidHeaderValue> {
    let report_uri = sandbox.test_control.then_some(csp_reports::PATH);
    let upstream = sandbox.proxy.as_ref().map(proxy::Proxy::upstream);
    let img_src: Vec<String> = sandbox
        .connect_src
        .iter()
        .map(String::as_str)
        .filter(|origin| origin.starts_with("http:"))
        .chain(upstream.and_then(proxy::Upstream::http_origin))
        .map(str::to_owned)
        .collect();
    let csp = HeaderValue::from_str(&content_security_policy(
        &sandbox.api_origin,
        &sandbox.connect_src,
        &img_src,
        report_uri,
    ))?;
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
        router = router.merge(landing).merge(csp_reports::router());
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
    use super::{content_security_policy, parse_origin};

    #[test]
    fn csp_names_the_api_origins_and_no_data_images() {
        let csp = content_security_policy("http://127.0.0.1:8081", &[], &[], None);
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' http://127.0.0.1:8081 https:; \
             connect-src 'self' http://127.0.0.1:8081 https://go-api.accessprotocol.co; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        );
        assert!(!csp.contains("data:"));
        assert!(!csp.contains("http:;") && !csp.contains("http: "));
    }

    #[test]
    fn csp_adds_connect_src_origins_and_the_report_uri() {
        let connect = [
            "https://api.example.com".to_owned(),
            "http://127.0.0.1:9000".to_owned(),
            "https://go-api.accessprotocol.co".to_owned(),
        ];
        let img = ["http://127.0.0.1:9000".to_owned()];
        let csp = content_security_policy(
            "http://127.0.0.1:8081",
            &connect,
            &img,
            Some("/__sandbox/csp-reports"),
        );
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' http://127.0.0.1:8081 http://127.0.0.1:9000 https:; \
             connect-src 'self' http://127.0.0.1:8081 https://go-api.accessprotocol.co \
             https://api.example.com http://127.0.0.1:9000; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
             report-uri /__sandbox/csp-reports"
        );
    }

    #[test]
    fn connect_src_values_must_be_origins() {
        assert_eq!(
            parse_origin("https://API.example.com/").as_deref(),
            Ok("https://api.example.com")
        );
        assert_eq!(
            parse_origin("https://api.example.com:443").as_deref(),
            Ok("https://api.example.com")
        );
        assert_eq!(
            parse_origin("http://localhost:9000").as_deref(),
            Ok("http://localhost:9000")
        );
        assert_eq!(
            parse_origin("http://[::1]:9000").as_deref(),
            Ok("http://[::1]:9000")
        );
        for bad in [
            "http://api.example.com",
            "https://api.example.com/v1",
            "https://api.example.com/?x",
            "https://user@api.example.com",
            "https://a.example.com;script-src",
            "https://*.example.com",
            "'unsafe-inline'",
            "api.example.com",
            "data:",
            "ws://127.0.0.1:1",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
