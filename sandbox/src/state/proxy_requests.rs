//! What the demo origin's proxy forwarded and refused, for tests (with `--test-control`,
//! `GET /__sandbox/proxy-requests` on the demo origin shows it).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use axum::http::Method;
use serde::Serialize;

use super::sessions::route_key;

/// The proxy's counters since start. Only documented calls are forwarded, so there are at most
/// three routes.
#[derive(Default)]
pub struct ProxyRequests {
    forwarded: Mutex<BTreeMap<String, u64>>,
    refused: AtomicU64,
}

/// What `GET /__sandbox/proxy-requests` answers.
#[derive(Debug, Serialize)]
pub struct ProxyCounts {
    /// Requests forwarded upstream, by `"METHOD path"` of the upstream path (`"GET /user"`,
    /// `"POST /file/emails"`, `"GET /file/link"`).
    pub forwarded: BTreeMap<String, u64>,
    /// Requests under `/upstream` that went nowhere: undocumented calls (404) and calls from
    /// another origin (403).
    pub refused: u64,
}

impl ProxyRequests {
    /// Counts a request forwarded to the upstream `path`.
    pub fn forwarded(&self, method: &Method, path: &str) {
        let mut forwarded = self
            .forwarded
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *forwarded.entry(route_key(method, path)).or_default() += 1;
    }

    /// Counts a refused request.
    pub fn refused(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters.
    pub fn counts(&self) -> ProxyCounts {
        ProxyCounts {
            forwarded: self
                .forwarded
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
            refused: self.refused.load(Ordering::Relaxed),
        }
    }
}
