//! The fetch wrapper: all of the crate's I/O. One function sends one request; the others read
//! an answer's body within a byte cap.
//!
//! It binds the global `fetch`, not `window.fetch`, so it runs in a page, a Web Worker and
//! Node ≥ 18 alike. A rejected promise can hold any value: every one becomes an [`Error`], never
//! a panic.

use gloo_net::http::{Method, RequestBuilder, Response};
use js_sys::{JsString, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, ReadableStreamDefaultReader, RequestCredentials, RequestRedirect,
    ResponseType, TextDecodeOptions, TextDecoderOptions,
};

use crate::error::{self, Error};
use crate::key::ApiKey;
use crate::scope::Scope;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, bound with `catch`: whatever it throws or rejects with (a test suite's
    /// replacement can reject with a string, `null`, anything) becomes an [`Error`]. gloo-net's
    /// own `send()` is not used, because it panics on a rejection that is not an `Error` and on an
    /// answer that is not a `Response`, and a panic here would leave the caller's promise pending
    /// forever.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn fetch_request(request: &web_sys::Request) -> Result<JsValue, JsValue>;
    /// A `ReadableStream`, bound here for a `getReader()` that may throw (a locked stream).
    type Stream;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &Stream) -> Result<ReadableStreamDefaultReader, JsValue>;
    /// A `TextDecoder`, bound here so that text stays a JS string (web-sys's `decode` copies
    /// every chunk into wasm memory and back).
    #[wasm_bindgen(js_name = TextDecoder)]
    type Decoder;
    #[wasm_bindgen(constructor, js_class = TextDecoder, catch)]
    fn new(label: &str, options: &TextDecoderOptions) -> Result<Decoder, JsValue>;
    #[wasm_bindgen(method, js_class = TextDecoder, catch)]
    fn decode(
        this: &Decoder,
        bytes: &Uint8Array,
        options: &TextDecodeOptions,
    ) -> Result<JsString, JsValue>;
    /// A JS string, bound here for a `concat` that throws a `RangeError` past the engine's
    /// longest string (2^29 - 24 UTF-16 units in V8).
    type Text;
    #[wasm_bindgen(method, catch)]
    fn concat(this: &Text, other: &JsString) -> Result<JsString, JsValue>;
    /// `JSON.parse` on a JS string, which stays in JS (no copy through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// The most of an error answer's body that is read, looking for the server's message.
const ERROR_BODY_CAP: u64 = 4 * 1024;

/// Sends one request with the key, as the documented curl examples do, and waits for the
/// answer's head.
///
/// The request is built with gloo-net's [`RequestBuilder`]: credentials (cookies) are never
/// sent, and redirects are not followed (`redirect: "manual"`: the documented endpoints never
/// redirect, so a redirect is reported as an error and the key never travels further). The
/// `Authorization` value cannot make the builder throw: [`ApiKey::parse`] admits only
/// base64url characters and dots. The only signal `fetch` sees is the scope's own, which is
/// always aborted with a `DOMException`.
///
/// # Errors
/// `network` when no HTTP answer came, `invalid_response` when `fetch` resolved to something
/// that is not a `Response`, or the scope's `timeout` / `aborted`.
pub(crate) async fn send(
    method: Method,
    url: &str,
    key: &ApiKey,
    scope: &Scope,
) -> Result<Response, Error> {
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
        .abort_signal(Some(&scope.signal()))
        .build()
        .map_err(|_| error::invalid_argument("the request could not be built from the base URL"))?;
    let request = web_sys::Request::from(request);
    let fail = |rejection| scope.explain(error::network().with_cause(rejection));
    // `Promise.resolve`: a replaced `fetch` may return anything, not always a promise.
    let answer = JsFuture::from(Promise::resolve(&fetch_request(&request).map_err(fail)?))
        .await
        .map_err(fail)?;
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
/// bytes. See [`read_text`].
pub(crate) async fn read_body(
    response: &Response,
    cap: u64,
    body: Body,
    scope: &Scope,
) -> Result<JsValue, Error> {
    match body {
        Body::Text => read_text(response, cap, scope).await.map(JsValue::from),
        Body::Blob => read_blob(response, cap, scope).await.map(JsValue::from),
    }
}

/// What to do with a body longer than its cap.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Overflow {
    /// Refuse it with `too_large`. For data: decoded strictly, so bytes that are not UTF-8 are
    /// `invalid_response` rather than silently replaced.
    Refuse,
    /// Keep what fits and stop reading. For an error answer's message: decoded leniently.
    Cut,
}

