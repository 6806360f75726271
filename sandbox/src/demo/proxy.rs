//! Proxy mode (`--upstream <URL>`): the demo origin also answers the documented API calls under
//! [`PREFIX`] and forwards them to a real API, so the demo page (same origin, no CORS) works with
//! a real key even if that API refuses cross-origin calls from a local page.
//!
//! | demo origin | forwarded to |
//! |---|---|
//! | `GET /upstream/user` | `GET {upstream}/user` |
//! | `POST /upstream/file/{emails,supporters,rewards}` | `POST {upstream}/file/{kind}` |
//! | `GET /upstream/file/link/{id}` (`id`: [`access_creator_api::is_reference_id`]: 1-128 of `A-Z a-z 0-9 - _`) | `GET {upstream}/file/link/{id}` |
//! | `GET /upstream/user/{address}/pools`, `.../pools/forever` | the same path |
//! | the public calls: `GET /upstream/pools`, `/pools/{featured,user_count,locked,rewards}`, `/pool/{address}`, `/token/supply/{total,circulating}`, `/stats/{kind}` | the same path, **without** `Authorization` |
//!
//! An `address` is 32 to 44 base58 characters; a stats `kind` is 1 to 64 of `a-z` and `_` (the
//! documented seven and any the API may add).
//! Anything else under the prefix (another method or path, a query string, a percent-encoded or
//! dotted segment) is `404 {"error":"not_found",...}` and sends nothing anywhere.
//!
//! Only the demo page itself may use the proxy: a request whose `Origin` is not the origin it
//! was addressed to (`http://` + its `Host`, which [`crate::host`] has checked), or whose
//! `Sec-Fetch-Site` is `cross-site` or `same-site` (another port of the same host is
//! same-site), is `403 {"error":"forbidden",...}` and sends nothing anywhere. A same-origin
//! `GET` may carry no `Origin`; requests without these headers (not from a browser) pass.
//!
//! - Requests carry only `Authorization` (never on a public call: the key goes only where the
//!   docs send it), `Content-Type` and `Accept` from the browser (never cookies, `Origin`,
//!   `Referer` or its `User-Agent`), plus the proxy's own `Host`,
//!   `Content-Length` (on a `POST`, `0` too) and `User-Agent`
//!   (`access-api-sandbox/<version> (proxy mode)`); a `POST` body of at most 64 KiB.
//! - Responses carry back the status, `Retry-After`, `Content-Length` and the body, streamed as
//!   it arrives, with `Cache-Control: no-store`. Nothing else: no cookies, no CORS headers. The
//!   `Content-Type` is `application/json`, `text/csv` or `text/plain` (with `charset=utf-8` if
//!   the upstream said so) and anything else becomes `application/octet-stream`: this origin holds the key,
//!   so nothing from the upstream may render or run on it.
//! - Every answer under the prefix (the proxy's own errors too) carries
//!   `Content-Security-Policy: sandbox; default-src 'none'; frame-ancestors 'none'`.
//! - Redirects are not followed: a 3xx from the upstream becomes `502`. The upstream unreachable
//!   is `502 {"error":"bad_gateway",...}`; no answer within `--upstream-timeout-ms` (default
//!   60 s) is `504 {"error":"gateway_timeout",...}`; a body still streaming after
//!   `--upstream-total-timeout-ms` (default 5 min, counted from the request) is cut off, as a
//!   dropped connection. Messages never contain a header value.
//! - The upstream is `https:`, or `http:` on a loopback host (tests use a second sandbox).
//!
//! The proxy counts what it forwarded and refused ([`ProxyRequests`]); with `--test-control`,
//! `GET /__sandbox/proxy-requests` on the demo origin answers the counts,
//! `{"forwarded": {"GET /user": n, ...}, "refused": n}`, so a test can check that the demo
//! page's calls really went through the proxy.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt as _};
use reqwest::redirect;
use serde::Serialize;
use tokio::time::Instant;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::api::universe::is_address;
use crate::error::ApiError;
use crate::origins::Upstream;
use crate::redact::redact;
use crate::testing::route_key;

/// Where the demo origin serves the forwarded calls: `{demo origin}/upstream/user`, ...
pub const PREFIX: &str = "/upstream";

/// Default of `--upstream-timeout-ms`: how long the upstream may take to answer (to send its
/// response head), and the longest pause while streaming its body.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;

