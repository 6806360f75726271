//! The fetch wrapper: all of the crate's I/O. Requests are built with gloo-net, once per
//! endpoint; sending one and reading an answer's body within a byte cap happen in `src/io.js`
//! (one promise each, where `fetch` and the stream are), and what the answer means is decided
//! here.
//!
//! It uses the global `fetch`, not `window.fetch`, so it runs in a page, a Web Worker and
//! Node ≥ 18 alike. A rejected promise can hold any value: every one becomes an [`Error`], never
//! a panic.

use gloo_net::http::{Method, RequestBuilder};
use js_sys::{JsString, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestCredentials, RequestRedirect};

use crate::error::{self, Error};
use crate::key::ApiKey;
use crate::scope::Scope;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, which stays in JS (no copy through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/json.js")]
extern "C" {
    /// `JSON.parse` with integers beyond ±(2^53 − 1) as `BigInt`s (see `src/json.js`).
    #[wasm_bindgen(js_name = parseJson, catch)]
    pub(crate) fn parse_json(text: &JsString) -> Result<JsValue, JsValue>;
    /// The records of a field table (`src/records.rs`); throws for a value that is not one.
    #[wasm_bindgen(js_name = shapeList, catch)]
    pub(crate) fn shape_list(value: &JsValue, table: &str) -> Result<JsValue, JsValue>;
    /// One record of a field table; throws for a value that is not one.
    #[wasm_bindgen(js_name = shapeRecord, catch)]
    pub(crate) fn shape_record(value: &JsValue, table: &str) -> Result<JsValue, JsValue>;
    /// An object of amounts (`"a"`) or counts (`"u"`), its keys as sent; throws otherwise.
    #[wasm_bindgen(js_name = shapeMap, catch)]
    pub(crate) fn shape_map(value: &JsValue, kind: &str) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    /// Tells a listener of a call's step (see `src/io.js`); never throws.
    pub(crate) fn emit(
        listener: &js_sys::Function,
        kind: &str,
        method: &str,
        path: &str,
        fields: &js_sys::Array,
    );
    /// `fetch(request, { signal })`, raced against the signal, resolving to a [`Head`]; a
    /// promise that never throws (see `src/io.js`).
    #[wasm_bindgen(js_name = send)]
    fn send_js(request: &web_sys::Request, signal: &AbortSignal, fetch: &JsValue) -> Promise;
    /// The answer's headers as `[name, value, …]` (see `src/io.js`).
    #[wasm_bindgen(js_name = headerList)]
    fn header_list(head: &Head) -> js_sys::Array;
    /// Reads a body within a cap, in one promise raced against the signal (see `src/io.js`).
    #[wasm_bindgen(js_name = readBody)]
    fn read_body_js(
        body: &JsValue,
        cap: f64,
        mode: ReadMode,
        signal: &AbortSignal,
        meter: &js_sys::Object,
    ) -> Promise;
    /// A header of the answer, or `None`.
    #[wasm_bindgen(js_name = header)]
    fn header_js(head: &Head, name: &str) -> Option<String>;
    /// Cancels a body that will not be read.
    #[wasm_bindgen(js_name = discardBody)]
    fn discard_body(body: &JsValue);
    #[wasm_bindgen(thread_local_v2, js_name = TOO_LARGE)]
    static TOO_LARGE: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = NOT_UTF8)]
    static NOT_UTF8: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = NOT_RESPONSE)]
    static NOT_RESPONSE: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = NO_STORE)]
    static NO_STORE: JsValue;

    /// The head of an answer, as `send` read it from the `Response` through the platform's own
    /// getters: a plain object of `src/io.js`'s, so reading it runs no code of anyone else's.
    pub(crate) type Head;
    /// The HTTP status (0 for a redirect a browser hides).
    #[wasm_bindgen(method, getter)]
    pub(crate) fn status(this: &Head) -> u16;
    /// Whether the answer is a redirect a browser hid (`type: "opaqueredirect"`).
    #[wasm_bindgen(method, getter)]
    fn redirect(this: &Head) -> bool;
    /// Whether the answer says it is an HTML page (a proxy's or captive portal's).
    #[wasm_bindgen(method, getter)]
    fn html(this: &Head) -> bool;
    /// `Content-Length` as a number, or -1.
    #[wasm_bindgen(method, getter)]
    fn length(this: &Head) -> f64;
    /// The body's stream, or `null`.
    #[wasm_bindgen(method, getter)]
    fn body(this: &Head) -> JsValue;
}

