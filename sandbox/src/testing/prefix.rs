//! The session base URL: `/__sandbox/s/{session}/...` on the API origin.
//!
//! Faults and request counts belong to a test session, and a request names its session by its
//! key (the key's `sid` claim). A request without a key (a public endpoint, a keyless client)
//! names it by its path instead: a client whose base URL is
//! `http://127.0.0.1:8081/__sandbox/s/<session>` sends `GET /__sandbox/s/<session>/pools`, which
//! is answered as `GET /pools` (by the whole API origin: key, CORS, test control, the stand-in)
//! with that session's faults and counted for it, with or without a key. The session named in
//! the path wins over the key's own: a test-session key used under another session's prefix is
//! counted for the prefix's session (and still refused if its own session is gone). An unknown
//! session is `404 {"error":"not_found",...}`, with the API's CORS headers.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use tower::ServiceExt as _;

use super::Sessions;
use crate::cors;
use crate::error::ApiError;

/// Where the session base URLs start.
pub const PREFIX: &str = "/__sandbox/s/";

/// The session named by a request's path prefix, put in the request for test control's layer.
#[derive(Debug, Clone)]
pub struct SessionPrefix(pub String);

#[derive(Clone)]
struct Prefixed {
    sessions: Arc<Sessions>,
    /// The API origin's router (with its layers), which answers the unprefixed request.
    api: Router,
    /// Answers for an unknown session.
    unknown: Router,
}

/// The route of the session base URLs: every method and path under [`PREFIX`], answered by `api`.
pub fn router(sessions: Arc<Sessions>, api: Router) -> Router {
    let unknown = cors::any_page(Router::new().fallback(no_such_session));
    Router::new()
        .route(&format!("{PREFIX}{{*rest}}"), any(handle))
        .with_state(Prefixed {
            sessions,
            api,
            unknown,
        })
}

async fn handle(State(prefixed): State<Prefixed>, request: Request) -> Response {
    let path = request.uri().path();
    let rest = path.strip_prefix(PREFIX).unwrap_or_default();
    let (session, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, "/"),
    };
    if !prefixed.sessions.exists(session) {
        return answer(prefixed.unknown.oneshot(request).await);
    }
    let uri = match request.uri().query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let Ok(uri) = uri.parse::<Uri>() else {
        return ApiError::bad_request("not a path").into_response();
    };
    // A fresh request: the extensions of this router's routing (its path parameter) must not
    // reach the API's routes.
    let session = SessionPrefix(session.to_owned());
    let (parts, body) = request.into_parts();
    let mut unprefixed = Request::new(body);
    *unprefixed.method_mut() = parts.method;
    *unprefixed.uri_mut() = uri;
    *unprefixed.version_mut() = parts.version;
    *unprefixed.headers_mut() = parts.headers;
    unprefixed.extensions_mut().insert(session);
    answer(prefixed.api.oneshot(unprefixed).await)
}

fn answer(result: Result<Response, Infallible>) -> Response {
    match result {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

async fn no_such_session() -> ApiError {
    ApiError::not_found("no such test session")
}
