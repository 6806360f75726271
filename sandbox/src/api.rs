//! The API origin: the documented endpoints, the pool images and (with `--test-control`) the
//! control endpoints.
//!
//! | route | answer |
//! |---|---|
//! | `GET /user` | the key owner's record ([`crate::accounts::UserRecord`]) |
//! | `POST /file/{emails,supporters,rewards}` | a JSON string: the export's reference id |
//! | `GET /file/link/{id}` | 404 until ready, then the CSV (`text/csv; charset=utf-8`) |
//! | `GET /images/{logo,hero,profile}.svg` | the creator pool's images |
//!
//! Everything else is `404 {"error":"not_found",...}`, a known path with another method `405`.

use std::convert::Infallible;

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream;

use crate::accounts::UserRecord;
use crate::auth::identify;
use crate::csv::DEFAULT_ROWS;
use crate::error::{self, ApiError};
use crate::exports::{ExportKind, Lookup};
use crate::state::Shared;
use crate::{control, cors, faults, images};

/// The API origin's router. Layers, innermost first: routes → fault injection (API routes
/// only) → CORS (everything) → preflight counter.
pub fn router(sandbox: Shared) -> Router {
    let api = Router::new()
        .route("/user", get(user))
        .route("/file/{kind}", post(request_export))
        .route("/file/link/{id}", get(export_link))
        .route("/images/{name}", get(images::serve))
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::not_found)
        .layer(from_fn_with_state(sandbox.clone(), faults::inject));
    let api = if sandbox.test_control {
        api.merge(control::router())
    } else {
        api
    };
    api.layer(cors::layer())
        .layer(from_fn_with_state(sandbox.clone(), cors::count_preflights))
        .with_state(sandbox)
}

/// `GET /user`: the key owner's record.
async fn user(
    State(sandbox): State<Shared>,
    headers: HeaderMap,
) -> Result<Json<UserRecord>, ApiError> {
    let identity = identify(&headers, &sandbox.sessions)?;
    Ok(Json(identity.account.record(&sandbox.api_origin)))
}

/// `POST /file/{kind}`: starts an export; answers its reference id as a JSON string.
async fn request_export(
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
    let identity = identify(&headers, &sandbox.sessions)?;
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
async fn export_link(
    State(sandbox): State<Shared>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let identity = identify(&headers, &sandbox.sessions)?;
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
