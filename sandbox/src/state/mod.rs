//! What both origins share, as plain data: their addresses and settings, the demo keys, the
//! requested exports, the test sessions and the CSP reports. Handlers receive it as [`Shared`].
//!
//! Nothing here serves HTTP: this module depends on no origin ([`crate::api`], [`crate::demo`])
//! nor on the test control surface ([`crate::control`]); they all depend on it.

mod csp_reports;
mod exports;
mod faults;
mod pkg_delay;
mod proxy_requests;
mod sessions;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

pub use csp_reports::CspReports;
pub use exports::{ExportStore, Lookup};
pub use faults::{BodyFault, Fault, MAX_TEXT_BYTES, TRICKLE_CHUNK_BYTES};
pub use pkg_delay::PkgDelay;
pub use proxy_requests::{ProxyCounts, ProxyRequests};
pub use sessions::{
    route_key, BodyReport, Overrides, QueueError, Report, Sessions, MAX_PENDING_FAULTS,
};

use crate::accounts::Account;
use crate::keys;
use crate::origins::Upstream;

/// The state handlers receive.
pub type Shared = Arc<Sandbox>;

/// Where the demo origin serves the proxy's forwarded calls: `{demo origin}/upstream/user`, ...
pub const PROXY_PREFIX: &str = "/upstream";

/// One running sandbox.
pub struct Sandbox {
    /// `http://<ip>:<port>` of the API origin, as clients reach it.
    pub api_origin: String,
    /// `http://<ip>:<port>` of the demo origin, unless `--no-demo`.
    pub demo_origin: Option<String>,
    /// `--export-delay-ms`: how long an export takes to become ready.
    pub export_delay: Duration,
    /// `--test-control`: whether the `/__sandbox/*` endpoints exist.
    pub test_control: bool,
    /// The fixed demo key of every account.
    pub demo_keys: Vec<DemoKey>,
    /// Requested CSV exports.
    pub exports: ExportStore,
    /// Test sessions (only used with `--test-control`).
    pub sessions: Sessions,
    /// `--upstream`: the API the demo origin forwards to in proxy mode, if on.
    pub upstream: Option<Upstream>,
    /// `--connect-src`: more origins the demo page may fetch from.
    pub connect_src: Vec<String>,
    /// CSP violation reports of the demo page (only received with `--test-control`).
    pub csp_reports: CspReports,
    /// What the proxy forwarded and refused.
    pub proxy_requests: ProxyRequests,
    /// A delay of `/pkg/` answers set by a test (only with `--test-control`).
    pub pkg_delay: PkgDelay,
}

/// A demo key as listed in `/sandbox.json`.
#[derive(Debug, Clone, Serialize)]
pub struct DemoKey {
    /// `"creator"`, `"user"` or `"hostile"`.
    pub account: Account,
    /// A label for the demo page.
    pub label: &'static str,
    /// The key (a JWT).
    pub key: String,
}

impl Sandbox {
    /// A sandbox whose origins are `api_origin` and `demo_origin`.
    ///
    /// # Errors
    ///
    /// Only if signing the demo keys fails.
    pub fn new(
        api_origin: String,
        demo_origin: Option<String>,
        export_delay: Duration,
        test_control: bool,
    ) -> jsonwebtoken::errors::Result<Self> {
        let demo_keys = Account::ALL
            .into_iter()
            .map(|account| {
                Ok(DemoKey {
                    account,
                    label: account.label(),
                    key: keys::demo_key(account)?,
                })
            })
            .collect::<jsonwebtoken::errors::Result<_>>()?;
        Ok(Sandbox {
            api_origin,
            demo_origin,
            export_delay,
            test_control,
            demo_keys,
            exports: ExportStore::default(),
            sessions: Sessions::default(),
            upstream: None,
            connect_src: Vec::new(),
            csp_reports: CspReports::default(),
            proxy_requests: ProxyRequests::default(),
            pkg_delay: PkgDelay::default(),
        })
    }

    /// `{demo origin}/upstream` in proxy mode (and with the demo origin served), else `None`.
    pub fn proxy_base_url(&self) -> Option<String> {
        self.upstream.as_ref()?;
        let demo = self.demo_origin.as_ref()?;
        Some(format!("{demo}{PROXY_PREFIX}"))
    }
}
