//! The client: every documented endpoint, with deadlines, cancellation and retries.

use std::rc::Rc;
use std::time::Duration;

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::error::{self, Error, ErrorKind};
use gloo_net::http::Method;

use crate::convert;
use crate::fetch::{self, json_parse};
use crate::key::ApiKey;
use crate::model::{is_reference_id, ExportKind, User};
use crate::options::{self, CallOptions, ExportOptions, ExportPhase, ExportProgress};
use crate::retry;
use crate::scope::{now_ms, wall_clock_ms, Scope};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn random() -> f64;
}

/// The most of a `/user` answer that is read.
const USER_BODY_CAP: u64 = 1024 * 1024;
/// The most of a `POST /file/*` answer (a JSON string) that is read.
const REFERENCE_BODY_CAP: u64 = 4 * 1024;
/// Polls of an export wait at least this long between two tries, in milliseconds.
const MIN_POLL_INTERVAL_MS: u64 = 250;
/// Polls of an export wait at most this long between two tries (or the first wait, if longer).
const MAX_POLL_INTERVAL_MS: u64 = 5_000;
/// When the next wait would pass an export's deadline, one last poll starts this long before it.
const LAST_POLL_LEAD_MS: u64 = 500;

/// A client of the Access Protocol creator API, holding one API key.
///
/// Cloning is cheap and shares the configuration. `Debug` never shows the key.
///
/// ```no_run
/// # async fn run() -> Result<(), access_api::Error> {
/// let client = access_api::Client::new("eyJhbGciOi...")?;
/// let user = client.user().await?;
/// println!("{} owns {:?}", user.username, user.owned_pool.map(|pool| pool.name));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Rc<Config>,
}

#[derive(Debug)]
struct Config {
    key: ApiKey,
    base_url: String,
    timeout_ms: u64,
    max_retries: u32,
    max_csv_bytes: u64,
}

/// Builds a [`Client`] with options other than the defaults.
#[derive(Debug)]
pub struct ClientBuilder {
    key: Result<ApiKey, Error>,
    base_url: Option<String>,
    timeout: Duration,
    max_retries: u32,
    max_csv_bytes: u64,
}

impl ClientBuilder {
    /// The API's base URL: `https:`, or `http:` on a loopback host (default
    /// `https://go-api.accessprotocol.co`).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// The default deadline of each call, covering all its attempts (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a `GET` is retried after a network error, a 5xx or a 429 (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The largest CSV a download accepts, in bytes (default 128 MiB, at most 536,870,888:
    /// 2^29 - 24, the longest string V8 holds, in UTF-16 units, which a UTF-8 text never has
    /// more of than bytes).
    pub fn max_csv_bytes(mut self, bytes: u64) -> Self {
        self.max_csv_bytes = bytes;
        self
    }

    /// Checks the options and builds the client.
    ///
    /// # Errors
    /// `invalid_key` for a key that cannot be a JWT; `invalid_argument` for a base URL that is
    /// not `https:` (or loopback `http:`), a zero timeout, more than 10 retries or a zero cap.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.key?;
        let base_url = options::base_url(
            self.base_url
                .as_deref()
                .unwrap_or(options::DEFAULT_BASE_URL),
        )?;
        if self.timeout.is_zero() {
            return Err(error::invalid_argument(
                "the timeout must be longer than zero",
            ));
        }
        if self.max_retries > options::MAX_RETRIES_LIMIT {
            return Err(error::invalid_argument(
                "maxRetries must be an integer from 0 to 10",
            ));
        }
        if !(1..=options::MAX_CSV_BYTES_LIMIT).contains(&self.max_csv_bytes) {
            return Err(error::invalid_argument(
                "maxCsvBytes must be from 1 to 536870888 bytes (the longest string every JavaScript engine holds)",
            ));
        }
        Ok(Client {
            inner: Rc::new(Config {
                key,
                base_url,
                timeout_ms: options::millis(self.timeout),
                max_retries: self.max_retries,
                max_csv_bytes: self.max_csv_bytes,
            }),
        })
    }
}

impl Client {
    /// A client for the production API with the default options.
    ///
    /// Whitespace around the key and a pasted `Bearer ` prefix are removed.
    ///
    /// # Errors
    /// `invalid_key` when the key cannot be a JWT; nothing is sent.
    pub fn new(api_key: &str) -> Result<Self, Error> {
        Self::builder(api_key).build()
    }

