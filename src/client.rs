//! The client: every documented endpoint, with deadlines, cancellation and retries.
//!
//! The public calls are request builders ([`crate::calls`]); they and the JS API both end up
//! in the crate-private methods here, which take the collected options.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::Method;
use wasm_bindgen::prelude::*;

use crate::calls::{DownloadExport, ExportCsv, GetUser, RequestExport};
use crate::convert;
use crate::error::{self, Error, ErrorKind};
use crate::fetch::{self, json_parse, Body};
use crate::key::{ApiKey, IntoApiKey};
use crate::model::{is_reference_id, ExportKind, User};
use crate::options::{self, CallOptions, ExportOptions, ExportPhase, ExportProgress};
use crate::retry;
use crate::scope::{now_ms, wall_clock_ms, Scope};
use crate::text::cat;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Math, js_name = random)]
    fn random() -> f64;
}

/// The most of a `/user` answer that is read.
const USER_BODY_CAP: u64 = 1024 * 1024;
/// The most of a `POST /file/*` answer (a JSON string) that is read.
const REFERENCE_BODY_CAP: u64 = 4 * 1024;

/// A client of the Access Protocol creator API, holding one API key.
///
/// Cloning is cheap and shares the configuration. `Debug` never shows the key.
///
/// ```no_run
/// # async fn run() -> Result<(), access_creator_api::Error> {
/// let client = access_creator_api::Client::new("eyJhbGciOi...")?;
/// let user = client.user().await?;
/// println!("{} owns {:?}", user.username, user.owned_pool.map(|pool| pool.name));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Rc<Config>,
}

struct Config {
    key: ApiKey,
    base_url: String,
    timeout_ms: u64,
    max_retries: u32,
    max_csv_bytes: u64,
    /// The requests of `GET /user` and of `POST /file/{kind}` (by [`ExportKind::ALL`]'s
    /// order), each built once, when first sent.
    requests: RefCell<[Option<web_sys::Request>; 4]>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("key", &self.key)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_csv_bytes", &self.max_csv_bytes)
            .finish_non_exhaustive()
    }
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
    /// The API's base URL: `https:`, or `http:` on `localhost`, `[::1]` or `127.x.x.x`
    /// (default `https://go-api.accessprotocol.co`).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// The default deadline of each call, covering all its attempts and waits, and of each
    /// request an export makes (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a request is retried (default 2, at most 10). Which requests are retried
    /// on what is in the README's Behaviour section.
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
    /// not `https:` (or loopback `http:`), a zero timeout, more than 10 retries or a CSV cap
    /// out of range.
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
                requests: RefCell::default(),
            }),
        })
    }
}

impl Client {
    /// A client for the production API with the default options.
    ///
    /// The key is a `&str` as pasted (whitespace, invisible characters and a `Bearer ` prefix
    /// are removed) or an [`ApiKey`] parsed already.
    ///
    /// # Errors
    /// `invalid_key` when the key cannot be a JWT; nothing is sent.
    pub fn new(api_key: impl IntoApiKey) -> Result<Self, Error> {
        Self::builder(api_key).build()
    }

