//! CSP violation reports of the demo page (`--test-control` only; otherwise these paths are
//! 404 and the CSP names no report URI).
//!
//! The demo origin's CSP then ends with `report-uri /__sandbox/csp-reports`, and:
//!
//! - `POST /__sandbox/csp-reports` with `Content-Type: application/csp-report` (what browsers
//!   send for `report-uri`), `application/reports+json` (the Reporting API) or
//!   `application/json`, and a JSON body of at most 64 KiB → `204`; the body is kept as is.
//!   Another content type is `415`, a bigger body `413`, a body that is not JSON `400`.
//! - `GET /__sandbox/csp-reports` → `{"reports": [<body>, ...]}`, oldest first.
//! - `DELETE /__sandbox/csp-reports` → `{"cleared": <n>}`, and the list is empty again.
//!
//! At most [`MAX_REPORTS`] are kept (later ones are dropped), so a page stuck in a loop of
//! violations cannot grow memory without bound.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;

use crate::error::{self, ApiError};

/// Where reports go, on the demo origin.
pub const PATH: &str = "/__sandbox/csp-reports";

/// Largest report body accepted: 64 KiB.
const MAX_REPORT_BYTES: usize = 64 * 1024;

/// Most reports kept.
const MAX_REPORTS: usize = 1000;

/// The content types a report may have.
const REPORT_CONTENT_TYPES: [&str; 3] = [
    "application/csp-report",
    "application/reports+json",
    "application/json",
];

/// The received reports, oldest first.
#[derive(Default)]
struct CspReports {
    reports: Mutex<Vec<Value>>,
}

/// The report routes, each with its own content types: a router to merge into the demo
/// origin's.
pub fn router() -> Router {
    Router::new()
        .route(PATH, get(list).post(receive).delete(clear))
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(Arc::new(CspReports::default()))
}

#[derive(Serialize)]
struct ReportList {
    reports: Vec<Value>,
}

#[derive(Serialize)]
struct Cleared {
    cleared: usize,
}

/// `POST /__sandbox/csp-reports`.
async fn receive(
    State(reports): State<Arc<CspReports>>,
    request: Request,
) -> Result<StatusCode, ApiError> {
    let media_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !REPORT_CONTENT_TYPES.contains(&media_type.as_str()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "a CSP report is application/csp-report or application/reports+json",
        ));
    }
    let body = to_bytes(request.into_body(), MAX_REPORT_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "a CSP report may be at most 64 KiB",
            )
        })?;
    let report: Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::bad_request("a CSP report must be JSON"))?;
    let mut kept = reports.lock();
    if kept.len() < MAX_REPORTS {
        kept.push(report);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /__sandbox/csp-reports`.
async fn list(State(reports): State<Arc<CspReports>>) -> Json<ReportList> {
    Json(ReportList {
        reports: reports.lock().clone(),
    })
}

/// `DELETE /__sandbox/csp-reports`.
async fn clear(State(reports): State<Arc<CspReports>>) -> Json<Cleared> {
    let mut kept = reports.lock();
    let cleared = kept.len();
    kept.clear();
    Json(Cleared { cleared })
}

impl CspReports {
    fn lock(&self) -> MutexGuard<'_, Vec<Value>> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
