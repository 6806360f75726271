//! A typed client for the [Access Protocol](https://accessprotocol.co) creator API, for Rust web
//! apps and, compiled to WebAssembly, for JavaScript (`new AccessClient(apiKey).getUser()`).
//!
//! ```no_run
//! # async fn run() -> Result<(), access_creator_api::Error> {
//! use access_creator_api::{Client, ExportKind};
//!
//! let client = Client::new("eyJhbGciOi...")?;
//! let user = client.user().await?;
//! let csv = client.export_csv(ExportKind::Supporters).await?;
//! # Ok(()) }
//! ```
//!
//! The API key never expires, so it is treated as a secret: no error message, `Debug` output,
//! panic or log line contains it. The HTTP calls use the runtime's global `fetch`, so the
//! client runs on `wasm32-unknown-unknown` in a page, a Web Worker or Node ≥ 18; the types, key
//! handling and checks also build natively.

#![warn(missing_docs)]

mod allocator;
mod calls;
mod client;
mod convert;
mod engine;
mod error;
mod fetch;
mod js;
mod key;
mod model;
mod options;
mod records;
mod retry;
mod scope;
mod text;

pub use calls::{
    CallFuture, DownloadExport, DownloadExportBlob, ExportCsv, ExportCsvBlob, Get, GetUser,
    RequestExport,
};
pub use client::{Client, ClientBuilder};
pub use error::{Error, ErrorKind};
pub use js::{decode_api_key, parse_user, AccessClient};
pub use key::{ApiKey, DecodedKey, IntoApiKey};
pub use model::{is_reference_id, ExportKind, OwnedPool, User, MAX_REFERENCE_ID_LEN};
pub use options::{
    is_loopback_host, ExportPhase, ExportProgress, DEFAULT_BASE_URL, DEFAULT_EXPORT_TIMEOUT,
    DEFAULT_MAX_CSV_BYTES, DEFAULT_MAX_RETRIES, DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT,
    MAX_CSV_BYTES_LIMIT,
};
pub use records::{
    is_address, EmailSubscription, FeaturedPool, Pool, PoolDetails, PoolRewards, Stats, Supply,
    STATS_KINDS,
};

/// The README's Rust examples, compiled (and type-checked) as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExamples;
