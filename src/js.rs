//! The JavaScript API: a thin layer over the Rust one that converts arguments and results at
//! the boundary. Every argument is checked here, so a wrong one rejects with an
//! `AccessApiError` of kind `invalid_argument` instead of a bare `TypeError`; so is every
//! option name, so a misspelt option (`baseURL`) is an error, not a silent default.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, JsString, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use crate::client::Client;
use crate::convert;
use crate::error::{self, Error};
use crate::fetch::{json_parse, Body};
use crate::key::ApiKey;
use crate::model::ExportKind;
use crate::options::{self, CallOptions, ExportOptions};
use crate::text::cat;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// The options of each kind of call, by name.
const CLIENT_OPTIONS: &[&str] = &["baseUrl", "timeoutMs", "maxRetries", "maxCsvBytes"];
const CALL_OPTIONS: &[&str] = &["signal", "timeoutMs"];
const EXPORT_OPTIONS: &[&str] = &[
    "signal",
    "timeoutMs",
    "requestTimeoutMs",
    "pollIntervalMs",
    "onProgress",
];

/// A client of the Access Protocol creator API, holding one API key.
///
/// ```js
/// const client = new AccessClient(apiKey, { baseUrl: "http://127.0.0.1:8081" });
/// const user = await client.getUser();
/// ```
#[wasm_bindgen]
pub struct AccessClient {
    client: Client,
}

#[wasm_bindgen]
impl AccessClient {
    /// Makes a client. Whitespace and invisible characters around the key and a pasted
    /// `Bearer ` prefix are removed.
    ///
    /// Throws an `AccessApiError` of kind `"invalid_key"` when the key cannot be a JWT (nothing
    /// is sent), or `"invalid_argument"` for a bad or unknown option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<AccessClient, JsValue> {
        let key = api_key
            .as_string()
            .ok_or_else(|| error::invalid_key("the API key must be a string"))?;
        let options = Options::new(options, CLIENT_OPTIONS, &key)?;
        let mut builder = Client::builder(key.as_str());
        if let Some(url) = options.string("baseUrl")? {
            builder = builder.base_url(&url);
        }
        if let Some(timeout) = options.duration("timeoutMs")? {
            builder = builder.timeout(timeout);
        }
        if let Some(retries) =
            options.integer("maxRetries", 0.0, options::MAX_RETRIES_LIMIT.into())?
        {
            builder = builder.max_retries(retries as u32);
        }
        if let Some(bytes) =
            options.integer("maxCsvBytes", 1.0, options::MAX_CSV_BYTES_LIMIT as f64)?
        {
            builder = builder.max_csv_bytes(bytes);
        }
        Ok(AccessClient {
            client: builder.build()?,
        })
    }

    /// The base URL calls go to, normalised (no trailing slash).
    #[wasm_bindgen(getter = baseUrl)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// The key owner's user record (`GET /user`), as a plain object with the API's field names.
    ///
    /// Rejects with an `AccessApiError`: `"unauthorized"` for a rejected key,
    /// `"invalid_response"` for an answer that is not the documented JSON, or any kind every
    /// call has (`"network"`, `"timeout"`, `"aborted"`, `"server"`, `"rate_limited"`, …).
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<User>")]
    pub fn get_user(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let options = Options::new(options, CALL_OPTIONS, client.secret())?.call()?;
            convert::to_js(&client.user_with(&options).await?)
        })
    }

    /// Asks the API to prepare an export (`POST /file/{kind}`); resolves to its reference id.
    /// Retried only after a 429, or a 503 with `Retry-After`: a request refused for now.
    #[wasm_bindgen(js_name = requestExport, unchecked_return_type = "Promise<string>")]
    pub fn request_export(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let kind = export_kind(&kind)?;
            let options = Options::new(options, CALL_OPTIONS, client.secret())?.call()?;
            Ok(client.request_export_with(kind, &options).await?.into())
        })
    }

    /// Downloads a requested export (`GET /file/link/{referenceId}`): the CSV text, or `null`
    /// while the API answers 404 ("not ready yet", or no such file: the API does not tell).
    #[wasm_bindgen(js_name = downloadExport, unchecked_return_type = "Promise<string | null>")]
    pub fn download_export(
        &self,
        #[wasm_bindgen(js_name = referenceId, unchecked_param_type = "string")]
        reference_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.download(reference_id, Body::Text, options)
    }

    /// `downloadExport`, resolving to the file's bytes exactly as they arrived, as a `Blob`
    /// typed `text/csv` (for a download link, without holding the text), or `null` while 404.
    #[wasm_bindgen(
        js_name = downloadExportBlob,
        unchecked_return_type = "Promise<Blob | null>"
    )]
    pub fn download_export_blob(
        &self,
        #[wasm_bindgen(js_name = referenceId, unchecked_param_type = "string")]
        reference_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.download(reference_id, Body::Blob, options)
    }

    /// Runs a whole export: requests it, polls until the CSV is ready (from `pollIntervalMs`,
    /// backing off), and resolves to the CSV text. `timeoutMs` bounds the whole export
    /// (`"export_timeout"`), `requestTimeoutMs` each request it makes (`"timeout"`); aborting the
    /// signal stops all further requests.
    #[wasm_bindgen(js_name = exportCsv, unchecked_return_type = "Promise<string>")]
    pub fn export_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        self.export(kind, Body::Text, options)
    }

    /// `exportCsv`, resolving to the file's bytes exactly as they arrived, as a `Blob` typed
    /// `text/csv`: read in chunks under the same cap, never held as one string.
    #[wasm_bindgen(js_name = exportCsvBlob, unchecked_return_type = "Promise<Blob>")]
    pub fn export_csv_blob(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        self.export(kind, Body::Blob, options)
    }
}