    /// A builder, to set the base URL, timeout, retries or CSV cap.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), access_creator_api::Error> {
    /// let client = access_creator_api::Client::builder("eyJhbGciOi...")
    ///     .base_url("http://127.0.0.1:8081")
    ///     .timeout(std::time::Duration::from_secs(10))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder(api_key: impl IntoApiKey) -> ClientBuilder {
        ClientBuilder {
            key: api_key.into_api_key(),
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

    /// The key, for redacting it from messages.
    pub(crate) fn secret(&self) -> &str {
        self.inner.key.expose()
    }

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

    // ---- what the builders and the JS API call ------------------------------------------

    pub(crate) async fn user_with(&self, options: &CallOptions) -> Result<User, Error> {
        let scope = self.scope(options)?;
        let request = self.request(0, Method::GET, "/user")?;
        let text = self
            .send_retrying(
                &request,
                Method::GET,
                &scope,
                USER_BODY_CAP,
                Body::Text,
                &mut || {},
            )
            .await?;
        let record = json_parse(text.unchecked_ref())
            .map_err(|_| error::invalid_response("the answer is not valid JSON"))?;
        convert::user_from_js(record)
    }

    pub(crate) async fn request_export_with(
        &self,
        kind: ExportKind,
        options: &CallOptions,
    ) -> Result<String, Error> {
        let scope = self.scope(options)?;
        self.request_export_in(kind, &scope).await
    }

    /// The file as a JS string (`Body::Text`) or a `Blob` (`Body::Blob`), `None` while 404.
    pub(crate) async fn download_export_with(
        &self,
        reference_id: &str,
        body: Body,
        options: &CallOptions,
    ) -> Result<Option<JsValue>, Error> {
        let scope = self.scope(options)?;
        self.download_in(reference_id, body, &scope, &mut || {})
            .await
    }

    /// The whole export, its file as a JS string or a `Blob`. The export's own scope (its
    /// deadline, the caller's signal) holds a scope per request.
    pub(crate) async fn export_with(
        &self,
        kind: ExportKind,
        body: Body,
        options: &ExportOptions,
    ) -> Result<JsValue, Error> {
        let timeout_ms = options.call.timeout.map_or(
            options::millis(options::DEFAULT_EXPORT_TIMEOUT),
            options::millis,
        );
        let export = Scope::new(timeout_ms, options.call.signal.as_ref())?;
        let request_timeout_ms = options
            .request_timeout
            .map_or(self.inner.timeout_ms, options::millis);
        let step = || Scope::new(request_timeout_ms, Some(&export.signal()));
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
        // The export's own deadline passing, wherever it lands, is the export's timeout. The
        // caller's abort is `aborted` with the caller's reason as its cause: a request's own
        // scope sees only the export's signal, whose reason is the scope's marker.
        let explain = |e: Error| match export.abort_error() {
            Some(why) if why.kind() == ErrorKind::Timeout => error::export_timeout(timeout_ms),
            Some(why) => why,
            None => e,
        };

        report(ExportPhase::Requesting, 0, None);
        let reference_id = self
            .request_export_in(kind, &step().map_err(explain)?)
            .await
            .map_err(explain)?;
        let mut polls = retry::PollSchedule::new(options::millis(options.poll_interval));
        let mut attempt = 0;
        loop {
            attempt += 1;
            report(ExportPhase::Waiting, attempt, Some(&reference_id));
            let mut downloading = || report(ExportPhase::Downloading, attempt, Some(&reference_id));
            let scope = step().map_err(explain)?;
            if let Some(file) = self
                .download_in(&reference_id, body, &scope, &mut downloading)
                .await
                .map_err(explain)?
            {
                report(ExportPhase::Done, attempt, Some(&reference_id));
                return Ok(file);
            }
            let wait = polls.next_wait(export.remaining_ms());
            export.sleep(wait).await.map_err(explain)?;
        }
    }

    async fn request_export_in(&self, kind: ExportKind, scope: &Scope) -> Result<String, Error> {
        let slot = 1 + ExportKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        let request = self.request(slot, Method::POST, &cat(&["/file/", kind.as_str()]))?;
        let text = self
            .send_retrying(
                &request,
                Method::POST,
                scope,
                REFERENCE_BODY_CAP,
                Body::Text,
                &mut || {},
            )
            .await?;
        json_parse(text.unchecked_ref())
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
        body: Body,
        scope: &Scope,
        on_ready: &mut dyn FnMut(),
    ) -> Result<Option<JsValue>, Error> {
        if !is_reference_id(reference_id) {
            return Err(error::invalid_argument(
                "a reference id is 1 to 128 letters, digits, - or _ (as requestExport returns it)",
            ));
        }
        // A reference id needs no escaping: it cannot change the path.
        let url = cat(&[&self.inner.base_url, "/file/link/", reference_id]);
        let request = fetch::request(Method::GET, &url, &self.inner.key)?;
        match self
            .send_retrying(
                &request,
                Method::GET,
                scope,
                self.inner.max_csv_bytes,
                body,
                on_ready,
            )
            .await
        {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A request, retried within the scope's deadline and `max_retries` when [`retryable`]
    /// says so, after `Retry-After` (up to 10 s) or a jittered backoff.
    async fn send_retrying(
        &self,
        request: &web_sys::Request,
        method: Method,
        scope: &Scope,
        cap: u64,
        body: Body,
        on_ready: &mut dyn FnMut(),
    ) -> Result<JsValue, Error> {
        let mut retries = 0;
        loop {
            let failure = match self.attempt(request, scope, cap, body, on_ready).await {
                Ok(file) => return Ok(file),
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
        request: &web_sys::Request,
        scope: &Scope,
        cap: u64,
        body: Body,
        on_ready: &mut dyn FnMut(),
    ) -> Result<JsValue, Error> {
        let secret = Some(self.inner.key.expose());
        let head = fetch::send(request, scope, secret).await?;
        let status = head.status();
        if fetch::is_redirect(&head) {
            fetch::discard(&head);
            return Err(error::redirected(status));
        }
        if !(200..300).contains(&status) {
            let retry_after = fetch::header(&head, "retry-after")
                .map(|value| retry::retry_after_ms(&value, wall_clock_ms()));
            let said = if status == 404 {
                fetch::discard(&head);
                None
            } else {
                fetch::server_message(&head, scope).await?
            };
            return Err(
                error::status(status, said.as_deref(), self.inner.key.expose())
                    .with_retry_after(retry_after),
            );
        }
        if fetch::is_html(&head) {
            fetch::discard(&head);
            return Err(error::invalid_response(
                "the answer is an HTML page, not the API's (a proxy, a captive portal or a wrong base URL?)",
            ));
        }
        on_ready();
        let file = fetch::read_body(&head, cap, body, scope).await?;
        scope.finish();
        Ok(file)
    }

    fn scope(&self, options: &CallOptions) -> Result<Scope, Error> {
        let timeout_ms = options
            .timeout
            .map_or(self.inner.timeout_ms, options::millis);
        Scope::new(timeout_ms, options.signal.as_ref())
    }

    /// The request of a fixed endpoint, built when first needed and kept (see
    /// [`fetch::request`]).
    fn request(&self, slot: usize, method: Method, path: &str) -> Result<web_sys::Request, Error> {
        let mut requests = self.inner.requests.borrow_mut();
        // `Clone::clone`: the handle, not `Request.prototype.clone`.
        if let Some(request) = &requests[slot] {
            return Ok(Clone::clone(request));
        }
        let url = cat(&[&self.inner.base_url, path]);
        let request = fetch::request(method, &url, &self.inner.key)?;
        requests[slot] = Some(Clone::clone(&request));
        Ok(request)
    }
}

/// Whether a failed request is tried again. A `GET` is idempotent: it is retried after a
/// network error, a 429 or a 5xx. `POST /file/{kind}` starts an export, so it is retried only
/// after the answers HTTP defines for a request refused for now: a 429, or a 503 with
/// `Retry-After` (any value: one that does not parse still says "refused for now", and the wait
/// is then the backoff's). Never after another 5xx or a network error, where the export may
/// have been started.
fn retryable(method: &Method, failure: &Error) -> bool {
    match failure.status() {
        Some(429) => true,
        Some(503) if *method == Method::POST => failure.has_retry_after(),
        Some(status) => *method == Method::GET && retry::is_retryable_status(status),
        None => *method == Method::GET && failure.kind() == ErrorKind::Network,
    }
}
