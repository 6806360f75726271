//! `GET /user`: the key owner's record.

use axum::extract::State;
use axum::Json;

use super::ApiOrigin;
use crate::accounts::UserRecord;
use crate::keys::Identity;

/// `GET /user`.
pub async fn user(State(origin): State<ApiOrigin>, identity: Identity) -> Json<UserRecord> {
    Json(identity.account.record(&origin.0))
}
