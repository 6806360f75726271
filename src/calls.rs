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

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, Blob};

use crate::client::Client;
use crate::engine::{Read, Shape};
use crate::error::{self, Error};
use crate::fetch::Body;
use crate::model::{ExportKind, User};
use crate::options::{CallOptions, ExportOptions, ExportProgress};
use crate::records::{self, FeaturedPool, Pool, PoolDetails, PoolRewards, Stats, Supply};
use crate::text::cat;

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

    /// The active pools (`GET /pools`; public: the key is never sent).
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), access_creator_api::Error> {
    /// let client = access_creator_api::Client::public();
    /// for pool in client.pools().await? {
    ///     println!("{}: {} base units locked", pool.name, pool.total_staked);
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// `invalid_response` for an answer that is not the documented list (an amount that is not
    /// a whole number from 0 to 2^64 − 1 included), `too_large` past the JSON cap, and the
    /// errors every call has.
    pub fn pools(&self) -> Get<'_, Vec<Pool>> {
        Get::typed(
            self,
            Ok("/pools".into()),
            false,
            Shape::List(records::POOL_FIELDS),
        )
    }

    /// The pools' featured scores, in the featured order (`GET /pools/featured`; public).
    pub fn featured_pools(&self) -> Get<'_, Vec<FeaturedPool>> {
        let shape = Shape::List(records::FEATURED_POOL_FIELDS);
        Get::typed(self, Ok("/pools/featured".into()), false, shape)
    }

    /// Each pool's number of users, by pool address (`GET /pools/user_count`; public).
    pub fn pool_user_counts(&self) -> Get<'_, BTreeMap<String, u32>> {
        Get::typed(self, Ok("/pools/user_count".into()), false, Shape::Map("u"))
    }

    /// The amount locked in each pool, by pool address (`GET /pools/locked`; public).
    pub fn pool_locked_amounts(&self) -> Get<'_, BTreeMap<String, u64>> {
        Get::typed(self, Ok("/pools/locked".into()), false, Shape::Map("a"))
    }

    /// Each pool's rewards (`GET /pools/rewards`; public).
    pub fn pool_rewards(&self) -> Get<'_, Vec<PoolRewards>> {
        let shape = Shape::List(records::POOL_REWARDS_FIELDS);
        Get::typed(self, Ok("/pools/rewards".into()), false, shape)
    }

    /// One pool with its e-mail subscriptions (`GET /pool/{address}`; public).
    ///
    /// # Errors
    /// `invalid_argument`, before anything is sent, when `address` is not 32 to 44 base58
    /// characters; otherwise as [`Client::pools`].
    pub fn pool(&self, address: &str) -> Get<'_, PoolDetails> {
        let path = records::checked_address(address).map(|a| cat(&["/pool/", a]));
        Get::typed(
            self,
            path,
            false,
            Shape::Record(records::POOL_DETAILS_FIELDS),
        )
    }

    /// What a wallet has locked in each pool now (`GET /user/{address}/pools`; needs the key:
    /// `invalid_key` from a client without one, before anything is sent).
    pub fn user_pools(&self, address: &str) -> Get<'_, BTreeMap<String, u64>> {
        let path = records::checked_address(address).map(|a| cat(&["/user/", a, "/pools"]));
        Get::typed(self, path, true, Shape::Map("a"))
    }

    /// What a wallet has locked forever in each pool (`GET /user/{address}/pools/forever`;
    /// needs the key).
    pub fn user_forever_pools(&self, address: &str) -> Get<'_, BTreeMap<String, u64>> {
        let path = records::checked_address(address).map(|a| cat(&["/user/", a, "/pools/forever"]));
        Get::typed(self, path, true, Shape::Map("a"))
    }

    /// The ACS token supply as the API's decimal text, exact (`"86735581885.276672"`;
    /// `GET /token/supply/{which}`, public).
    ///
    /// # Errors
    /// `invalid_response` when the answer is not a decimal number (an HTML page included).
    pub fn token_supply(&self, which: Supply) -> Get<'_, String> {
        Get {
            client: self,
            path: Ok(cat(&["/token/supply/", which.as_str()])),
            auth: false,
            read: Read::Decimal,
            options: CallOptions::default(),
            decode: |text| {
                text.as_string()
                    .ok_or_else(|| error::invalid_response("the token supply is not text"))
            },
        }
    }

    /// The past 30 days of a statistic (`GET /stats/{kind}`; public). `kind` is one of
    /// [`crate::STATS_KINDS`] or another word of lowercase letters and `_`.
    pub fn stats(&self, kind: &str) -> Get<'_, Stats> {
        Get {
            client: self,
            path: records::checked_stats_kind(kind).map(|k| cat(&["/stats/", k])),
            auth: false,
            read: Read::Shaped(Shape::Record(records::STATS_FIELDS)),
            options: CallOptions::default(),
            decode: stats_from_js,
        }
    }

    /// Any path of the base URL (`"/pools?limit=10"`), its JSON decoded into `T` through
    /// serde-wasm-bindgen from the value `JSON.parse` would give, with integers beyond
    /// ±(2^53 − 1) as `BigInt`s (so a `u64` field is exact). Sends the key only after
    /// [`Get::with_key`].
    ///
    /// # Errors
    /// `invalid_argument`, before anything is sent, for a path that does not start with one
    /// `/`, or has `//`, `\\`, a `.` or `..` segment, a `#` or a character a URL may not hold.
    pub fn get<T: DeserializeOwned + 'static>(&self, path: &str) -> Get<'_, T> {
        Get {
            client: self,
            path: records::checked_path(path).map(str::to_owned),
            auth: false,
            read: Read::Json,
            options: CallOptions::default(),
            decode: from_js,
        }
    }
}