/// The most of an error answer's body that is read, looking for the server's message.
const ERROR_BODY_CAP: u64 = 4 * 1024;

/// Builds the request of one endpoint, with the key where the documented curl examples send it
/// (`key: None` for a public call: no `Authorization` at all), with
/// gloo-net's [`RequestBuilder`]: credentials (cookies) are never sent, redirects are not
/// followed (`redirect: "manual"`: the documented endpoints never redirect, so a redirect is
/// reported as an error and the key never travels further), and nothing is stored in or
/// answered from the HTTP cache (`cache: "no-store"`: a creator's data must not stay on disk,
/// and an export's polls must reach the API; runtimes whose `Request` refuses the option, which
/// have no HTTP cache, build it without). The `Authorization` value cannot make the builder
/// throw: [`ApiKey::parse`] admits only base64url characters and dots.
///
/// A request has no body, so it can be sent any number of times: a client builds each of its
/// requests once and [`send`]s it with each call's own signal. (Building one costs two `Request`
/// objects, a `URL` and a `Headers`; a call that built its own would spend a fifth of its time
/// there.)
///
/// # Errors
/// `invalid_argument` if the runtime refuses the URL.
pub(crate) fn request(
    method: Method,
    url: &str,
    key: Option<&ApiKey>,
) -> Result<web_sys::Request, Error> {
    let mut builder = RequestBuilder::new(url).method(method);
    if let Some(key) = key {
        let mut authorization = String::with_capacity(7 + key.expose().len());
        authorization.push_str("Bearer ");
        authorization.push_str(key.expose());
        builder = builder.header("Authorization", &authorization);
    }
    let mut builder = builder
        // No request has a body, so no `Content-Type`: `Accept` is CORS-safelisted, and the
        // API's CORS allow-list need not name it.
        .header("Accept", "application/json")
        .credentials(RequestCredentials::Omit)
        .redirect(RequestRedirect::Manual);
    if NO_STORE.with(JsValue::is_truthy) {
        builder = builder.cache(RequestCache::NoStore);
    }
    let request = builder
        .build()
        .map_err(|_| error::invalid_argument("the request could not be built from the base URL"))?;
    Ok(request.into())
}

/// Sends `request` with the scope's signal and waits for the answer's head. The only signal
/// `fetch` sees is the scope's own, which is always aborted with an `Error`; the wait ends when
/// it aborts, whether or not `fetch` honours it.
///
/// # Errors
/// `network` when no HTTP answer came (its cause a copy of what `fetch` rejected with, with
/// nothing of `secret`), `invalid_response` when `fetch` resolved to something that is not a
/// `Response`, or the scope's `timeout` / `aborted`.
pub(crate) async fn send(
    request: &web_sys::Request,
    scope: &Scope,
    secret: Option<&str>,
    fetch: Option<&js_sys::Function>,
) -> Result<Head, Error> {
    let fetch = fetch.map_or(JsValue::UNDEFINED, |f| f.clone().into());
    JsFuture::from(send_js(request, &scope.signal(), &fetch))
        .await
        .map(JsCast::unchecked_into)
        .map_err(|rejection| {
            if NOT_RESPONSE.with(|marker| rejection == *marker) {
                error::invalid_response("fetch did not answer with a Response")
            } else {
                scope.explain(error::network().with_cause(rejection, secret))
            }
        })
}

/// How a body is handed over.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Body {
    /// As a JS string, decoded strictly as UTF-8.
    Text,
    /// As a `Blob` of exactly the bytes that arrived, typed `text/csv` whatever the answer said
    /// (a `Blob` typed `text/html` would be a page in the caller's origin once given a URL).
    Blob,
}

/// Reads the whole body as `body` asks, failing with `too_large` as soon as it passes `cap`
/// bytes, and with `invalid_response` if text is not UTF-8.
///
/// The body is always streamed and its bytes counted as they arrive, decoded, so reading stops
/// at the cap whatever the headers say: `Content-Length` counts the *encoded* bytes (a
/// gzip-encoded body can be a thousand times longer), so it is used only to refuse an oversized
/// body before a byte of it is read.
/// Also gives how many bytes arrived.
pub(crate) async fn read_body(
    head: &Head,
    cap: u64,
    body: Body,
    scope: &Scope,
) -> Result<(JsValue, f64), Error> {
    if head.length() > cap as f64 {
        discard(head);
        return Err(error::too_large(cap));
    }
    let mode = match body {
        Body::Text => ReadMode::Text,
        Body::Blob => ReadMode::Blob,
    };
    read(head, cap, mode, scope).await
}

