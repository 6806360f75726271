//! The calls, as request builders: set what differs from the defaults, then `.await`.
//!
//! ```no_run
//! # async fn run(client: access_creator_api::Client, signal: web_sys::AbortSignal) -> Result<(), access_creator_api::Error> {
//! use std::time::Duration;
//! use access_creator_api::ExportKind;
//!
//! let user = client.user().await?;
//! let user = client.user().timeout(Duration::from_secs(5)).signal(&signal).await?;
//! let id = client.request_export(ExportKind::Emails).await?;
//! let csv: Option<String> = client.download_export(&id).await?;
//! let csv: String = client.export_csv(ExportKind::Rewards).poll_interval(Duration::from_secs(2)).await?;
//! let file: web_sys::Blob = client.export_csv(ExportKind::Rewards).blob().await?;
//! # Ok(()) }
//! ```
//!
//! Dropping a call's future cancels it: its `fetch` is aborted and its timers are cleared.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{AbortSignal, Blob};

use crate::client::Client;
use crate::error::Error;
use crate::fetch::Body;
use crate::model::{ExportKind, User};
use crate::options::{CallOptions, ExportOptions, ExportProgress};

/// The future of a call.
pub type CallFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + 'a>>;

/// `GET /user`: see [`Client::user`].
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct GetUser<'a> {
    client: &'a Client,
    options: CallOptions,
}

/// `POST /file/{kind}`: see [`Client::request_export`].
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct RequestExport<'a> {
    client: &'a Client,
    kind: ExportKind,
    options: CallOptions,
}

/// `GET /file/link/{id}`: see [`Client::download_export`].
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct DownloadExport<'a> {
    client: &'a Client,
    reference_id: &'a str,
    options: CallOptions,
}

/// [`DownloadExport`] giving the file's bytes as a `Blob` (typed `text/csv`).
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct DownloadExportBlob<'a>(DownloadExport<'a>);

/// A whole export: see [`Client::export_csv`].
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct ExportCsv<'a> {
    client: &'a Client,
    kind: ExportKind,
    options: ExportOptions,
}

/// [`ExportCsv`] giving the file's bytes as a `Blob` (typed `text/csv`).
#[must_use = "a call does nothing until it is awaited"]
#[derive(Debug)]
pub struct ExportCsvBlob<'a>(ExportCsv<'a>);

/// `timeout` and `signal`, the same on every call.
macro_rules! call_options {
    ($($builder:ident),*) => {$(
        impl $builder<'_> {
            /// The call's deadline, covering every attempt and wait (default: the client's).
            pub fn timeout(mut self, timeout: Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Cancels the call when `signal` aborts: it fails with `aborted` at once and sends
            /// no further request.
            pub fn signal(mut self, signal: &AbortSignal) -> Self {
                self.options.signal = Some(signal.clone());
                self
            }
        }
    )*};
}

call_options!(GetUser, RequestExport, DownloadExport);

impl<'a> GetUser<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        GetUser {
            client,
            options: CallOptions::default(),
        }
    }
}

impl<'a> IntoFuture for GetUser<'a> {
    type Output = Result<User, Error>;
    type IntoFuture = CallFuture<'a, User>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.client.user_with(&self.options).await })
    }
}

impl<'a> RequestExport<'a> {
    pub(crate) fn new(client: &'a Client, kind: ExportKind) -> Self {
        RequestExport {
            client,
            kind,
            options: CallOptions::default(),
        }
    }
}

impl<'a> IntoFuture for RequestExport<'a> {
    type Output = Result<String, Error>;
    type IntoFuture = CallFuture<'a, String>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.client
                .request_export_with(self.kind, &self.options)
                .await
        })
    }
}

impl<'a> DownloadExport<'a> {
    pub(crate) fn new(client: &'a Client, reference_id: &'a str) -> Self {
        DownloadExport {
            client,
            reference_id,
            options: CallOptions::default(),
        }
    }

    /// The file's bytes, exactly as they arrived, as a `Blob` typed `text/csv` (for a download
    /// link), instead of text.
    pub fn blob(self) -> DownloadExportBlob<'a> {
        DownloadExportBlob(self)
    }
}

impl<'a> IntoFuture for DownloadExport<'a> {
    type Output = Result<Option<String>, Error>;
    type IntoFuture = CallFuture<'a, Option<String>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let file = self
                .client
                .download_export_with(self.reference_id, Body::Text, &self.options)
                .await?;
            Ok(file.and_then(|text| text.as_string()))
        })
    }
}

impl<'a> IntoFuture for DownloadExportBlob<'a> {
    type Output = Result<Option<Blob>, Error>;
    type IntoFuture = CallFuture<'a, Option<Blob>>;

    fn into_future(self) -> Self::IntoFuture {
        let DownloadExportBlob(call) = self;
        Box::pin(async move {
            let file = call
                .client
                .download_export_with(call.reference_id, Body::Blob, &call.options)
                .await?;
            Ok(file.map(JsCast::unchecked_into))
        })
    }
}

impl<'a> ExportCsv<'a> {
    pub(crate) fn new(client: &'a Client, kind: ExportKind) -> Self {
        ExportCsv {
            client,
            kind,
            options: ExportOptions::default(),
        }
    }

    /// The deadline of the whole export: the request, the waiting and the download (default
    /// 120 s). Past it, the export fails with `export_timeout`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.call.timeout = Some(timeout);
        self
    }

    /// The deadline of each request the export makes, covering its retries (default: the
    /// client's timeout). Past it, the export fails with `timeout`.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.options.request_timeout = Some(timeout);
        self
    }

    /// Cancels the whole export when `signal` aborts.
    pub fn signal(mut self, signal: &AbortSignal) -> Self {
        self.options.call.signal = Some(signal.clone());
        self
    }

    /// The first wait between two polls (default 1 s, at least 250 ms); later waits grow by
    /// half, up to 5 s (or this, if longer).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.options.poll_interval = interval;
        self
    }

    /// Called at each phase and poll.
    pub fn on_progress(mut self, on_progress: impl Fn(&ExportProgress) + 'static) -> Self {
        self.options.on_progress = Some(Rc::new(on_progress));
        self
    }

    /// The file's bytes, exactly as they arrived, as a `Blob` typed `text/csv` (for a download
    /// link, without holding the text), instead of text.
    pub fn blob(self) -> ExportCsvBlob<'a> {
        ExportCsvBlob(self)
    }
}

impl<'a> IntoFuture for ExportCsv<'a> {
    type Output = Result<String, Error>;
    type IntoFuture = CallFuture<'a, String>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let file = self
                .client
                .export_with(self.kind, Body::Text, &self.options)
                .await?;
            Ok(file.as_string().unwrap_or_default())
        })
    }
}

impl<'a> IntoFuture for ExportCsvBlob<'a> {
    type Output = Result<Blob, Error>;
    type IntoFuture = CallFuture<'a, Blob>;

    fn into_future(self) -> Self::IntoFuture {
        let ExportCsvBlob(call) = self;
        Box::pin(async move {
            let file = call
                .client
                .export_with(call.kind, Body::Blob, &call.options)
                .await?;
            Ok(file.unchecked_into())
        })
    }
}
