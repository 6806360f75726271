//! `GET /__sandbox/landing?session=<id>` on the demo origin: where the `redirect` fault sends
//! a client.

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{self, HeaderMap};
use axum::Json;
use serde::{Deserialize, Serialize};

use super::sessions::Sessions;

#[derive(Deserialize)]
pub struct LandingQuery {
    session: Option<String>,
}

#[derive(Serialize)]
pub struct LandingBody {
    landed: bool,
    /// Whether the visit was counted for a known session.
    recorded: bool,
    /// Whether the request carried an `Authorization` header (its value is never echoed).
    authorization_received: bool,
}

/// `GET /__sandbox/landing?session=<id>`: the target of the `redirect` fault. Counts the visit
/// for the session and whether it carried an `Authorization` header (a key that leaked across
/// the cross-origin redirect).
pub async fn landing(
    State(sessions): State<Arc<Sessions>>,
    query: Result<Query<LandingQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Json<LandingBody> {
    let authorization_received = headers.contains_key(header::AUTHORIZATION);
    let recorded = query
        .ok()
        .and_then(|Query(q)| q.session)
        .is_some_and(|id| sessions.on_landing(&id, authorization_received));
    Json(LandingBody {
        landed: true,
        recorded,
        authorization_received,
    })
}
