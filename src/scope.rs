//! A call's deadline and cancellation, in one `AbortSignal`.
//!
//! A [`Scope`] owns an `AbortController` whose signal goes to every `fetch` and every wait of one
//! call. It aborts when the deadline passes, when the caller's `AbortSignal` aborts, or when the
//! scope is dropped (so dropping a Rust future aborts its request). Only global `setTimeout` and
//! `AbortController` are used: the same code runs in a page, a Web Worker and Node.
//!
//! The deadline timer and the caller's listener are `AbortController.prototype.abort` bound to
//! the scope's controller and a reason, not Rust closures: a closure costs the JS glue an
//! allocation and a registry entry on every call. The reason tells afterwards why it aborted.

use std::cell::Cell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

use crate::error::{self, Error};

#[wasm_bindgen]
extern "C" {
    // Timer ids are numbers in browsers and objects in Node, so they stay `JsValue`s.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// A monotonic clock in milliseconds (pages, workers and Node all have `performance`):
    /// deadlines and elapsed times do not jump when the wall clock is set.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub(crate) fn now_ms() -> f64;
    /// The wall clock, for what is a wall-clock time (an HTTP-date in `Retry-After`).
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub(crate) fn wall_clock_ms() -> f64;
    /// `Function.prototype.bind.call(function, this, argument)`.
    #[wasm_bindgen(js_namespace = ["Function", "prototype", "bind"], js_name = call)]
    fn bind(function: &Function, this: &JsValue, argument: &JsValue) -> Function;
    #[wasm_bindgen(js_name = DOMException)]
    type DomException;
    #[wasm_bindgen(constructor, js_class = DOMException)]
    fn new(message: &str, name: &str) -> DomException;
}

// A caller's signal is read only through the platform's own getters and methods (`src/io.js`):
// an own `aborted` getter on it, or anything else of the caller's, never runs.
#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    #[wasm_bindgen(js_name = signalIsAborted)]
    fn caller_aborted(signal: &AbortSignal) -> bool;
    #[wasm_bindgen(js_name = reasonOf)]
    fn caller_reason(signal: &AbortSignal) -> JsValue;
    #[wasm_bindgen(js_name = onAbort)]
    fn on_abort(signal: &AbortSignal, listener: &Function);
    #[wasm_bindgen(js_name = offAbort)]
    fn off_abort(signal: &AbortSignal, listener: &Function);
}

thread_local! {
    /// `AbortController.prototype.abort`.
    /// (Read from an instance; without `AbortController`, no scope is ever made.)
    static ABORT: Function = AbortController::new()
        .ok()
        .and_then(|controller| Reflect::get(&controller, &"abort".into()).ok())
        .unwrap_or_default()
        .unchecked_into();
    /// The reason a scope aborts with when its deadline passes.
    static DEADLINE: JsValue = DomException::new("the call's deadline passed", "TimeoutError").into();
    /// The reason a scope aborts with when the caller's signal aborts.
    static CALLER: JsValue = DomException::new("the caller aborted the call", "AbortError").into();
}

/// `controller.abort(reason)`, as a function to hand to a timer or a listener.
fn abort_with(
    controller: &AbortController,
    reason: &'static std::thread::LocalKey<JsValue>,
) -> Function {
    ABORT.with(|abort| reason.with(|reason| bind(abort, controller, reason)))
}

/// One call's deadline and cancellation.
pub(crate) struct Scope {
    controller: AbortController,
    timeout_ms: u64,
    started_ms: f64,
    deadline_timer: JsValue,
    /// The caller's signal and the listener on it.
    caller: Option<(AbortSignal, Function)>,
    /// Set once a response has been read to its end: nothing is left in flight to abort.
    finished: Cell<bool>,
    /// Told of each step of the call (`onEvent`).
    listener: Option<Function>,
}

impl Scope {
    /// The scope, telling `listener` of each step of its requests.
    pub(crate) fn listening(mut self, listener: Option<Function>) -> Self {
        self.listener = listener;
        self
    }

    /// Who is told of each step (`onEvent`), if anyone.
    pub(crate) fn listener(&self) -> Option<&Function> {
        self.listener.as_ref()
    }

