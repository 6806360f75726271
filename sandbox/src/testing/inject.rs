//! Test control's layer around the stand-in: it sees every request of the API origin's routes
//! after the key was verified ([`crate::api::identity`]) and before a route answers.
//!
//! For a request whose key was minted for a test session, or that came through a session base
//! URL ([`super::prefix`], with or without a key), it counts the request for the session and,
//! when a queued [`Fault`] matches, answers as the fault says ([`apply`]), the real answer (the
//! route's) being one possibility. A key whose session this sandbox does not know (it was
//! restarted, the session was forgotten, or test control is off) is refused: the layer replaces
//! the request's [`Authentication`] with a 401, which a route that needs a key answers.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::bodies::{self, with_content_type};
use super::faults::{Answer, Fault};
use super::prefix::SessionPrefix;
use super::sessions::route_key;
use super::Testing;
use crate::api::Authentication;
use crate::cors;
use crate::error::ApiError;

/// Middleware around the stand-in's routes.
pub async fn layer(State(testing): State<Testing>, mut request: Request, next: Next) -> Response {
    let key_session = match request.extensions().get::<Authentication>() {
        Some(Authentication(Ok(identity))) => identity.session.clone(),
        _ => None,
    };
    let prefix = request
        .extensions()
        .get::<SessionPrefix>()
        .map(|SessionPrefix(session)| session.clone());
    let session = match (prefix, key_session) {
        (Some(prefix), key_session) => {
            // The prefix's session counts the request; a key of a forgotten session is still
            // refused.
            if key_session.is_some_and(|s| s != prefix && !testing.sessions.exists(&s)) {
                refuse_key(&mut request);
            }
            prefix
        }
        (None, Some(key_session)) => key_session,
        (None, None) => return next.run(request).await,
    };
    let taken = testing.sessions.on_request(
        &session,
        request.method(),
        request.uri().path(),
        request.headers(),
    );
    match taken {
        Ok(Some(fault)) => {
            let route = route_key(request.method(), request.uri().path());
            apply(&testing, &session, route, fault, request, next).await
        }
        Ok(None) => next.run(request).await,
        Err(_) => {
            refuse_key(&mut request);
            next.run(request).await
        }
    }
}

/// Replaces the request's [`Authentication`] with a 401: its key names a session this sandbox
/// does not know.
fn refuse_key(request: &mut Request) {
    request
        .extensions_mut()
        .insert(Authentication(Err(ApiError::unauthorized(
            "the key was minted for a test session this sandbox does not know (it was \
             restarted?)",
        ))));
}

/// The answer `fault` makes of `request`: after its delay, its answer, with its `Retry-After`
/// and headers (which the CORS layer then exposes).
async fn apply(
    testing: &Testing,
    session: &str,
    route: String,
    fault: Fault,
    request: Request,
    next: Next,
) -> Response {
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    // Where a streamed body reports what it wrote.
    let watch = || bodies::Watch::new(testing, session, route);
    let mut response = match fault.answer {
        Answer::Real { trickle } => trickled(next.run(request).await, trickle).await,
        Answer::Status { status, trickle } => trickled(status_answer(status), trickle).await,
        Answer::Text {
            status,
            content_type,
            text,
            trickle,
        } => trickled(with_content_type(status, content_type, text), trickle).await,
        Answer::EchoAuthorization {
            status,
            content_type,
            trickle,
        } => {
            let answer = echo_authorization(status, content_type, request.headers());
            trickled(answer, trickle).await
        }
        Answer::Redirect { status } => redirect_to_landing(testing, session, status),
        Answer::Truncated {
            status,
            announce_length,
        } => bodies::truncated(next.run(request).await, status, announce_length).await,
        Answer::Malformed { status } => bodies::malformed(status),
        Answer::Html { status } => bodies::html(status),
        Answer::Oversized {
            status,
            bytes,
            announce_length,
        } => bodies::oversized(status, bytes, announce_length, watch()),
        Answer::Abort {
            status,
            announce_length,
        } => bodies::abort(status, announce_length),
        Answer::InvalidUtf8 {
            status,
            content_type,
        } => bodies::invalid_utf8(status, content_type),
        Answer::Gzip {
            status,
            bytes,
            bomb,
            announce_length,
        } => bodies::gzip(status, bytes, bomb, announce_length, watch()),
    };
    let headers = response.headers_mut();
    if let Some(value) = fault.retry_after {
        headers.insert(header::RETRY_AFTER, value);
    }
    if !fault.headers.is_empty() {
        let names = fault.headers.iter().map(|(name, _)| name.clone()).collect();
        for (name, value) in fault.headers {
            headers.insert(name, value);
        }
        response.extensions_mut().insert(cors::Expose(names));
    }
    response
}

async fn trickled(response: Response, every: Option<Duration>) -> Response {
    match every {
        Some(every) => bodies::trickle(response, every).await,
        None => response,
    }
}

/// `{"error", "message"}` with `status`; a `304` has no body at all (HTTP allows none).
fn status_answer(status: StatusCode) -> Response {
    if status == StatusCode::NOT_MODIFIED {
        status.into_response()
    } else {
        ApiError::for_status(status).into_response()
    }
}

/// An error answer whose body holds the request's `Authorization` header value.
fn echo_authorization(
    status: StatusCode,
    content_type: HeaderValue,
    headers: &HeaderMap,
) -> Response {
    let received = headers
        .get(header::AUTHORIZATION)
        .map_or("(none)".into(), |v| String::from_utf8_lossy(v.as_bytes()));
    let error = ApiError::for_status(status);
    let message = format!(
        "{}; the request's Authorization header was: {received}",
        error.message()
    );
    let body = if content_type.as_bytes().starts_with(b"text/plain") {
        message
    } else {
        serde_json::json!({ "error": error.code(), "message": message }).to_string()
    };
    with_content_type(status, content_type, body)
}

fn redirect_to_landing(testing: &Testing, session: &str, status: StatusCode) -> Response {
    let Some(demo) = &testing.demo_origin else {
        return ApiError::internal("the redirect fault needs the demo origin").into_response();
    };
    let location = format!("{demo}/__sandbox/landing?session={session}");
    match HeaderValue::from_str(&location) {
        Ok(location) => (status, [(header::LOCATION, location)]).into_response(),
        Err(_) => ApiError::internal("could not build the redirect").into_response(),
    }
}