/// A `GET` of the public endpoints, the user's pools or [`Client::get`]: see those.
#[must_use = "a call does nothing until it is awaited"]
pub struct Get<'a, T> {
    client: &'a Client,
    /// The path, or why the arguments were refused (reported when awaited, nothing sent).
    path: Result<String, Error>,
    auth: bool,
    read: Read,
    options: CallOptions,
    decode: fn(JsValue) -> Result<T, Error>,
}

impl<T> std::fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Get")
            .field("path", &self.path.as_deref().ok())
            .field("auth", &self.auth)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<'a, T: DeserializeOwned> Get<'a, T> {
    fn typed(client: &'a Client, path: Result<String, Error>, auth: bool, shape: Shape) -> Self {
        Get {
            client,
            path,
            auth,
            read: Read::Shaped(shape),
            options: CallOptions::default(),
            decode: from_js,
        }
    }
}

impl<'a, T> Get<'a, T> {
    /// The call's deadline, covering all its attempts and waits (default: the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Cancels the call when `signal` aborts: it fails with `aborted` at once and sends no
    /// further request.
    pub fn signal(mut self, signal: &AbortSignal) -> Self {
        self.options.signal = Some(signal.clone());
        self
    }

    /// Sends the key with a [`Client::get`] (never sent otherwise; the typed calls send it
    /// where the docs do). From a client without a key, the call fails with `invalid_key`.
    pub fn with_key(mut self) -> Self {
        if let Read::Json = self.read {
            self.auth = true;
        }
        self
    }
}

impl<'a, T: 'a> IntoFuture for Get<'a, T> {
    type Output = Result<T, Error>;
    type IntoFuture = CallFuture<'a, T>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let path = self.path?;
            let value = self
                .client
                .engine()
                .read_with(&path, self.auth, self.read, &self.options)
                .await?;
            (self.decode)(value)
        })
    }
}

/// A value decoded into `T` through serde-wasm-bindgen.
fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|_| {
        error::invalid_response(
            "the answer does not have the field types of the Rust type asked for",
        )
    })
}

/// [`Stats`] from its shaped record.
fn stats_from_js(value: JsValue) -> Result<Stats, Error> {
    let field = |name: &str| js_sys::Reflect::get(&value, &JsValue::from_str(name)).ok();
    Ok(Stats {
        until_date: field("UntilDate")
            .and_then(|d| d.as_string())
            .unwrap_or_default(),
        vals: field("Vals")
            .map(JsCast::unchecked_into)
            .unwrap_or_default(),
    })
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