impl AccessClient {
    fn download(&self, reference_id: JsValue, body: Body, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let id = reference_id
                .as_string()
                .ok_or_else(|| error::invalid_argument("the reference id must be a string"))?;
            let options = Options::new(options, CALL_OPTIONS, client.secret())?.call()?;
            let file = client.download_export_with(&id, body, &options).await?;
            Ok(file.unwrap_or(JsValue::NULL))
        })
    }

    fn export(&self, kind: JsValue, body: Body, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let kind = export_kind(&kind)?;
            let options = Options::new(options, EXPORT_OPTIONS, client.secret())?.export()?;
            client.export_with(kind, body, &options).await
        })
    }
}

/// Decodes a user record, as `GET /user` returns it (say, fetched by your own server), with the
/// same checks and defaults as `getUser`: from its JSON text, or from the object `JSON.parse`
/// made of it. Throws an `AccessApiError` of kind `"invalid_response"` when it is not such a
/// record.
#[wasm_bindgen(js_name = parseUser, unchecked_return_type = "User")]
pub fn parse_user(
    #[wasm_bindgen(unchecked_param_type = "string | object")] json: JsValue,
) -> Result<JsValue, JsValue> {
    let value = match json.dyn_ref::<JsString>() {
        Some(text) => json_parse(&without_bom(text))
            .map_err(|_| error::invalid_response("the answer is not valid JSON"))?,
        // Read once, as JSON data: a getter, a Proxy or a `toJSON` of the caller's runs here,
        // inside a `catch`, and never again.
        None if json.is_object() => plain_data(&json)
            .map_err(|_| error::invalid_argument("the record could not be read as JSON data"))?,
        None => {
            return Err(error::invalid_argument(
                "the record must be JSON text or the object JSON.parse made of it",
            )
            .into())
        }
    };
    Ok(convert::to_js(&convert::user_from_js(value)?)?)
}

/// `text` without a leading byte-order mark, as `getUser` reads an answer (the decoder drops it).
fn without_bom(text: &JsString) -> JsString {
    if text.char_code_at(0) == f64::from(0xFEFF) {
        text.slice(1, text.length())
    } else {
        text.clone()
    }
}

/// Decodes an API key's header and claims locally, without verifying it: only the API can
/// tell whether a key is valid. Throws an `AccessApiError` of kind `"invalid_key"` when the key
/// cannot be a JWT or its parts are not JSON.
#[wasm_bindgen(js_name = decodeApiKey, unchecked_return_type = "DecodedKey")]
pub fn decode_api_key(
    #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
) -> Result<JsValue, JsValue> {
    let raw = api_key
        .as_string()
        .ok_or_else(|| error::invalid_key("the API key must be a string"))?;
    let decoded = ApiKey::parse(&raw)?.decode()?;
    let object = |json: &str, what: &'static str| match json_parse(&JsString::from(json)) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(error::invalid_key(what)),
    };
    let result = js_sys::Object::new();
    let header = object(&decoded.header, "the API key's header is not a JSON object")?;
    let claims = object(
        &decoded.claims,
        "the API key's claims are not a JSON object",
    )?;
    Reflect::set(&result, &"header".into(), &header)?;
    Reflect::set(&result, &"claims".into(), &claims)?;
    Ok(result.into())
}

fn promise(future: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    // One boxed type for every call, so the module holds a single copy of the promise glue.
    settle(Box::pin(future))
}

fn settle(future: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(JsValue::from) })
}

