//! The documented endpoints: `GET /user`, `POST /file/{kind}`, `GET /file/link/{id}`.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream;

use crate::accounts::UserRecord;
use crate::csv::{ExportKind, DEFAULT_ROWS};
use crate::error::ApiError;
use crate::keys::{self, Identity};
use crate::state::{Lookup, Shared};

/// Authenticates a request from its key; a test-session key also needs its session to exist.
fn identify(sandbox: &Shared, headers: &HeaderMap) -> Result<Identity, ApiError> {
    let identity = keys::identify(headers)?;
    if let Some(session) = &identity.session {
        if !sandbox.sessions.exists(session) {
            return Err(ApiError::unauthorized(
                "the key was minted for a test session this sandbox does not know (it was restarted?)",
            ));
        }
    }
    Ok(identity)
}

/// `GET /user`: the key owner's record.
pub async fn user(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
) -> Result<Json<UserRecord>, ApiError> {
    let identity = identify(&sandbox, &headers)?;
    Ok(Json(identity.account.record(&sandbox.api_origin)))
}

/// `POST /file/{kind}`: starts an export; answers its reference id as a JSON string.
pub async fn request_export(
    State(sandbox): State<Shared>,
    kind: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Json<String>, ApiError> {
    let kind = kind
        .ok()
        .and_then(|Path(kind)| ExportKind::from_path_segment(&kind))
        .ok_or_else(|| {
            ApiError::not_found("no such export; the exports are emails, supporters and rewards")
        })?;
    let identity = identify(&sandbox, &headers)?;
    if !identity.account.has_pool() {
        return Err(ApiError::forbidden("only pool owners can export"));
    }
    let overrides = identity
        .session
        .as_deref()
        .map(|id| sandbox.sessions.overrides(id))
        .unwrap_or_default();
    let id = sandbox.exports.create(
        identity.account,
        kind,
        overrides.export_delay.unwrap_or(sandbox.export_delay),
        overrides.csv_rows.unwrap_or(DEFAULT_ROWS),
    );
    Ok(Json(id.to_string()))
}

/// `GET /file/link/{id}`: the CSV once ready; the same 404 while preparing and for ids that do
/// not exist or belong to another account.
pub async fn export_link(
    State(sandbox): State<Shared>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let identity = identify(&sandbox, &headers)?;
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let Lookup::Ready {
        csv,
        content_length,
    } = sandbox.exports.lookup(identity.account, &id)
    else {
        return Err(ApiError::not_found(
            "no file with this reference id is ready: it is still being prepared, or does not exist",
        ));
    };
    let length = match content_length {
        Some(length) => length,
        None => {
            // Generating a large file to measure it takes a moment: keep it off the async workers.
            let length = tokio::task::spawn_blocking(move || csv.content_length())
                .await
                .map_err(|_| ApiError::internal("could not prepare the file"))?;
            sandbox.exports.set_content_length(&id, length);
            length
        }
    };
    let disposition = format!("attachment; filename=\"{}.csv\"", csv.kind.as_str());
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (header::CONTENT_LENGTH, HeaderValue::from(length)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|_| ApiError::internal("bad file name"))?,
        ),
    ];
    let body = Body::from_stream(stream::iter(csv.chunks().map(Ok::<_, Infallible>)));
    Ok((headers, body).into_response())
}