/// How `readBody` (`src/io.js`) hands a body over. A string enum: JavaScript sees `"text"`,
/// `"cut"` or `"blob"`.
#[wasm_bindgen]
#[derive(Clone, Copy)]
enum ReadMode {
    /// UTF-8 text, decoded strictly; more than the cap is `TOO_LARGE`.
    Text = "text",
    /// UTF-8 text, decoded leniently, cut at the cap (an error answer's message).
    Cut = "cut",
    /// A `Blob` of the bytes as they came, typed `text/csv`; more than the cap is `TOO_LARGE`.
    Blob = "blob",
}

async fn read(
    head: &Head,
    cap: u64,
    mode: ReadMode,
    scope: &Scope,
) -> Result<(JsValue, f64), Error> {
    let meter = js_sys::Object::new();
    JsFuture::from(read_body_js(
        &head.body(),
        cap as f64,
        mode,
        &scope.signal(),
        &meter,
    ))
    .await
    .map(|value| {
        let bytes = Reflect::get(&meter, &JsValue::from_str("bytes"))
            .ok()
            .and_then(|b| b.as_f64())
            .unwrap_or(0.0);
        (value, bytes)
    })
    .map_err(|rejection| {
        if TOO_LARGE.with(|marker| rejection == *marker) {
            error::too_large(cap)
        } else if NOT_UTF8.with(|marker| rejection == *marker) {
            error::invalid_response("the answer is not UTF-8 text")
        } else {
            // A dropped connection: its cause names nothing of the request.
            scope.explain(error::network().with_cause(rejection, None))
        }
    })
}

/// Reads the first 4 KiB of an error answer for the server's own message: the `message` or
/// `error` field of a JSON object, or the text of any other body (cut at [`ERROR_BODY_CAP`]
/// bytes). HTML pages say nothing useful and are skipped.
///
/// # Errors
/// The scope's `timeout` or `aborted` when it ends while the body is read: a deadline or a
/// cancel is never swallowed. Any other failure only costs the message (`Ok(None)`).
pub(crate) async fn server_message(head: &Head, scope: &Scope) -> Result<Option<String>, Error> {
    if head.html() {
        discard(head);
        return Ok(None);
    }
    let text: JsString = match read(head, ERROR_BODY_CAP, ReadMode::Cut, scope).await {
        Ok((text, _)) => text.unchecked_into(),
        Err(e) if scope.abort_error().is_some() => return Err(e),
        Err(_) => return Ok(None),
    };
    Ok(match json_parse(&text) {
        Ok(json) if json.is_object() => ["message", "error"].iter().find_map(|field| {
            Reflect::get(&json, &JsValue::from_str(field))
                .ok()?
                .as_string()
        }),
        Ok(json) => json.as_string(),
        Err(_) => Some(String::from(&text)),
    })
}

/// The answer's headers for an error: lower-case names, no `set-cookie`, at most 64, each value
/// cleaned of anything shaped like a token or a piece of `secret`, then cut to 160 characters
/// (as a server's message is).
pub(crate) fn headers(head: &Head, secret: &str) -> Vec<(String, String)> {
    let list = header_list(head);
    let text = |i: u32| list.get(i).as_string().unwrap_or_default();
    (0..list.length() / 2)
        .map(|i| {
            // Redacted, then cut to 160 characters, as a server's message is: a cut never
            // leaves a piece of a token behind.
            let value = error::sanitize_server_message(&text(2 * i + 1), secret);
            (text(2 * i), value)
        })
        .collect()
}

/// A response header's value.
pub(crate) fn header(head: &Head, name: &str) -> Option<String> {
    header_js(head, name)
}

/// Whether the answer says it is an HTML page (a proxy's or captive portal's, not the API's).
pub(crate) fn is_html(head: &Head) -> bool {
    head.html()
}

/// Whether the answer is a redirect, which is not followed. Browsers hide it behind an
/// "opaqueredirect" response with status 0; Node shows the 3xx itself. Only the statuses
/// `fetch` would follow are redirects: a 304 (the client never makes a conditional request) or
/// a 300 is an ordinary error answer.
pub(crate) fn is_redirect(head: &Head) -> bool {
    head.redirect() || matches!(head.status(), 301 | 302 | 303 | 307 | 308)
}

/// Lets go of a body that will not be read, so the connection can be reused or closed.
pub(crate) fn discard(head: &Head) {
    discard_body(&head.body());
}