/// The CSP of every answer under the prefix: nothing in it may render, run or be framed.
const CONTENT_SECURITY_POLICY: &str = "sandbox; default-src 'none'; frame-ancestors 'none'";

/// Default of `--upstream-total-timeout-ms`: how long the whole upstream answer may take.
pub const DEFAULT_TOTAL_TIMEOUT_MS: u64 = 300_000;

/// How long the upstream may take: to answer (its response head, and any pause in its body),
/// and in total (head and whole body).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// `--upstream-timeout-ms`.
    pub answer: Duration,
    /// `--upstream-total-timeout-ms`.
    pub total: Duration,
}

/// How long connecting to the upstream (TCP and TLS) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest request body forwarded (the documented calls send none or a tiny JSON one).
const MAX_REQUEST_BODY: usize = 64 * 1024;

/// The request headers forwarded from the browser. Everything else stays here.
const FORWARDED_REQUEST_HEADERS: [header::HeaderName; 3] =
    [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT];

/// The response headers passed back. Everything else stays here.
const RETURNED_RESPONSE_HEADERS: [header::HeaderName; 3] = [
    header::CONTENT_TYPE,
    header::RETRY_AFTER,
    header::CONTENT_LENGTH,
];

/// `{demo origin}/upstream` in proxy mode (`upstream` set, and the demo origin served).
pub fn base_url(demo_origin: Option<&str>, upstream: Option<&Upstream>) -> Option<String> {
    upstream?;
    Some(format!("{}{PREFIX}", demo_origin?))
}

/// The routes under [`PREFIX`]: forwarding to `upstream` in proxy mode (counted in
/// `requests`), else a 404 saying proxy mode is off. Every answer carries the proxy's CSP.
///
/// # Errors
///
/// If the proxy's HTTPS client cannot be set up.
pub fn router(
    upstream: Option<Upstream>,
    timeouts: Timeouts,
    requests: &Arc<ProxyRequests>,
) -> Result<Router, String> {
    let handle = match upstream {
        Some(upstream) => {
            let proxy = Proxy::new(upstream, timeouts, requests.clone())
                .map_err(|e| format!("cannot set up the proxy's HTTPS client: {e}"))?;
            any(handle).with_state(Arc::new(proxy))
        }
        None => any(off),
    };
    Ok(Router::new()
        .route(PREFIX, handle.clone())
        .route(&format!("{PREFIX}/"), handle.clone())
        .route(&format!("{PREFIX}/{{*rest}}"), handle)
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        )))
}

/// Proxy mode's forwarding: the upstream and the HTTP client that reaches it.
struct Proxy {
    upstream: Upstream,
    client: reqwest::Client,
    timeouts: Timeouts,
    requests: Arc<ProxyRequests>,
}

impl Proxy {
    /// A proxy to `upstream`, giving up as `timeouts` say, counting in `requests`.
    ///
    /// # Errors
    ///
    /// If the TLS backend cannot be set up.
    fn new(
        upstream: Upstream,
        timeouts: Timeouts,
        requests: Arc<ProxyRequests>,
    ) -> Result<Self, reqwest::Error> {
        let mut builder = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(timeouts.answer)
            .https_only(!upstream.is_loopback())
            .referer(false)
            .user_agent(concat!(
                "access-api-sandbox/",
                env!("CARGO_PKG_VERSION"),
                " (proxy mode)"
            ));
        if upstream.is_loopback() {
            // A loopback upstream (tests) is reached directly, never through HTTP(S)_PROXY.
            builder = builder.no_proxy();
        }
        Ok(Proxy {
            upstream,
            client: builder.build()?,
            timeouts,
            requests,
        })
    }

