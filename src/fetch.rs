//! The fetch wrapper: all of the crate's I/O. One function sends one request; the others read
//! an answer's body within a byte cap.
//!
//! It binds the global `fetch`, not `window.fetch`, so it runs in a page, a Web Worker and
//! Node ≥ 18 alike. A rejected promise can hold any value: every one becomes an [`Error`], never
//! a panic.

use js_sys::{JsString, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Headers, ReadableStreamDefaultReader, RequestCredentials, RequestInit, Response,
    TextDecodeOptions, TextDecoder,
};

use crate::error::{self, Error};
use crate::key::ApiKey;
use crate::scope::Scope;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Promise;
    /// `JSON.parse` on a JS string, which stays in JS (no copy through wasm memory).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
}

/// The most of an error answer's body that is read, looking for the server's message.
const ERROR_BODY_CAP: u64 = 4 * 1024;

/// An HTTP method the API uses.
#[derive(Clone, Copy)]
pub(crate) enum Method {
    Get,
    Post,
}

/// Sends one request with the key, as the documented curl examples do, and waits for the
/// answer's head. Credentials (cookies) are never sent; the browser follows redirects and drops
/// the `Authorization` header on a cross-origin one.
///
/// # Errors
/// `network` when no HTTP answer came, or the scope's `timeout` / `aborted`.
pub(crate) async fn send(
    method: Method,
    url: &str,
    key: &ApiKey,
    scope: &Scope,
) -> Result<Response, Error> {
    let headers = Headers::new().map_err(|_| error::network())?;
    let mut authorization = String::with_capacity(7 + key.expose().len());
    authorization.push_str("Bearer ");
    authorization.push_str(key.expose());
    headers
        .set("Authorization", &authorization)
        .map_err(|_| error::invalid_key("the API key cannot be sent in a header"))?;
    headers
        .set("Content-Type", "application/json")
        .map_err(|_| error::network())?;

    let init = RequestInit::new();
    init.set_method(match method {
        Method::Get => "GET",
        Method::Post => "POST",
    });
    init.set_headers(&headers);
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&scope.signal()));

    let answer = JsFuture::from(global_fetch(url, &init))
        .await
        .map_err(|_| scope.explain(error::network()))?;
    answer
        .dyn_into::<Response>()
        .map_err(|_| error::invalid_response("fetch did not return a Response"))
}

/// Reads the whole body as text, failing with `too_large` as soon as it passes `cap` bytes.
///
/// With a `Content-Length`, an oversized body is refused before a byte of it is read; without
/// one, the body is streamed and counted, and reading stops at the cap.
pub(crate) async fn read_text(
    response: &Response,
    cap: u64,
    scope: &Scope,
) -> Result<JsString, Error> {
    let broke = || scope.explain(error::network());
    if let Some(length) = content_length(response) {
        if length > cap {
            discard(response);
            return Err(error::too_large(cap));
        }
        let promise = response
            .text()
            .map_err(|_| error::invalid_response("the answer's body was already read"))?;
        let text: JsString = JsFuture::from(promise)
            .await
            .map_err(|_| broke())?
            .unchecked_into();
        // A compressed body can be longer than its Content-Length.
        if text.length() as u64 > cap {
            return Err(error::too_large(cap));
        }
        return Ok(text);
    }

    let Some(body) = response.body() else {
        return Ok(JsString::from(""));
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let decoder = TextDecoder::new().map_err(|_| error::invalid_response("no TextDecoder"))?;
    let streaming = TextDecodeOptions::new();
    streaming.set_stream(true);
    let mut text = JsString::from("");
    let mut total = 0u64;
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(|_| broke())?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| error::invalid_response("the answer's body is not bytes"))?;
        total += u64::from(bytes.length());
        if total > cap {
            let _ = reader.cancel();
            return Err(error::too_large(cap));
        }
        let part = decoder
            .decode_with_js_u8_array_and_options(&bytes, &streaming)
            .map_err(|_| error::invalid_response("the answer is not UTF-8 text"))?;
        text = text.concat(&JsValue::from(part));
    }
    let rest = decoder
        .decode()
        .map_err(|_| error::invalid_response("the answer is not UTF-8 text"))?;
    Ok(text.concat(&JsValue::from(rest)))
}

/// Reads the first few KiB of an error answer for the server's own message: the `message` or
/// `error` field of a JSON object, or the text of a plain-text body. HTML pages say nothing
/// useful and are skipped.
pub(crate) async fn server_message(response: &Response, scope: &Scope) -> Option<String> {
    if is_html(response) {
        discard(response);
        return None;
    }
    let text = read_text(response, ERROR_BODY_CAP, scope).await.ok()?;
    match json_parse(&text) {
        Ok(json) if json.is_object() => ["message", "error"].iter().find_map(|field| {
            Reflect::get(&json, &JsValue::from_str(field))
                .ok()?
                .as_string()
        }),
        Ok(json) => json.as_string(),
        Err(_) => Some(String::from(&text)),
    }
}

/// A response header's value.
pub(crate) fn header(response: &Response, name: &str) -> Option<String> {
    response.headers().get(name).ok().flatten()
}

/// Whether the answer says it is an HTML page (a proxy's or captive portal's, not the API's).
pub(crate) fn is_html(response: &Response) -> bool {
    header(response, "content-type")
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"))
}

/// Lets go of a body that will not be read, so the connection can be reused or closed.
pub(crate) fn discard(response: &Response) {
    if let Some(body) = response.body() {
        let _ = body.cancel();
    }
}

fn content_length(response: &Response) -> Option<u64> {
    header(response, "content-length")?.trim().parse().ok()
}
