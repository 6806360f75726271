//! The public client and its builder: the settings of a client, checked once, in one place.
//!
//! The calls are in [`crate::calls`] (each beside its request builder); what they do is in
//! [`crate::engine`].

use std::rc::Rc;
use std::time::Duration;

use crate::engine::Engine;
use crate::error::{self, Error};
use crate::key::{ApiKey, IntoApiKey};
use crate::options;

/// A client of the Access Protocol creator API, holding one API key or none.
///
/// A client without a key ([`Client::public`]) makes the public calls (pools, one pool, token
/// supply, stats); a call that needs the key fails at once with `invalid_key` and sends nothing.
/// Public calls never send the key, even from a client that has one.
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
    engine: Rc<Engine>,
}

/// Builds a [`Client`] with options other than the defaults.
#[derive(Debug)]
pub struct ClientBuilder {
    key: Option<Result<ApiKey, Error>>,
    base_url: Option<String>,
    timeout: Duration,
    max_retries: u32,
    max_csv_bytes: u64,
    max_json_bytes: u64,
    fetch: Option<js_sys::Function>,
    on_event: Option<js_sys::Function>,
}

impl ClientBuilder {
    fn with_key(key: Option<Result<ApiKey, Error>>) -> Self {
        ClientBuilder {
            key,
            base_url: None,
            timeout: options::DEFAULT_TIMEOUT,
            max_retries: options::DEFAULT_MAX_RETRIES,
            max_csv_bytes: options::DEFAULT_MAX_CSV_BYTES,
            max_json_bytes: options::DEFAULT_MAX_JSON_BYTES,
            fetch: None,
            on_event: None,
        }
    }

    /// The API's base URL: `https:`, or `http:` on `localhost`, `[::1]` or `127.x.x.x`
    /// (default `https://go-api.accessprotocol.co`).
    pub fn base_url(mut self, url: &str) -> Self {
        self.base_url = Some(url.to_owned());
        self
    }

    /// The default deadline of each call, covering all its attempts and waits, and of each
    /// request an export makes (default 30 s; 1 ms to 2,147,483,647 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a request is retried (default 2, at most 10). Which requests are retried
    /// on what is in `docs/behaviour.md`.
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

    /// The largest JSON answer a call accepts (pools, rewards, stats, `get`), in bytes (default
    /// 64 MiB, at most 536,870,888). `GET /user` keeps its own 1 MiB cap.
    pub fn max_json_bytes(mut self, bytes: u64) -> Self {
        self.max_json_bytes = bytes;
        self
    }

    /// A `fetch` to call instead of the global one (tests, proxies, instrumentation, a runtime's
    /// own): called as `fetch(request, { signal })` with a `Request` that has no credentials,
    /// follows no redirect and carries the key only in `Authorization`. Deadlines and aborts end
    /// a call at once even if it ignores the signal; whatever it returns or throws becomes an
    /// [`Error`].
    pub fn fetch(mut self, fetch: js_sys::Function) -> Self {
        self.fetch = Some(fetch);
        self
    }

    /// Told of each step of every call (that has no listener of its own): one plain object
    /// per step, `{ type, method, path, … }` with `type` `"request"` (`attempt`), `"response"`
    /// (`status`, `elapsedMs`, `bytes`), `"retry"` (`attempt`, `reason`, `status`, `waitMs`) or
    /// `"error"` (`kind`, `status`). Never a header, a body or the key; the path without its
    /// query. What it throws is ignored.
    pub fn on_event(mut self, listener: js_sys::Function) -> Self {
        self.on_event = Some(listener);
        self
    }

    /// Checks the options and builds the client. These are the only checks of a client's
    /// settings: the JS API hands its options to this builder, so both APIs refuse the same
    /// values with the same words.
    ///
    /// # Errors
    /// `invalid_key` for a key that cannot be a JWT; `invalid_argument` for a base URL that is
    /// not `https:` (or loopback `http:`), a timeout out of range, more than 10 retries or a
    /// CSV cap out of range.
    pub fn build(self) -> Result<Client, Error> {
        let key = self.key.transpose()?;
        let base_url = options::base_url(
            self.base_url
                .as_deref()
                .unwrap_or(options::DEFAULT_BASE_URL),
        )?;
        let timeout_ms = options::checked_ms(self.timeout, "the timeout")?;
        if self.max_retries > options::MAX_RETRIES_LIMIT {
            return Err(error::invalid_argument(
                "the number of retries must be from 0 to 10",
            ));
        }
        if !(1..=options::MAX_CSV_BYTES_LIMIT).contains(&self.max_csv_bytes) {
            return Err(error::invalid_argument(
                "the CSV cap must be from 1 to 536870888 bytes (the longest string every JavaScript engine holds)",
            ));
        }
        if !(1..=options::MAX_CSV_BYTES_LIMIT).contains(&self.max_json_bytes) {
            return Err(error::invalid_argument(
                "the JSON cap must be from 1 to 536870888 bytes (the longest string every JavaScript engine holds)",
            ));
        }
        Ok(Client {
            engine: Rc::new(Engine::new(
                key,
                base_url,
                timeout_ms,
                self.max_retries,
                self.max_csv_bytes,
                self.max_json_bytes,
                self.fetch,
                self.on_event,
            )),
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
        ClientBuilder::with_key(Some(api_key.into_api_key()))
    }

    /// A client without a key, for the public calls, with the default options. This is how a
    /// public web app uses the API: the docs say the key must never be in client-side code.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), access_creator_api::Error> {
    /// let client = access_creator_api::Client::public();
    /// let pools = client.pools().await?;
    /// # Ok(()) }
    /// ```
    pub fn public() -> Self {
        Self::public_builder()
            .build()
            .expect("the default options are valid")
    }

    /// A builder of a client without a key (see [`Client::public`]).
    pub fn public_builder() -> ClientBuilder {
        ClientBuilder::with_key(None)
    }

    /// Whether the client holds a key.
    pub fn has_key(&self) -> bool {
        self.engine.key.is_some()
    }

    /// The base URL calls go to, normalised (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.engine.base_url
    }

    /// What the calls run on.
    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }
}