    async fn forward(&self, request: Request, path: &str) -> Response {
        let public = is_public(path);
        let (parts, body) = request.into_parts();
        let Ok(body) = to_bytes(body, MAX_REQUEST_BODY).await else {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the proxy forwards request bodies of at most 64 KiB",
            )
            .into_response();
        };
        let Some(url) = self.upstream.url(path) else {
            return ApiError::internal("could not build the upstream URL").into_response();
        };
        let mut outgoing = self.client.request(parts.method.clone(), url);
        for name in FORWARDED_REQUEST_HEADERS {
            if public && name == header::AUTHORIZATION {
                continue;
            }
            for value in parts.headers.get_all(&name) {
                outgoing = outgoing.header(name.clone(), value.clone());
            }
        }
        if parts.method == Method::POST {
            // Always a length, `Content-Length: 0` too, as browsers send it (the HTTP client
            // would leave it out for an empty body, and some front ends answer that with 411).
            outgoing = outgoing
                .header(header::CONTENT_LENGTH, body.len())
                .body(body);
        }
        let deadline = Instant::now() + self.timeouts.total;
        let answer = match tokio::time::timeout(self.timeouts.answer, outgoing.send()).await {
            Err(_) => return self.gateway_timeout(),
            Ok(Err(error)) if error.is_timeout() => return self.gateway_timeout(),
            Ok(Err(error)) => {
                return bad_gateway(format!(
                    "could not reach the upstream {}: {}",
                    self.upstream,
                    describe(&error)
                ))
            }
            Ok(Ok(answer)) => answer,
        };
        if answer.status().is_redirection() {
            return bad_gateway(format!(
                "the upstream {} answered with a redirect ({}), which the proxy does not follow",
                self.upstream,
                answer.status().as_u16()
            ));
        }
        let mut response = Response::builder().status(answer.status().as_u16());
        if let Some(headers) = response.headers_mut() {
            for name in RETURNED_RESPONSE_HEADERS {
                if let Some(value) = answer.headers().get(&name) {
                    headers.insert(name, value.clone());
                }
            }
            let content_type = answer.headers().get(header::CONTENT_TYPE);
            headers.insert(header::CONTENT_TYPE, returned_content_type(content_type));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        let body = Body::from_stream(until(deadline, answer.bytes_stream()));
        response
            .body(body)
            .unwrap_or_else(|_| ApiError::internal("bad upstream answer").into_response())
    }

    fn gateway_timeout(&self) -> Response {
        ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "gateway_timeout",
            format!(
                "the upstream {} did not answer within {} ms",
                self.upstream,
                self.timeouts.answer.as_millis()
            ),
        )
        .into_response()
    }
}

/// The `Content-Type` passed back: `application/json`, `text/csv` or `text/plain` (with
/// `charset=utf-8` if the upstream said so; with `nosniff` and the sandbox CSP, plain text never
/// renders as anything else), anything else (or none) `application/octet-stream`, which a browser
/// neither renders nor runs on the origin that holds the key.
fn returned_content_type(upstream: Option<&HeaderValue>) -> HeaderValue {
    let text = upstream
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut parts = text.split(';').map(str::trim);
    let media = parts.next().unwrap_or("");
    let utf8 = parts.any(|p| p.replace(' ', "") == "charset=utf-8");
    match (media, utf8) {
        ("application/json", false) => HeaderValue::from_static("application/json"),
        ("application/json", true) => HeaderValue::from_static("application/json; charset=utf-8"),
        ("text/csv", false) => HeaderValue::from_static("text/csv"),
        ("text/csv", true) => HeaderValue::from_static("text/csv; charset=utf-8"),
        ("text/plain", false) => HeaderValue::from_static("text/plain"),
        ("text/plain", true) => HeaderValue::from_static("text/plain; charset=utf-8"),
        _ => HeaderValue::from_static("application/octet-stream"),
    }
}

/// The upstream's body, cut off (as a dropped connection) if it is still streaming at
/// `deadline`.
fn until(
    deadline: Instant,
    body: impl Stream<Item = reqwest::Result<Bytes>> + Send + Unpin + 'static,
) -> impl Stream<Item = io::Result<Bytes>> + Send + 'static {
    stream::unfold(Some(body), move |body| async move {
        let mut body = body?;
        match tokio::time::timeout_at(deadline, body.next()).await {
            Ok(Some(Ok(bytes))) => Some((Ok(bytes), Some(body))),
            Ok(Some(Err(error))) => Some((Err(io::Error::other(error)), None)),
            Ok(None) => None,
            Err(_) => Some((
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the upstream's answer took longer than --upstream-total-timeout-ms",
                )),
                None,
            )),
        }
    })
}

fn bad_gateway(message: String) -> Response {
    ApiError::new(StatusCode::BAD_GATEWAY, "bad_gateway", message).into_response()
}

/// The causes of a client error, without its URL (`tcp connect error: Connection refused`),
/// redacted in case anything key-like appears.
fn describe(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !causes.contains(&text) {
            causes.push(text);
        }
        source = cause.source();
    }
    if causes.is_empty() {
        causes.push("request failed".to_owned());
    }
    redact(&causes.join(": ")).into_owned()
}

