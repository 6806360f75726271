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

/// The calls, each a request builder: set what differs from the defaults, then `.await` it.
impl Client {
    /// The key owner's user record (`GET /user`). Await it, or set a deadline or a signal first.
    ///
    /// ```no_run
    /// # async fn run(client: access_creator_api::Client, signal: web_sys::AbortSignal) -> Result<(), access_creator_api::Error> {
    /// let user = client.user().timeout(std::time::Duration::from_secs(5)).signal(&signal).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// `unauthorized` for a rejected key, `invalid_response` for an answer that is not the
    /// documented JSON object, and the errors every call has (`network`, `timeout`, `aborted`,
    /// `server`, …).
    pub fn user(&self) -> GetUser<'_> {
        GetUser::new(self)
    }

    /// Asks the API to prepare an export (`POST /file/{kind}`); resolves to its reference id.
    ///
    /// Retried only after a 429, or a 503 with `Retry-After`: a request refused for now.
    ///
    /// # Errors
    /// `forbidden` when the key may not export, `invalid_response` when the answer is not a
    /// reference id, and the errors every call has.
    pub fn request_export(&self, kind: ExportKind) -> RequestExport<'_> {
        RequestExport::new(self, kind)
    }

    /// Downloads a requested export (`GET /file/link/{reference_id}`): `None` while the API
    /// answers 404, which means "not ready yet" or "no such file" (the API does not tell them
    /// apart). `.blob()` gives the file's bytes as a `Blob` instead of text.
    ///
    /// # Errors
    /// `invalid_argument` for an id that is not one ([`crate::is_reference_id`]), `too_large`
    /// past the CSV cap, and the errors every call has.
    pub fn download_export<'a>(&'a self, reference_id: &'a str) -> DownloadExport<'a> {
        DownloadExport::new(self, reference_id)
    }

    /// Runs a whole export: requests it, polls until the CSV is ready, and downloads it.
    ///
    /// ```no_run
    /// # async fn run(client: access_creator_api::Client) -> Result<(), access_creator_api::Error> {
    /// use std::time::Duration;
    /// use access_creator_api::ExportKind;
    ///
    /// let csv = client
    ///     .export_csv(ExportKind::Supporters)
    ///     .timeout(Duration::from_secs(60)) // the whole export
    ///     .poll_interval(Duration::from_millis(500))
    ///     .on_progress(|progress| println!("{:?}", progress.phase))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// `export_timeout` when the whole export takes longer than its timeout, and the errors of
    /// the requests it makes.
    pub fn export_csv(&self, kind: ExportKind) -> ExportCsv<'_> {
        ExportCsv::new(self, kind)
    }
}

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
        Box::pin(async move { self.client.engine().user_with(&self.options).await })
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
                .engine()
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
                .engine()
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
                .engine()
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
                .engine()
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
                .engine()
                .export_with(call.kind, Body::Blob, &call.options)
                .await?;
            Ok(file.unchecked_into())
        })
    }
}
