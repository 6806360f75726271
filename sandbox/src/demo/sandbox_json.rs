//! `GET /sandbox.json`: what the demo page needs to default to the sandbox.

use axum::body::Bytes;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::keys::DemoKey;

/// The answer, fixed at start.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxInfo {
    /// The API origin.
    pub api_base_url: String,
    /// The demo keys, as the start lines list them.
    pub demo_keys: Vec<DemoKey>,
    /// `{demo origin}/upstream` in proxy mode, else `null`.
    pub proxy_base_url: Option<String>,
    /// The `--upstream` the proxy forwards to, else `null`.
    pub upstream: Option<String>,
}

/// `GET /sandbox.json`: where the sandbox API is and its demo keys, so the page can default to
/// it, and the proxy's base URL and upstream in proxy mode. Written once, at start.
///
/// # Errors
///
/// Only if the information cannot be serialized, which it can.
pub fn router(info: &SandboxInfo) -> serde_json::Result<Router> {
    let body = Bytes::from(serde_json::to_vec(info)?);
    let json = [(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    Ok(Router::new().route("/sandbox.json", get(move || async move { (json, body) })))
}