/// The upstream path of a documented call, or `None` for anything else under [`PREFIX`].
///
/// The raw (still percent-encoded) path is matched, so `%2F`, `%2E` and friends never match.
pub fn documented_path<'a>(method: &Method, uri: &'a Uri) -> Option<&'a str> {
    if uri.query().is_some() {
        return None;
    }
    let path = uri.path().strip_prefix(PREFIX)?;
    let documented = match *method {
        Method::GET => {
            path == "/user"
                || path
                    .strip_prefix("/file/link/")
                    .is_some_and(access_creator_api::is_reference_id)
                || is_user_pools(path)
                || is_public(path)
        }
        Method::POST => matches!(path, "/file/emails" | "/file/supporters" | "/file/rewards"),
        _ => false,
    };
    documented.then_some(path)
}

/// Whether `path` is a documented public call (its documented example sends no key).
pub fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/pools"
            | "/pools/featured"
            | "/pools/user_count"
            | "/pools/locked"
            | "/pools/rewards"
            | "/token/supply/total"
            | "/token/supply/circulating"
    ) || path.strip_prefix("/pool/").is_some_and(is_address)
        || path.strip_prefix("/stats/").is_some_and(|kind| {
            (1..=64).contains(&kind.len())
                && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
}

/// `/user/{address}/pools` and `/user/{address}/pools/forever`.
fn is_user_pools(path: &str) -> bool {
    path.strip_prefix("/user/")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(address, tail)| {
            is_address(address) && matches!(tail, "pools" | "pools/forever")
        })
}

/// Whether `headers` come from a page on another origin (or site) than the demo page.
fn from_another_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let cross = matches!(
        text(header::HeaderName::from_static("sec-fetch-site")),
        Some(site) if site != "same-origin" && site != "none"
    );
    let foreign_origin = match (headers.get(header::ORIGIN), text(header::HOST)) {
        (None, _) => false,
        (Some(origin), Some(host)) => origin.as_bytes() != format!("http://{host}").as_bytes(),
        (Some(_), None) => true,
    };
    cross || foreign_origin
}

/// Handler of everything under [`PREFIX`] on the demo origin in proxy mode.
async fn handle(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    if from_another_origin(request.headers()) {
        proxy.requests.refused();
        return ApiError::forbidden("the proxy answers only the demo page itself (same origin)")
            .into_response();
    }
    let Some(path) = documented_path(request.method(), request.uri()).map(str::to_owned) else {
        proxy.requests.refused();
        return ApiError::not_found(
            "the proxy forwards only the documented calls (GET /user, POST \
             /file/{emails,supporters,rewards}, GET /file/link/{id}, GET \
             /user/{address}/pools[/forever], and the public GET /pools..., /pool/{address}, \
             /token/supply/..., /stats/{kind})",
        )
        .into_response();
    };
    proxy.requests.forwarded(request.method(), &path);
    proxy.forward(request, &path).await
}

/// Handler of everything under [`PREFIX`] on the demo origin when proxy mode is off.
async fn off() -> ApiError {
    ApiError::not_found(
        "proxy mode is off: start the sandbox with --upstream <URL> to forward API calls",
    )
}

/// The proxy's counters since start. Only documented calls are forwarded, counted by
/// [`route_key`] (an address left out), so the routes are few.
#[derive(Default)]
pub struct ProxyRequests {
    forwarded: Mutex<BTreeMap<String, u64>>,
    refused: AtomicU64,
}

/// What `GET /__sandbox/proxy-requests` answers.
#[derive(Debug, Serialize)]
struct ProxyCounts {
    /// Requests forwarded upstream, by `"METHOD path"` of the upstream path (`"GET /user"`,
    /// `"POST /file/emails"`, `"GET /file/link"`).
    forwarded: BTreeMap<String, u64>,
    /// Requests under `/upstream` that went nowhere: undocumented calls (404) and calls from
    /// another origin (403).
    refused: u64,
}

impl ProxyRequests {
    /// The control route that answers the counts, to merge into the demo origin's control
    /// routes.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/__sandbox/proxy-requests", get(counts))
            .with_state(self.clone())
    }

    /// Counts a request forwarded to the upstream `path`.
    fn forwarded(&self, method: &Method, path: &str) {
        let mut forwarded = self
            .forwarded
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *forwarded.entry(route_key(method, path)).or_default() += 1;
    }

    /// Counts a refused request.
    fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }
}

