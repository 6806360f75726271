//! The options objects of the JS API: read once from what the caller passed (through
//! `src/io.js`, so no getter of theirs runs twice or unwinds through the module), checked for
//! unknown names and for their types, and handed to the Rust builders, which check the ranges
//! (one check for both APIs, in words that fit both).

use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::convert;
use crate::error::{self, Error};
use crate::options::{CallOptions, ExportOptions};
use crate::text::cat;

/// The options of each kind of call, by name.
pub(super) const CLIENT_OPTIONS: &[&str] = &[
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "maxCsvBytes",
    "maxJsonBytes",
    "fetch",
    "onEvent",
];
pub(super) const CALL_OPTIONS: &[&str] = &["signal", "timeoutMs", "onEvent"];
pub(super) const GET_OPTIONS: &[&str] = &["signal", "timeoutMs", "onEvent", "sendKey"];
pub(super) const EXPORT_OPTIONS: &[&str] = &[
    "signal",
    "timeoutMs",
    "requestTimeoutMs",
    "pollIntervalMs",
    "onProgress",
    "onEvent",
];

#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    /// The caller's options object read once into a plain object (see `src/io.js`): `null` for
    /// none, `undefined` for a value that is not an object; throws when reading it throws.
    #[wasm_bindgen(catch)]
    fn snapshot(value: &JsValue) -> Result<JsValue, JsValue>;
    /// The platform's brand check of an `AbortSignal` (from any realm).
    #[wasm_bindgen(js_name = isAbortSignal)]
    fn is_abort_signal(value: &JsValue) -> bool;
    /// Calls a caller's listener; what it throws or an `async` one rejects with is ignored.
    fn tell(listener: &Function, value: &JsValue);
}

/// An options object as a JS caller passes it (`undefined`, `null` or an object whose own
/// enumerable names are all known), read once: every value comes from the plain copy
/// `snapshot` made, so no getter of the caller's runs twice, or from wasm.
pub(super) struct Options(JsValue);

/// The most of an unknown option's name an error message shows.
const SHOWN_NAME_CHARS: usize = 40;

impl Options {
    /// `secret` is the key (as given), so that no piece of it shows in a message.
    pub(super) fn new(value: JsValue, known: &[&str], secret: &str) -> Result<Self, Error> {
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

    pub(super) fn string(&self, name: &str) -> Result<Option<String>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .as_string()
                    .ok_or_else(|| error::invalid_argument(cat(&["`", name, "` must be a string"])))
            })
            .transpose()
    }

    pub(super) fn function(&self, name: &str) -> Result<Option<Function>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .dyn_into::<Function>()
                    .map_err(|_| error::invalid_argument(cat(&["`", name, "` must be a function"])))
            })
            .transpose()
    }

    pub(super) fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        self.get(name)
            .map(|value| {
                value.as_bool().ok_or_else(|| {
                    error::invalid_argument(cat(&["`", name, "` must be a boolean"]))
                })
            })
            .transpose()
    }

    fn number(&self, name: &str) -> Result<Option<f64>, Error> {
        self.get(name)
            .map(|value| {
                value
                    .as_f64()
                    .ok_or_else(|| error::invalid_argument(cat(&["`", name, "` must be a number"])))
            })
            .transpose()
    }

    /// A whole number, as it is: a negative one as `u64::MAX`, so that the builder's range
    /// check (the only one) refuses it.
    pub(super) fn integer(&self, name: &str) -> Result<Option<u64>, Error> {
        match self.number(name)? {
            Some(n) if n.fract() == 0.0 => Ok(Some(if n < 0.0 { u64::MAX } else { n as u64 })),
            Some(_) => Err(error::invalid_argument(cat(&[
                "`",
                name,
                "` must be a whole number",
            ]))),
            None => Ok(None),
        }
    }

    /// Milliseconds as a `Duration` (NaN and negative ones as zero, huge ones saturated), for
    /// the builder to check.
    pub(super) fn duration(&self, name: &str) -> Result<Option<Duration>, Error> {
        Ok(self
            .number(name)?
            .map(|ms| Duration::from_millis(ms as u64)))
    }

    pub(super) fn call(&self) -> Result<CallOptions, Error> {
        let signal = match self.get("signal") {
            Some(value) if is_abort_signal(&value) => Some(value.unchecked_into::<AbortSignal>()),
            Some(_) => return Err(error::invalid_argument("signal must be an AbortSignal")),
            None => None,
        };
        Ok(CallOptions {
            timeout: self.duration("timeoutMs")?,
            signal,
            on_event: self.function("onEvent")?,
        })
    }

    pub(super) fn export(&self) -> Result<ExportOptions, Error> {
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
                    tell(&callback, &progress);
                }
            }));
        }
        Ok(export)
    }
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
