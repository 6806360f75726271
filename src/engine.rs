//! The engine under both APIs: one request path for every call (build or reuse the request,
//! send it, judge the answer, read its body under a cap), retried within the call's deadline,
//! and the export flow (request, poll, download) on top of it.
//!
//! [`crate::Client`] holds an [`Engine`]; the Rust request builders ([`crate::calls`]) and the
//! JS API ([`crate::js`]) collect a call's options and hand them to the methods here.

use std::cell::RefCell;

use gloo_net::http::Method;
use wasm_bindgen::prelude::*;

use crate::convert;
use crate::error::{self, Error, ErrorKind};
use crate::fetch::{self, json_parse, Body};
use crate::key::ApiKey;
use crate::model::{is_reference_id, ExportKind, User};
use crate::options::{self, CallOptions, ExportOptions, ExportPhase, ExportProgress};
use crate::records;
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
/// The most of a token supply answer (a decimal number as text) that is read.
const SUPPLY_BODY_CAP: u64 = 1024;

/// How a typed call's JSON becomes its records (`src/json.js`, from the tables of
/// [`crate::records`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shape {
    /// A list of records of this field table.
    List(&'static str),
    /// One record of this field table.
    Record(&'static str),
    /// An object of amounts (`"a"`) or counts (`"u"`).
    Map(&'static str),
}

/// What a `GET` call makes of its answer ([`Engine::read_with`]).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Read {
    /// JSON shaped into the records of a field table (the typed calls).
    Shaped(Shape),
    /// JSON as decoded, with exact big integers (`get`).
    Json,
    /// A decimal number as text, exact (the token supply).
    Decimal,
}

/// A client's settings, checked by [`crate::ClientBuilder`], and the requests it keeps.
pub(crate) struct Engine {
    /// `None` for a client without a key, which makes only the public calls.
    pub(crate) key: Option<ApiKey>,
    pub(crate) base_url: String,
    pub(crate) timeout_ms: u64,
    pub(crate) max_retries: u32,
    pub(crate) max_csv_bytes: u64,
    pub(crate) max_json_bytes: u64,
    /// The `fetch` the client calls instead of the global one.
    pub(crate) fetch: Option<js_sys::Function>,
    /// Told of each step of every call that has no `onEvent` of its own.
    pub(crate) on_event: Option<js_sys::Function>,
    /// The requests of `GET /user` and of `POST /file/{kind}` (by [`ExportKind::ALL`]'s
    /// order), each built once, when first sent.
    requests: RefCell<[Option<web_sys::Request>; 4]>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("key", &self.key)
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .field("max_csv_bytes", &self.max_csv_bytes)
            .field("max_json_bytes", &self.max_json_bytes)
            .finish_non_exhaustive()
    }
}