/// `GET /__sandbox/proxy-requests`.
async fn counts(State(requests): State<Arc<ProxyRequests>>) -> Json<ProxyCounts> {
    Json(ProxyCounts {
        forwarded: requests
            .forwarded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone(),
        refused: requests.refused.load(Ordering::Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_documented_calls_are_forwarded() {
        let path = |method: Method, uri: &str| {
            documented_path(&method, &uri.parse::<Uri>().unwrap()).map(str::to_owned)
        };
        assert_eq!(
            path(Method::GET, "/upstream/user").as_deref(),
            Some("/user")
        );
        for kind in ["emails", "supporters", "rewards"] {
            let expected = format!("/file/{kind}");
            assert_eq!(
                path(Method::POST, &format!("/upstream/file/{kind}")),
                Some(expected)
            );
        }
        assert_eq!(
            path(
                Method::GET,
                "/upstream/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be"
            )
            .as_deref(),
            Some("/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be")
        );
        for (method, uri) in [
            (Method::POST, "/upstream/user"),
            (Method::HEAD, "/upstream/user"),
            (Method::OPTIONS, "/upstream/user"),
            (Method::DELETE, "/upstream/user"),
            (Method::GET, "/upstream/user/"),
            (Method::GET, "/upstream/user?x=1"),
            (Method::GET, "/upstream/user?"),
            (Method::GET, "/upstream/users"),
            (Method::GET, "/upstream//user"),
            (Method::GET, "/upstream/%75ser"),
            (Method::GET, "/upstream"),
            (Method::GET, "/upstream/"),
            (Method::GET, "/upstreamuser"),
            (Method::GET, "/user"),
            (Method::GET, "/upstream/file/emails"),
            (Method::POST, "/upstream/file/other"),
            (Method::POST, "/upstream/file/emails/"),
            (Method::POST, "/upstream/file/link/x"),
            (Method::GET, "/upstream/file/link/"),
            (Method::GET, "/upstream/file/link/a/b"),
            (Method::GET, "/upstream/file/link/a%2Fb"),
            (Method::GET, "/upstream/file/link/.."),
            (Method::GET, "/upstream/file/link/../../user"),
            (Method::GET, "/upstream/file/link/%2e%2e"),
            (Method::GET, "/upstream/__sandbox/sessions/x"),
        ] {
            assert_eq!(path(method.clone(), uri), None, "{method} {uri}");
        }
        let creator_pool = "Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f";
        let wallet = "AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv";
        for (forwarded, public) in [
            ("/pools".to_owned(), true),
            ("/pools/featured".to_owned(), true),
            ("/pools/user_count".to_owned(), true),
            ("/pools/locked".to_owned(), true),
            ("/pools/rewards".to_owned(), true),
            (format!("/pool/{creator_pool}"), true),
            ("/token/supply/total".to_owned(), true),
            ("/token/supply/circulating".to_owned(), true),
            ("/stats/postitive_stake".to_owned(), true),
            ("/stats/some_new_kind".to_owned(), true),
            (format!("/user/{wallet}/pools"), false),
            (format!("/user/{wallet}/pools/forever"), false),
        ] {
            let uri = format!("/upstream{forwarded}");
            assert_eq!(path(Method::GET, &uri), Some(forwarded.clone()));
            assert_eq!(path(Method::POST, &uri), None);
            assert_eq!(is_public(&forwarded), public, "{forwarded}");
        }
        for uri in [
            "/upstream/pools/",
            "/upstream/pools/other",
            "/upstream/pools?limit=1",
            "/upstream/pool/",
            "/upstream/pool/short",
            "/upstream/pool/Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f/x",
            "/upstream/pool/0orqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f",
            "/upstream/pool/..%2Fuser",
            "/upstream/token/supply/other",
            "/upstream/stats/",
            "/upstream/stats/Active",
            "/upstream/stats/a/b",
            "/upstream/stats/%2e%2e",
            "/upstream/user/x/pools",
            "/upstream/user/AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv/pools/other",
            "/upstream/user/AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv/",
        ] {
            assert_eq!(path(Method::GET, uri), None, "{uri}");
        }

        let longest = "a".repeat(access_creator_api::MAX_REFERENCE_ID_LEN);
        let longest = format!("/upstream/file/link/{longest}");
        assert_eq!(
            path(Method::GET, &longest).as_deref(),
            longest.strip_prefix("/upstream")
        );
        let long = format!(
            "/upstream/file/link/{}",
            "a".repeat(access_creator_api::MAX_REFERENCE_ID_LEN + 1)
        );
        assert_eq!(path(Method::GET, &long), None);
    }
}
