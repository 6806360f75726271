//! The fetch wrapper: all of the crate's I/O. Requests are built with gloo-net, once per
//! endpoint; sending one and reading an answer's body within a byte cap happen in `src/io.js`
//! (one promise each, where `fetch` and the stream are), and what the answer means is decided
//! here.
//!
//! It uses the global `fetch`, not `window.fetch`, so it runs in a page, a Web Worker and
//! Node ≥ 18 alike. A rejected promise can hold any value: every one becomes an [`Error`], never
//! a panic.

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::{JsString, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCredentials, RequestRedirect, ResponseType};

use crate::error::{self, Error};
use crate::key::ApiKey;
use crate::scope::Scope;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` on a JS string, which stays in JS (no copy through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    /// `fetch(request, { signal })`, as a promise that never throws (see `src/io.js`).
    #[wasm_bindgen(js_name = send)]
    fn send_js(request: &web_sys::Request, signal: &AbortSignal) -> Promise;
    /// Reads a body within a cap, in one promise (see `src/io.js`).
    #[wasm_bindgen(js_name = readBody)]
    fn read_body_js(body: &JsValue, cap: f64, mode: u32) -> Promise;
    #[wasm_bindgen(thread_local_v2, js_name = TOO_LARGE)]
    static TOO_LARGE: JsValue;
    #[wasm_bindgen(thread_local_v2, js_name = NOT_UTF8)]
    static NOT_UTF8: JsValue;
}

/// The most of an error answer's body that is read, looking for the server's message.
const ERROR_BODY_CAP: u64 = 4 * 1024;

/// Builds the request of one endpoint with the key, as the documented curl examples do, with
/// gloo-net's [`RequestBuilder`]: credentials (cookies) are never sent, and redirects are not
/// followed (`redirect: "manual"`: the documented endpoints never redirect, so a redirect is
/// reported as an error and the key never travels further). The `Authorization` value cannot
/// make the builder throw: [`ApiKey::parse`] admits only base64url characters and dots.
///
/// A request has no body, so it can be sent any number of times: a client builds each of its
/// requests once and [`send`]s it with each call's own signal. (Building one costs two `Request`
/// objects, a `URL` and a `Headers`; a call that built its own would spend a fifth of its time
/// there.)
///
/// # Errors
/// `invalid_argument` if the runtime refuses the URL.
pub(crate) fn request(method: Method, url: &str, key: &ApiKey) -> Result<web_sys::Request, Error> {
    let mut authorization = String::with_capacity(7 + key.expose().len());
    authorization.push_str("Bearer ");
    authorization.push_str(key.expose());
    let request = RequestBuilder::new(url)
        .method(method)
        .header("Authorization", &authorization)
        // No request has a body, so no `Content-Type`: `Accept` is CORS-safelisted, and the
        // API's CORS allow-list need not name it.
        .header("Accept", "application/json")
        .credentials(RequestCredentials::Omit)
        .redirect(RequestRedirect::Manual)
        .build()
        .map_err(|_| error::invalid_argument("the request could not be built from the base URL"))?;
    Ok(request.into())
}

/// Sends `request` with the scope's signal and waits for the answer's head. The only signal
/// `fetch` sees is the scope's own, which is always aborted with an `Error`.
///
/// # Errors
/// `network` when no HTTP answer came, `invalid_response` when `fetch` resolved to something
/// that is not a `Response`, or the scope's `timeout` / `aborted`.
pub(crate) async fn send(request: &web_sys::Request, scope: &Scope) -> Result<Response, Error> {
    let answer = JsFuture::from(send_js(request, &scope.signal()))
        .await
        .map_err(|rejection| scope.explain(error::network().with_cause(rejection)))?;
    let response = answer
        .dyn_into::<web_sys::Response>()
        .map_err(|_| error::invalid_response("fetch did not answer with a Response"))?;
    Ok(Response::from(response))
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
pub(crate) async fn read_body(
    response: &Response,
    cap: u64,
    body: Body,
    scope: &Scope,
) -> Result<JsValue, Error> {
    if content_length(response).is_some_and(|length| length > cap) {
        discard(response);
        return Err(error::too_large(cap));
    }
    let mode = match body {
        Body::Text => TEXT,
        Body::Blob => BLOB,
    };
    read(response, cap, mode, scope).await
}

/// The modes of `readBody`.
const TEXT: u32 = 0;
const CUT: u32 = 1;
const BLOB: u32 = 2;

async fn read(response: &Response, cap: u64, mode: u32, scope: &Scope) -> Result<JsValue, Error> {
    let body = response.body().map_or(JsValue::NULL, JsValue::from);
    JsFuture::from(read_body_js(&body, cap as f64, mode))
        .await
        .map_err(|rejection| {
            if TOO_LARGE.with(|marker| rejection == *marker) {
                error::too_large(cap)
            } else if NOT_UTF8.with(|marker| rejection == *marker) {
                error::invalid_response("the answer is not UTF-8 text")
            } else {
                scope.explain(error::network().with_cause(rejection))
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
pub(crate) async fn server_message(
    response: &Response,
    scope: &Scope,
) -> Result<Option<String>, Error> {
    if is_html(response) {
        discard(response);
        return Ok(None);
    }
    let text: JsString = match read(response, ERROR_BODY_CAP, CUT, scope).await {
        Ok(text) => text.unchecked_into(),
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

/// A response header's value.
pub(crate) fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name)
}

/// Whether the answer says it is an HTML page (a proxy's or captive portal's, not the API's).
pub(crate) fn is_html(response: &Response) -> bool {
    header(response, "content-type")
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

/// Whether the answer is a redirect, which is not followed. Browsers hide it behind an
/// "opaqueredirect" response with status 0; Node shows the 3xx itself.
pub(crate) fn is_redirect(response: &Response) -> bool {
    response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&response.status())
}

/// Lets go of a body that will not be read, so the connection can be reused or closed.
pub(crate) fn discard(response: &Response) {
    if let Some(body) = response.body() {
        ignore(body.cancel());
    }
}

thread_local! {
    /// The handler of promises whose outcome does not matter: without one, a rejection is
    /// "unhandled", which ends a Node process.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// Handles `promise`'s rejection by doing nothing.
fn ignore(promise: Promise) {
    IGNORE.with(|handler| {
        let _ = promise.catch(handler);
    });
}

fn content_length(response: &Response) -> Option<u64> {
    header(response, "content-length")?.trim().parse().ok()
}