/// Reads the whole body as text, failing with `too_large` as soon as it passes `cap` bytes,
/// and with `invalid_response` if it is not UTF-8.
///
/// The body is always streamed and its decoded bytes counted, so reading stops at the cap
/// whatever the headers say: `Content-Length` counts the *encoded* bytes (a gzip-encoded body
/// can be a thousand times longer), so it is used only to refuse an oversized body before a byte
/// of it is read.
async fn read_text(response: &Response, cap: u64, scope: &Scope) -> Result<JsString, Error> {
    if content_length(response).is_some_and(|length| length > cap) {
        discard(response);
        return Err(error::too_large(cap));
    }
    read(response, cap, Overflow::Refuse, scope).await
}

async fn read(
    response: &Response,
    cap: u64,
    overflow: Overflow,
    scope: &Scope,
) -> Result<JsString, Error> {
    let not_utf8 = || error::invalid_response("the answer is not UTF-8 text");
    let Some(body) = response.body() else {
        return Ok(JsString::from(""));
    };
    let reader = body
        .unchecked_ref::<Stream>()
        .get_reader()
        .map_err(|_| error::invalid_response("the answer's body was already read"))?;
    let strict = TextDecoderOptions::new();
    strict.set_fatal(overflow == Overflow::Refuse);
    let decoder = Decoder::new("utf-8", &strict).map_err(|_| not_utf8())?;
    let streaming = TextDecodeOptions::new();
    streaming.set_stream(true);
    let mut text = JsString::from("");
    let mut room = cap;
    while let Some(mut bytes) = next_chunk(&reader, scope).await? {
        let length = u64::from(bytes.length());
        let full = length > room;
        if full {
            ignore(reader.cancel());
            if overflow == Overflow::Refuse {
                return Err(error::too_large(cap));
            }
            bytes = bytes.subarray(0, room as u32);
        }
        room -= length.min(room);
        let part = decoder.decode(&bytes, &streaming).map_err(|_| not_utf8())?;
        text = append(&text, &part, cap)?;
        if full {
            break;
        }
    }
    let rest = decoder
        .decode(&Uint8Array::new_with_length(0), &TextDecodeOptions::new())
        .map_err(|_| not_utf8())?;
    append(&text, &rest, cap)
}

/// Reads the whole body into a `Blob`, chunk by chunk, failing with `too_large` as soon as it
/// passes `cap` bytes: the bytes are never decoded, copied into wasm memory or joined into one
/// string.
async fn read_blob(response: &Response, cap: u64, scope: &Scope) -> Result<Blob, Error> {
    if content_length(response).is_some_and(|length| length > cap) {
        discard(response);
        return Err(error::too_large(cap));
    }
    let chunks = js_sys::Array::new();
    if let Some(body) = response.body() {
        let reader = body
            .unchecked_ref::<Stream>()
            .get_reader()
            .map_err(|_| error::invalid_response("the answer's body was already read"))?;
        let mut total = 0u64;
        while let Some(bytes) = next_chunk(&reader, scope).await? {
            total += u64::from(bytes.length());
            if total > cap {
                ignore(reader.cancel());
                return Err(error::too_large(cap));
            }
            chunks.push(&bytes);
        }
    }
    let csv = BlobPropertyBag::new();
    csv.set_type("text/csv");
    Blob::new_with_u8_array_sequence_and_options(&chunks, &csv).map_err(|_| error::too_large(cap))
}

/// The next chunk of a body, `None` at its end.
async fn next_chunk(
    reader: &ReadableStreamDefaultReader,
    scope: &Scope,
) -> Result<Option<Uint8Array>, Error> {
    let chunk = JsFuture::from(reader.read())
        .await
        .map_err(|rejection| scope.explain(error::network().with_cause(rejection)))?;
    if Reflect::get(&chunk, &JsValue::from_str("done"))
        .ok()
        .and_then(|d| d.as_bool())
        .unwrap_or(true)
    {
        return Ok(None);
    }
    Reflect::get(&chunk, &JsValue::from_str("value"))
        .ok()
        .and_then(|v| v.dyn_into().ok())
        .map(Some)
        .ok_or_else(|| error::invalid_response("the answer's body is not bytes"))
}

/// `text + part`, or `too_large` where the engine cannot hold so long a string.
fn append(text: &JsString, part: &JsString, cap: u64) -> Result<JsString, Error> {
    text.unchecked_ref::<Text>()
        .concat(part)
        .map_err(|_| error::too_large(cap))
}

/// Reads the first KiB of an error answer for the server's own message: the `message` or
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
    let text = match read(response, ERROR_BODY_CAP, Overflow::Cut, scope).await {
        Ok(text) => text,
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