#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    /// The caller's options object read once into a plain object (see `src/io.js`): `null` for
    /// none, `undefined` for a value that is not an object; throws when reading it throws.
    #[wasm_bindgen(catch)]
    fn snapshot(value: &JsValue) -> Result<JsValue, JsValue>;
    /// The platform's brand check of an `AbortSignal` (from any realm).
    #[wasm_bindgen(js_name = isAbortSignal)]
    fn is_abort_signal(value: &JsValue) -> bool;
    /// `JSON.parse(JSON.stringify(value))`; throws when that throws.
    #[wasm_bindgen(js_name = plainData, catch)]
    fn plain_data(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// An unknown option's name as an error shows it: one line, at most [`SHOWN_NAME_CHARS`]
/// characters, anything shaped like a token redacted (a caller may paste a key anywhere).
fn shown_name(name: &str, secret: &str) -> String {
    // Cut first (with room for a token to be recognised), so a huge name costs nothing.
    let head: String = name.chars().take(4 * SHOWN_NAME_CHARS).collect();
    error::sanitize_server_message(&head, secret)
        .chars()
        .take(SHOWN_NAME_CHARS)
        .collect()
}

fn export_kind(kind: &JsValue) -> Result<ExportKind, Error> {
    kind.as_string()
        .ok_or_else(|| {
            error::invalid_argument(
                "the export kind must be \"emails\", \"supporters\" or \"rewards\"",
            )
        })?
        .parse()
}

/// An options object as a JS caller passes it (`undefined`, `null` or an object whose own
/// enumerable names are all known), read once: every value comes from the plain copy
/// `snapshot` made, so no getter of the caller's runs twice, or from wasm.
struct Options(JsValue);

/// The most of an unknown option's name an error message shows.
const SHOWN_NAME_CHARS: usize = 40;

impl Options {
    /// `secret` is the key (as given), so that no piece of it shows in a message.
    fn new(value: JsValue, known: &[&str], secret: &str) -> Result<Self, Error> {
        let copy = snapshot(&value).map_err(|_| {
            error::invalid_argument(
                "the options object could not be read (a getter or a Proxy threw)",
            )
        })?;
        if copy.is_undefined() {
            return Err(error::invalid_argument("options must be an object"));
        }
        if copy.is_null() {
            return Ok(Options(copy));
        }
        for name in js_sys::Object::keys(copy.unchecked_ref::<js_sys::Object>()).iter() {
            let name = name.as_string().unwrap_or_default();
            if !known.contains(&name.as_str()) {
                let mut message = cat(&["unknown option `", &shown_name(&name, secret), "`"]);
                match known.iter().find(|k| k.eq_ignore_ascii_case(&name)) {
                    Some(meant) => message.push_str(&cat(&[" (did you mean `", meant, "`?)"])),
                    None => {
                        message.push_str(" (the options are ");
                        for (i, option) in known.iter().enumerate() {
                            message.push_str(if i == 0 { "`" } else { "`, `" });
                            message.push_str(option);
                        }
                        message.push_str("`)");
                    }
                }
                return Err(error::invalid_argument(message));
            }
        }
        Ok(Options(copy))
    }

    fn get(&self, name: &str) -> Option<JsValue> {
        if self.0.is_null() {
            return None;
        }
        Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .filter(|value| !value.is_undefined() && !value.is_null())
    }

    fn string(&self, name: &str) -> Result<Option<String>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .as_string()
                    .ok_or_else(|| error::invalid_argument(format!("{name} must be a string")))
            })
            .transpose()
    }

    fn number(&self, name: &str) -> Result<Option<f64>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .as_f64()
                    .ok_or_else(|| error::invalid_argument(format!("{name} must be a number")))
            })
            .transpose()
    }

    fn integer(&self, name: &str, min: f64, max: f64) -> Result<Option<u64>, Error> {
        match self.number(name)? {
            Some(n) if n.fract() == 0.0 && (min..=max).contains(&n) => Ok(Some(n as u64)),
            Some(_) => Err(error::invalid_argument(format!(
                "{name} must be an integer from {} to {}",
                min as u64, max as u64
            ))),
            None => Ok(None),
        }
    }

    fn duration(&self, name: &str) -> Result<Option<Duration>, Error> {
        self.number(name)?
            .map(|ms| {
                options::timeout_ms(ms)
                    .map(Duration::from_millis)
                    .map_err(|_| {
                        error::invalid_argument(format!("{name} must be from 1 to 2147483647 ms"))
                    })
            })
            .transpose()
    }

    fn call(&self) -> Result<CallOptions, Error> {
        let signal = match self.get("signal") {
            Some(value) if is_abort_signal(&value) => Some(value.unchecked_into::<AbortSignal>()),
            Some(_) => return Err(error::invalid_argument("signal must be an AbortSignal")),
            None => None,
        };
        Ok(CallOptions {
            timeout: self.duration("timeoutMs")?,
            signal,
        })
    }

    fn export(&self) -> Result<ExportOptions, Error> {
        let mut export = ExportOptions {
            call: self.call()?,
            request_timeout: self.duration("requestTimeoutMs")?,
            ..ExportOptions::default()
        };
        if let Some(interval) = self.duration("pollIntervalMs")? {
            export.poll_interval = interval;
        }
        if let Some(callback) = self.get("onProgress") {
            let callback: Function = callback
                .dyn_into()
                .map_err(|_| error::invalid_argument("onProgress must be a function"))?;
            export.on_progress = Some(Rc::new(move |progress| {
                // The caller's exception is theirs: it must not break the export.
                if let Ok(progress) = convert::to_js(progress) {
                    let _ = callback.call1(&JsValue::UNDEFINED, &progress);
                }
            }));
        }
        Ok(export)
    }
}