    /// Starts a scope that aborts after `timeout_ms` or when `caller` aborts.
    ///
    /// # Errors
    /// `aborted` when `caller` has already aborted; `network` when the runtime has no
    /// `AbortController`.
    pub(crate) fn new(timeout_ms: u64, caller: Option<&AbortSignal>) -> Result<Self, Error> {
        if let Some(signal) = caller.filter(|signal| caller_aborted(signal)) {
            return Err(error::aborted().with_reason(caller_reason(signal)));
        }
        let controller = AbortController::new().map_err(|_| error::network())?;
        let deadline_timer = set_timeout(&abort_with(&controller, &DEADLINE), timeout_ms as f64);
        let caller = caller.map(|signal| {
            let listener = abort_with(&controller, &CALLER);
            on_abort(signal, &listener);
            (signal.clone(), listener)
        });
        Ok(Scope {
            controller,
            timeout_ms,
            started_ms: now_ms(),
            deadline_timer,
            caller,
            finished: Cell::new(false),
            listener: None,
        })
    }

    /// The signal to hand to `fetch` and to waits.
    pub(crate) fn signal(&self) -> AbortSignal {
        self.controller.signal()
    }

    /// Milliseconds left before the deadline.
    pub(crate) fn remaining_ms(&self) -> u64 {
        let elapsed = (now_ms() - self.started_ms).max(0.0) as u64;
        self.timeout_ms.saturating_sub(elapsed)
    }

    /// Marks the call as complete, with every body it fetched read to its end, so dropping the
    /// scope need not abort (aborting a finished fetch still costs the browser real work).
    pub(crate) fn finish(&self) {
        self.finished.set(true);
    }

    /// When the scope has aborted, the error that says why.
    pub(crate) fn abort_error(&self) -> Option<Error> {
        let signal = self.controller.signal();
        if !signal.aborted() {
            return None;
        }
        let reason = signal.reason();
        if DEADLINE.with(|deadline| reason == *deadline) {
            return Some(error::timeout(self.timeout_ms));
        }
        Some(match &self.caller {
            Some((caller, _)) if CALLER.with(|marker| reason == *marker) => {
                error::aborted().with_reason(caller_reason(caller))
            }
            _ => error::aborted(),
        })
    }

    /// The error for a failed `fetch` or body read: the abort's reason if the scope aborted,
    /// otherwise `fallback`.
    pub(crate) fn explain(&self, fallback: Error) -> Error {
        self.abort_error().unwrap_or(fallback)
    }

    /// Waits `ms` milliseconds, or fails early with the scope's abort error (at once when the
    /// scope has already aborted). Dropping the future clears the timer and the listener, so a
    /// dropped wait keeps nothing alive (a pending timer keeps a Node process running).
    pub(crate) async fn sleep(&self, ms: u64) -> Result<(), Error> {
        let signal = self.signal();
        if signal.aborted() {
            return Err(self.explain(error::aborted()));
        }
        let mut wait = None;
        let promise = Promise::new(&mut |resolve, reject| {
            let timer = set_timeout(&resolve, ms as f64);
            let _ = signal.add_event_listener_with_callback("abort", &reject);
            wait = Some(Wait {
                timer,
                on_abort: reject,
                signal: signal.clone(),
            });
        });
        let _wait = wait;
        match JsFuture::from(promise).await {
            Ok(_) => Ok(()),
            Err(_) => Err(self.explain(error::aborted())),
        }
    }
}

/// A pending [`Scope::sleep`]: its timer and its abort listener, both let go when it drops.
struct Wait {
    timer: JsValue,
    on_abort: Function,
    signal: AbortSignal,
}

impl Drop for Wait {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        let _ = self
            .signal
            .remove_event_listener_with_callback("abort", &self.on_abort);
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        clear_timeout(&self.deadline_timer);
        if let Some((signal, listener)) = &self.caller {
            off_abort(signal, listener);
        }
        // Ends whatever is still in flight, as when a Rust future is dropped mid-call.
        if !self.finished.get() {
            self.controller.abort();
        }
    }
}
