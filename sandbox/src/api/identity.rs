//! Who is calling: the request's key, verified once, before anything else of the API origin
//! looks at the request.
//!
//! [`authenticate`] verifies the `Authorization` header ([`crate::keys::identify`]) and puts the
//! outcome in the request as an [`Authentication`]. A route that needs a key takes an
//! [`Identity`] argument (or `Result<Identity, ApiError>`, to check something else first); the
//! documented public endpoints take none and answer whoever calls.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ApiError;
use crate::keys::{self, Identity};

/// The outcome of verifying a request's key: who it names, or the 401 to answer a route that
/// needs a key. What wraps the routes may replace it (test control does, for a key whose test
/// session is gone).
#[derive(Debug, Clone)]
pub struct Authentication(pub Result<Identity, ApiError>);

/// Middleware: verifies the request's key and puts the outcome in the request.
pub async fn authenticate(mut request: Request, next: Next) -> Response {
    let outcome = keys::identify(request.headers());
    request.extensions_mut().insert(Authentication(outcome));
    next.run(request).await
}

/// A route argument: the caller's identity, or the 401 answer.
impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        match parts.extensions.get::<Authentication>() {
            Some(Authentication(outcome)) => outcome.clone(),
            None => Err(ApiError::internal("the request was not authenticated")),
        }
    }
}