    /// A builder, to set the base URL, timeout, retries or CSV cap.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), access_api::Error> {
    /// let client = access_api::Client::builder("eyJhbGciOi...")
    ///     .base_url("http://127.0.0.1:8081")
    ///     .timeout(std::time::Duration::from_secs(10))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(api_key: &str) -> ClientBuilder {
        ClientBuilder {
            key: ApiKey::parse(api_key),
            base_url: None,
            timeout: options::DEFAULT_TIMEOUT,
            max_retries: options::DEFAULT_MAX_RETRIES,
            max_csv_bytes: options::DEFAULT_MAX_CSV_BYTES,
        }
    }

    /// The base URL calls go to, normalised (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The key owner's user record (`GET /user`).
    ///
    /// # Errors
    /// `unauthorized` for a rejected key, `invalid_response` for an answer that is not the
    /// documented JSON object, and the errors every call has (`network`, `timeout`, `server`, …).
    pub async fn user(&self) -> Result<User, Error> {
        self.user_with(&CallOptions::default()).await
    }

    /// [`Client::user`] with a deadline or an `AbortSignal` of its own.
    ///
    /// # Errors
    /// As [`Client::user`], and `aborted` when the signal aborts.
    pub async fn user_with(&self, options: &CallOptions) -> Result<User, Error> {
        let scope = self.scope(options)?;
        let text = self
            .send_retrying(Method::GET, &scope, "/user", USER_BODY_CAP, &mut || {})
            .await?;
        let record = json_parse(&text)
            .map_err(|_| error::invalid_response("the answer is not valid JSON"))?;
        convert::user_from_js(record)
    }

    /// Asks the API to prepare an export (`POST /file/{kind}`) and returns its reference id.
    ///
    /// This request is never retried automatically: it is not idempotent.
    ///
    /// # Errors
    /// `forbidden` when the key may not export, `invalid_response` when the answer is not a JSON
    /// string, and the errors every call has.
    pub async fn request_export(
        &self,
        kind: ExportKind,
        options: &CallOptions,
    ) -> Result<String, Error> {
        let scope = self.scope(options)?;
        self.request_export_in(kind, &scope).await
    }

    /// Downloads a requested export (`GET /file/link/{reference_id}`): `Ok(None)` while the API
    /// answers 404, which means "not ready yet" or "no such file" (the API does not tell them
    /// apart).
    ///
    /// # Errors
    /// `invalid_argument` for an empty or overlong id, `too_large` past the CSV cap, and the
    /// errors every call has.
    pub async fn download_export(
        &self,
        reference_id: &str,
        options: &CallOptions,
    ) -> Result<Option<String>, Error> {
        let scope = self.scope(options)?;
        Ok(self
            .download_in(reference_id, &scope, &mut || {})
            .await?
            .map(String::from))
    }

    /// Runs a whole export: requests it, polls until the CSV is ready (starting at
    /// `poll_interval`, backing off by half up to 5 s), and returns the CSV text.
    ///
    /// `options.call.timeout` is the deadline of each request; `max_wait` bounds the whole
    /// export; the signal (or dropping the future) stops all further requests.
    ///
    /// # Errors
    /// `export_timeout` after `max_wait`, and the errors of the calls it makes.
    pub async fn export_csv(
        &self,
        kind: ExportKind,
        options: &ExportOptions,
    ) -> Result<String, Error> {
        Ok(self.export_csv_js(kind, options).await?.into())
    }

    pub(crate) async fn download_export_js(
        &self,
        reference_id: &str,
        options: &CallOptions,
    ) -> Result<Option<JsString>, Error> {
        let scope = self.scope(options)?;
        self.download_in(reference_id, &scope, &mut || {}).await
    }

    pub(crate) async fn export_csv_js(
        &self,
        kind: ExportKind,
        options: &ExportOptions,
    ) -> Result<JsString, Error> {
        let max_wait_ms = options::millis(options.max_wait);
        // The whole export: its deadline is max_wait; each request has its own scope inside it.
        let export = Scope::new(max_wait_ms, options.call.signal.as_ref())?;
        let step = || Scope::new(self.timeout_ms(&options.call), Some(&export.signal()));
        let started = now_ms();
        let report = |phase, attempt, reference_id: Option<&str>| {
            if let Some(on_progress) = &options.on_progress {
                on_progress(&ExportProgress {
                    kind,
                    phase,
                    attempt,
                    reference_id: reference_id.map(str::to_owned),
                    elapsed_ms: (now_ms() - started).max(0.0) as u64,
                });
            }
        };
        // An abort of the export scope by its own deadline is the export's timeout.
        let explain = |e: Error| match export.abort_error() {
            Some(why) if why.kind() == ErrorKind::Timeout => error::export_timeout(max_wait_ms),
            _ => e,
        };

        report(ExportPhase::Requesting, 0, None);
        let reference_id = self
            .request_export_in(kind, &step().map_err(explain)?)
            .await
            .map_err(explain)?;
        let first = options::millis(options.poll_interval).max(MIN_POLL_INTERVAL_MS);
        let ceiling = first.max(MAX_POLL_INTERVAL_MS);
        let mut interval = first;
        let mut last = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            report(ExportPhase::Waiting, attempt, Some(&reference_id));
            let mut downloading = || report(ExportPhase::Downloading, attempt, Some(&reference_id));
            let scope = step().map_err(explain)?;
            if let Some(csv) = self
                .download_in(&reference_id, &scope, &mut downloading)
                .await
                .map_err(explain)?
            {
                report(ExportPhase::Done, attempt, Some(&reference_id));
                return Ok(csv);
            }
            let remaining = export.remaining_ms();
            let wait = if interval < remaining {
                interval
            } else if !last {
                // The next wait would pass the deadline: poll once more just before it.
                last = true;
                remaining.saturating_sub(LAST_POLL_LEAD_MS)
            } else {
                return Err(error::export_timeout(max_wait_ms));
            };
            export.sleep(wait).await.map_err(explain)?;
            interval = (interval * 3 / 2).max(interval + 1).min(ceiling);
        }
    }

    async fn request_export_in(&self, kind: ExportKind, scope: &Scope) -> Result<String, Error> {
        let path = ["/file/", kind.as_str()].concat();
        let text = self
            .send_retrying(Method::POST, scope, &path, REFERENCE_BODY_CAP, &mut || {})
            .await?;
        json_parse(&text)
            .ok()
            .and_then(|id| id.as_string())
            .filter(|id| is_reference_id(id))
            .ok_or_else(|| {
                error::invalid_response(
                    "the export request did not answer with a reference id (a JSON string of 1 to 128 letters, digits, - or _)",
                )
            })
    }

    async fn download_in(
        &self,
        reference_id: &str,
        scope: &Scope,
        on_ready: &mut dyn FnMut(),
    ) -> Result<Option<JsString>, Error> {
        if !is_reference_id(reference_id) {
            return Err(error::invalid_argument(
                "a reference id is 1 to 128 letters, digits, - or _ (as requestExport returns it)",
            ));
        }
        // A reference id needs no escaping: it cannot change the path.
        let path = ["/file/link/", reference_id].concat();
        match self
            .send_retrying(
                Method::GET,
                scope,
                &path,
                self.inner.max_csv_bytes,
                on_ready,
            )
            .await
        {
            Ok(csv) => Ok(Some(csv)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A request, retried within the scope's deadline and `max_retries` when [`retryable`]
    /// says so, after `Retry-After` (up to 10 s) or a jittered backoff.
    async fn send_retrying(
        &self,
        method: Method,
        scope: &Scope,
        path: &str,
        cap: u64,
        on_ready: &mut dyn FnMut(),
    ) -> Result<JsString, Error> {
        let url = self.url(path);
        let mut retries = 0;
        loop {
            let failure = match self
                .attempt(method.clone(), &url, scope, cap, on_ready)
                .await
            {
                Ok(text) => return Ok(text),
                Err(e) => e,
            };
            if !retryable(&method, &failure) || retries >= self.inner.max_retries {
                return Err(failure);
            }
            let wait = match failure.retry_after_ms() {
                Some(asked) if asked > retry::MAX_RETRY_AFTER_MS => return Err(failure),
                Some(asked) => asked,
                None => retry::backoff_ms(retries, random()),
            };
            if wait >= scope.remaining_ms() {
                return Err(failure);
            }
            scope.sleep(wait).await?;
            retries += 1;
        }
    }

    /// One request: send it, turn a non-2xx answer into its error (with the server's message
    /// and `Retry-After`), refuse an HTML page, and read the body within `cap`.
    async fn attempt(
        &self,
        method: Method,
        url: &str,
        scope: &Scope,
        cap: u64,
        on_ready: &mut dyn FnMut(),
    ) -> Result<JsString, Error> {
        let response = fetch::send(method, url, &self.inner.key, scope).await?;
        let status = response.status();
        if fetch::is_redirect(&response) {
            fetch::discard(&response);
            return Err(error::redirected(status));
        }
        if !(200..300).contains(&status) {
            let retry_after = fetch::header(&response, "retry-after")
                .and_then(|value| retry::retry_after_ms(&value, wall_clock_ms()));
            let said = if status == 404 {
                fetch::discard(&response);
                None
            } else {
                fetch::server_message(&response, scope).await?
            };
            return Err(
                error::status(status, said.as_deref(), self.inner.key.expose())
                    .with_retry_after_ms(retry_after),
            );
        }
        if fetch::is_html(&response) {
            fetch::discard(&response);
            return Err(error::invalid_response(
                "the answer is an HTML page, not the API's (a proxy, a captive portal or a wrong base URL?)",
            ));
        }
        on_ready();
        let text = fetch::read_text(&response, cap, scope).await?;
        scope.finish();
        Ok(text)
    }

    fn scope(&self, options: &CallOptions) -> Result<Scope, Error> {
        Scope::new(self.timeout_ms(options), options.signal.as_ref())
    }

    fn timeout_ms(&self, options: &CallOptions) -> u64 {
        options
            .timeout
            .map_or(self.inner.timeout_ms, options::millis)
    }

    fn url(&self, path: &str) -> String {
        [self.inner.base_url.as_str(), path].concat()
    }
}

/// Whether a failed request is tried again. A `GET` is idempotent: it is retried after a
/// network error, a 429 or a 5xx. `POST /file/{kind}` starts an export, so it is retried only
/// when the server says it did nothing: a 429, or a 503 with `Retry-After`. Never after another
/// 5xx or a network error, where the export may have been started.
fn retryable(method: &Method, failure: &Error) -> bool {
    match failure.status() {
        Some(429) => true,
        Some(503) if *method == Method::POST => failure.retry_after_ms().is_some(),
        Some(status) => *method == Method::GET && retry::is_retryable_status(status),
        None => *method == Method::GET && failure.kind() == ErrorKind::Network,
    }
}
