//! `GET /sandbox.json`: what the demo page needs to default to the sandbox.

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::state::{DemoKey, Shared};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxInfo {
    api_base_url: String,
    demo_keys: Vec<DemoKey>,
    /// `{demo origin}/upstream` in proxy mode, else `null`.
    proxy_base_url: Option<String>,
    /// The `--upstream` the proxy forwards to, else `null`.
    upstream: Option<String>,
}

/// `GET /sandbox.json`: where the sandbox API is and its demo keys, so the page can default to
/// it, and the proxy's base URL and upstream in proxy mode.
pub async fn sandbox_json(State(sandbox): State<Shared>) -> Json<SandboxInfo> {
    Json(SandboxInfo {
        api_base_url: sandbox.api_origin.clone(),
        demo_keys: sandbox.demo_keys.clone(),
        proxy_base_url: sandbox.proxy_base_url(),
        upstream: sandbox.upstream.as_ref().map(ToString::to_string),
    })
}
