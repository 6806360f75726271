//! `GET /__sandbox/closed-port` → `{"port": N}`: a loopback port nothing listens on, for a test
//! of a refused connection on an ordinary port (browsers refuse some ports, such as 9, without
//! trying to connect).
//!
//! The sandbox binds `127.0.0.1:0`, notes the port the system picked and closes the listener.
//! Another process could take the port before the test uses it; on a test machine that is
//! unlikely, and the test then sees a connection instead of a refusal (it fails, it does not
//! pass wrongly).

use axum::Json;
use serde::Serialize;
use tokio::net::TcpListener;

use crate::error::ApiError;

/// The answer.
#[derive(Serialize)]
pub struct ClosedPort {
    port: u16,
}

/// `GET /__sandbox/closed-port`.
pub async fn closed_port() -> Result<Json<ClosedPort>, ApiError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|_| ApiError::internal("could not bind a loopback port"))?;
    let port = listener
        .local_addr()
        .map_err(|_| ApiError::internal("could not read the bound port"))?
        .port();
    drop(listener);
    Ok(Json(ClosedPort { port }))
}