impl Engine {
    // One argument per client setting, from the one caller (`ClientBuilder::build`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        key: Option<ApiKey>,
        base_url: String,
        timeout_ms: u64,
        max_retries: u32,
        max_csv_bytes: u64,
        max_json_bytes: u64,
        fetch: Option<js_sys::Function>,
        on_event: Option<js_sys::Function>,
    ) -> Self {
        Engine {
            fetch,
            on_event,
            key,
            base_url,
            timeout_ms,
            max_retries,
            max_csv_bytes,
            max_json_bytes,
            requests: RefCell::default(),
        }
    }

    pub(crate) async fn user_with(&self, options: &CallOptions) -> Result<User, Error> {
        self.key()?;
        let scope = self.scope(options)?;
        let request = self.request(0, Method::GET, "/user")?;
        let text = self
            .send_retrying(
                &request,
                Method::GET,
                "/user",
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

    /// `GET {path}` (with the key when `auth` says so), its answer made into what `read` asks
    /// for: records shaped by a field table (missing and `null` fields as their empty values,
    /// unknown ones left out), the decoded JSON, or a decimal number's text; `invalid_response`
    /// when the answer is not that.
    pub(crate) async fn read_with(
        &self,
        path: &str,
        auth: bool,
        read: Read,
        options: &CallOptions,
    ) -> Result<JsValue, Error> {
        let shape = match read {
            Read::Json => return self.get_with(path, auth, true, options).await,
            Read::Decimal => {
                let text = self.get_with(path, auth, false, options).await?;
                return text
                    .as_string()
                    .map(|text| text.trim_ascii().to_owned())
                    .filter(|text| records::is_decimal(text))
                    .map(JsValue::from)
                    .ok_or_else(|| {
                        error::invalid_response("the token supply is not a decimal number")
                    });
            }
            Read::Shaped(shape) => shape,
        };
        let value = self.get_with(path, auth, true, options).await?;
        let shaped = match shape {
            Shape::List(table) => fetch::shape_list(&value, table),
            Shape::Record(table) => fetch::shape_record(&value, table),
            Shape::Map(kind) => fetch::shape_map(&value, kind),
        };
        shaped.map_err(|_| {
            error::invalid_response(
                "the answer does not have the documented field types (an amount must be a whole number from 0 to 2^64 - 1)",
            )
        })
    }

    pub(crate) async fn request_export_with(
        &self,
        kind: ExportKind,
        options: &CallOptions,
    ) -> Result<String, Error> {
        self.key()?;
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
        self.key()?;
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
        self.key()?;
        let timeout_ms = options::checked_ms(
            options
                .call
                .timeout
                .unwrap_or(options::DEFAULT_EXPORT_TIMEOUT),
            "the export's timeout",
        )?;
        let request_timeout_ms = match options.request_timeout {
            Some(timeout) => options::checked_ms(timeout, "the request timeout")?,
            None => self.timeout_ms,
        };
        let poll_interval_ms = options::checked_ms(options.poll_interval, "the poll interval")?;
        let export = Scope::new(timeout_ms, options.call.signal.as_ref())?;
        let listener = self.listener(&options.call);
        let step = || {
            Ok::<_, Error>(
                Scope::new(request_timeout_ms, Some(&export.signal()))?.listening(listener.clone()),
            )
        };
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
        let mut polls = retry::PollSchedule::new(poll_interval_ms);
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
        let path = cat(&["/file/", kind.as_str()]);
        let request = self.request(slot, Method::POST, &path)?;
        let text = self
            .send_retrying(
                &request,
                Method::POST,
                &path,
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
        let path = cat(&["/file/link/", reference_id]);
        let request = fetch::request(
            Method::GET,
            &cat(&[&self.base_url, &path]),
            Some(self.key()?),
        )?;
        match self
            .send_retrying(
                &request,
                Method::GET,
                &path,
                scope,
                self.max_csv_bytes,
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
    /// says so, after `Retry-After` (up to 10 s) or a jittered backoff. The scope's listener
    /// (`onEvent`) is told of each request, answer, retry and the final error; `path` names the
    /// request to it (its query left out, anything shaped like a token redacted).
    #[allow(clippy::too_many_arguments)]
    async fn send_retrying(
        &self,
        request: &web_sys::Request,
        method: Method,
        path: &str,
        scope: &Scope,
        cap: u64,
        body: Body,
        on_ready: &mut dyn FnMut(),
    ) -> Result<JsValue, Error> {
        let steps = Steps::new(scope.listener(), &method, path, self.secret());
        let mut retries = 0;
        loop {
            steps.tell("request", &[("attempt", f64::from(retries + 1).into())]);
            let started = now_ms();
            let failure = match self.attempt(request, scope, cap, body, on_ready).await {
                Ok((file, status, bytes)) => {
                    steps.answered(Some(status), started, Some(bytes));
                    return Ok(file);
                }
                Err(e) => e,
            };
            if let Some(status) = failure.status() {
                steps.answered(Some(status), started, None);
            }
            let wait = if !retryable(&method, &failure) || retries >= self.max_retries {
                None
            } else {
                match failure.retry_after_ms() {
                    Some(asked) if asked > retry::MAX_RETRY_AFTER_MS => None,
                    Some(asked) => Some(asked),
                    None => Some(retry::backoff_ms(retries, random())),
                }
                .filter(|wait| *wait < scope.remaining_ms())
            };
            let Some(wait) = wait else {
                // A download's 404 is its answer ("not ready yet"), not a failure.
                let absent = failure.status() == Some(404) && path.starts_with("/file/link/");
                if !absent {
                    steps.failed(&failure);
                }
                return Err(failure);
            };
            steps.tell(
                "retry",
                &[
                    ("attempt", f64::from(retries + 1).into()),
                    ("reason", failure.kind().as_str().into()),
                    (
                        "status",
                        failure.status().map_or(JsValue::NULL, |s| s.into()),
                    ),
                    ("waitMs", (wait as f64).into()),
                ],
            );
            if let Err(error) = scope.sleep(wait).await {
                steps.failed(&error);
                return Err(error);
            }
            retries += 1;
        }
    }

    /// One request: send it (with the client's `fetch`, or the global one) and judge the answer
    /// ([`Engine::answer`]); an error from an answer carries its headers.
    async fn attempt(
        &self,
        request: &web_sys::Request,
        scope: &Scope,
        cap: u64,
        body: Body,
        on_ready: &mut dyn FnMut(),
    ) -> Result<(JsValue, u16, f64), Error> {
        let secret = Some(self.secret());
        let head = fetch::send(request, scope, secret, self.fetch.as_ref()).await?;
        self.answer(&head, scope, cap, body, on_ready)
            .await
            .map_err(|error| match error.kind() {
                // A deadline, a cancel or a dropped connection is not the answer's.
                ErrorKind::Timeout | ErrorKind::Aborted | ErrorKind::Network => error,
                _ => error.with_headers(fetch::headers(&head, self.secret())),
            })
    }

    /// What an answer means: its error (with the server's message and `Retry-After`) for a
    /// redirect or a non-2xx status, a refusal for an HTML page, else its body within `cap`.
    async fn answer(
        &self,
        head: &fetch::Head,
        scope: &Scope,
        cap: u64,
        body: Body,
        on_ready: &mut dyn FnMut(),
    ) -> Result<(JsValue, u16, f64), Error> {
        let status = head.status();
        if fetch::is_redirect(head) {
            fetch::discard(head);
            return Err(error::redirected(status));
        }
        if !(200..300).contains(&status) {
            let retry_after = fetch::header(head, "retry-after")
                .map(|value| retry::retry_after_ms(&value, wall_clock_ms()));
            let said = if status == 404 {
                fetch::discard(head);
                None
            } else {
                fetch::server_message(head, scope).await?
            };
            return Err(
                error::status(status, said.as_deref(), self.secret()).with_retry_after(retry_after)
            );
        }
        if fetch::is_html(head) {
            fetch::discard(head);
            return Err(error::invalid_response(
                "the answer is an HTML page, not the API's (a proxy, a captive portal or a wrong base URL?)",
            ));
        }
        on_ready();
        let (file, bytes) = fetch::read_body(head, cap, body, scope).await?;
        scope.finish();
        Ok((file, status, bytes))
    }

    fn scope(&self, options: &CallOptions) -> Result<Scope, Error> {
        let timeout_ms = match options.timeout {
            Some(timeout) => options::checked_ms(timeout, "the call's timeout")?,
            None => self.timeout_ms,
        };
        Ok(Scope::new(timeout_ms, options.signal.as_ref())?.listening(self.listener(options)))
    }

    /// Who is told of a call's steps: the call's `onEvent`, else the client's.
    fn listener(&self, options: &CallOptions) -> Option<js_sys::Function> {
        options.on_event.clone().or_else(|| self.on_event.clone())
    }

    /// The request of a fixed endpoint, built when first needed and kept (see
    /// [`fetch::request`]).
    fn request(&self, slot: usize, method: Method, path: &str) -> Result<web_sys::Request, Error> {
        let mut requests = self.requests.borrow_mut();
        // `Clone::clone`: the handle, not `Request.prototype.clone`.
        if let Some(request) = &requests[slot] {
            return Ok(Clone::clone(request));
        }
        let url = cat(&[&self.base_url, path]);
        let request = fetch::request(method, &url, Some(self.key()?))?;
        requests[slot] = Some(Clone::clone(&request));
        Ok(request)
    }

    /// The key, or the error of a keyed call from a client without one.
    fn key(&self) -> Result<&ApiKey, Error> {
        self.key.as_ref().ok_or_else(|| {
            error::invalid_key("this call needs the API key, and the client was made without one")
        })
    }

    /// What no error text may hold: the key, or nothing for a client without one.
    pub(crate) fn secret(&self) -> &str {
        self.key.as_ref().map_or("", ApiKey::expose)
    }

    /// `GET {path}`: the answer's JSON, decoded by `src/json.js` (integers beyond ±(2^53 − 1)
    /// as `BigInt`s), or its text (`json: false`). The key is sent only when `auth` says so.
    pub(crate) async fn get_with(
        &self,
        path: &str,
        auth: bool,
        json: bool,
        options: &CallOptions,
    ) -> Result<JsValue, Error> {
        let key = if auth { Some(self.key()?) } else { None };
        // A key never goes in a URL (`get` takes the caller's path): servers and proxies log
        // them.
        if !error::clean(path, Some(self.secret()).filter(|s| !s.is_empty())) {
            return Err(error::invalid_argument(
                "the path holds something shaped like an API key, which never goes in a URL",
            ));
        }
        let scope = self.scope(options)?;
        let request = fetch::request(Method::GET, &cat(&[&self.base_url, path]), key)?;
        let cap = if json {
            self.max_json_bytes
        } else {
            SUPPLY_BODY_CAP
        };
        let text = self
            .send_retrying(
                &request,
                Method::GET,
                path,
                &scope,
                cap,
                Body::Text,
                &mut || {},
            )
            .await?;
        if !json {
            return Ok(text);
        }
        fetch::parse_json(text.unchecked_ref())
            .map_err(|_| error::invalid_response("the answer is not valid JSON"))
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

/// Who is told of a call's steps (`onEvent`), and how the request is named to them: its method,
/// and its path without the query, each segment shaped like a token redacted. Never a header,
/// a body or the key.
struct Steps<'a> {
    listener: Option<&'a js_sys::Function>,
    method: &'static str,
    path: String,
}

impl<'a> Steps<'a> {
    fn new(
        listener: Option<&'a js_sys::Function>,
        method: &Method,
        path: &str,
        secret: &str,
    ) -> Self {
        let path = match listener {
            None => String::new(),
            Some(_) => {
                let route = path.split('?').next().unwrap_or_default();
                let mut shown = String::with_capacity(route.len());
                for (i, segment) in route.split('/').enumerate() {
                    if i > 0 {
                        shown.push('/');
                    }
                    shown.push_str(&error::sanitize_server_message(segment, secret));
                }
                shown
            }
        };
        let method = if *method == Method::POST {
            "POST"
        } else {
            "GET"
        };
        Steps {
            listener,
            method,
            path,
        }
    }

    fn tell(&self, kind: &str, fields: &[(&str, JsValue)]) {
        if let Some(listener) = self.listener {
            let list = js_sys::Array::new();
            for (name, value) in fields {
                list.push(&JsValue::from_str(name));
                list.push(value);
            }
            fetch::emit(listener, kind, self.method, &self.path, &list);
        }
    }

    fn answered(&self, status: Option<u16>, started: f64, bytes: Option<f64>) {
        self.tell(
            "response",
            &[
                ("status", status.map_or(JsValue::NULL, |s| s.into())),
                ("elapsedMs", (now_ms() - started).max(0.0).into()),
                ("bytes", bytes.map_or(JsValue::NULL, JsValue::from)),
            ],
        );
    }

    fn failed(&self, error: &Error) {
        self.tell(
            "error",
            &[
                ("kind", error.kind().as_str().into()),
                ("status", error.status().map_or(JsValue::NULL, |s| s.into())),
            ],
        );
    }
}
