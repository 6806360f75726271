//! `GET /__sandbox/sessions/{id}`: what a test session's requests were.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;

use crate::error::ApiError;
use crate::state::{Report, Shared};

/// `GET /__sandbox/sessions/{id}`.
pub async fn report(
    State(sandbox): State<Shared>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Report>, ApiError> {
    id.ok()
        .and_then(|Path(id)| sandbox.sessions.report(&id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such test session"))
}
