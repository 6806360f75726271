//! The harness of the wasm suites: the sandbox's test control, `Session`, the clients and
//! helpers every case file uses. The cases are in one file per topic beside this one (`user.rs`,
//! `server_errors.rs`, `exports.rs`, …; `tests/README.md` lists them) and test the client
//! against the live sandbox through real `fetch`, or what needs no server (keys, options,
//! records). `tests/browser.rs` runs them in a browser page, `tests/worker.rs` in a dedicated Web
//! Worker, `tests/node.rs` in Node; each `mod`s this folder, so every case runs in every runtime.
//!
//! The sandbox is the one `cargo xtask sandbox` starts (`http://127.0.0.1:8081`), or the one at
//! `ACCESS_API_SANDBOX` when the suite is built. When none answers, every case that needs it
//! fails at once with one line saying what to start; the others pass.
//!
//! Every test that needs faults or counts uses a key minted for its own sandbox session, so
//! tests do not see each other's faults.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use access_creator_api::{
    decode_api_key, parse_user, AccessClient, Client, ErrorKind, ExportKind, ExportPhase,
};
use js_sys::{Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{AbortController, RequestInit};

const SANDBOX: &str = match option_env!("ACCESS_API_SANDBOX") {
    Some(url) => url,
    None => "http://127.0.0.1:8081",
};

/// Shaped like a real key, rejected by the sandbox (wrong signature); it must never show up in
/// any error the client produces.
const CANARY: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3UTM0bm1EUDFzcmJZU1FKSDViNDNoZVpwUHRzc3NpUlphMTdoTG54NUdxeCJ9.Q0FOQVJZLUtFWS1NVVNULU5FVkVSLUxFQUs";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn control_fetch(url: &str, init: &RequestInit) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &js_sys::Function, ms: i32);
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn now() -> f64;
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify)]
    fn stringify(value: &JsValue) -> String;
}

mod bodies;
mod deadlines;
mod defaults;
mod documented_numbers;
mod edges;
mod endpoints;
mod environment;
mod exports;
mod fences;
mod js_surface;
mod json;
mod records;
mod robustness;
mod sdk;
mod server_errors;
mod user;

// ---- the sandbox's test control API ---------------------------------------------------------

thread_local! {
    /// Set once the sandbox did not answer: every later case that needs it fails at once.
    static NO_SANDBOX: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Fails the case with one line that says what to start.
fn no_sandbox(what: &str) -> ! {
    NO_SANDBOX.set(true);
    panic!(
        "{what} at {SANDBOX}: start it with `cargo xtask sandbox` (see the README's Tests section)"
    );
}

async fn control(method: &str, path: &str, body: Option<Value>) -> Value {
    if NO_SANDBOX.get() {
        no_sandbox("no sandbox answers");
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body.to_string()));
        let headers = web_sys::Headers::new().unwrap();
        headers.set("content-type", "application/json").unwrap();
        init.set_headers(&headers);
    }
    let Ok(response) = JsFuture::from(control_fetch(&format!("{SANDBOX}{path}"), &init)).await
    else {
        no_sandbox("no sandbox answers");
    };
    let response: web_sys::Response = response.unchecked_into();
    if response.status() == 404 && !path.starts_with("/__sandbox/sessions/") {
        no_sandbox("a server answers, but not with the sandbox's test control (--test-control)");
    }
    assert!(
        response.ok(),
        "control {method} {path}: HTTP {}",
        response.status()
    );
    let text = JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// For a case that uses the sandbox without a session of its own: fails it with the one line
/// when no sandbox answers, rather than on an assertion after the client's retries.
async fn sandbox_answers() {
    session("creator", json!({})).await;
}

/// A fresh key of `account`, in a session of its own.
struct Session {
    key: String,
    id: String,
}

async fn session(account: &str, extra: Value) -> Session {
    let mut body = json!({ "account": account });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let minted = control("POST", "/__sandbox/keys", Some(body)).await;
    Session {
        key: minted["key"].as_str().unwrap().to_owned(),
        id: minted["session"].as_str().unwrap().to_owned(),
    }
}

impl Session {
    async fn fault(&self, faults: Value) {
        control(
            "POST",
            "/__sandbox/faults",
            Some(json!({ "session": self.id, "faults": faults })),
        )
        .await;
    }

    /// How many requests of this session the sandbox counted for `route` ("GET /user", …).
    async fn count(&self, route: &str) -> u64 {
        let stats = control("GET", &format!("/__sandbox/sessions/{}", self.id), None).await;
        stats["requests"][route].as_u64().unwrap_or(0)
    }

    /// The sandbox's report of this session.
    async fn report(&self) -> Value {
        control("GET", &format!("/__sandbox/sessions/{}", self.id), None).await
    }

    async fn landing(&self) -> Value {
        control("GET", &format!("/__sandbox/sessions/{}", self.id), None).await["landing"].clone()
    }

    fn client(&self) -> Client {
        client_with(&self.key, |b| b)
    }
}

fn client_with(
    key: &str,
    configure: impl FnOnce(access_creator_api::ClientBuilder) -> access_creator_api::ClientBuilder,
) -> Client {
    configure(Client::builder(key).base_url(SANDBOX))
        .build()
        .unwrap()
}

async fn sleep(ms: i32) {
    JsFuture::from(Promise::new(&mut |resolve, _| set_timeout(&resolve, ms)))
        .await
        .unwrap();
}

/// A signal aborted `ms` from now, with `reason` (or the default `AbortError`).
fn aborted_after(ms: i32, reason: Option<JsValue>) -> web_sys::AbortSignal {
    let controller = AbortController::new().unwrap();
    let signal = controller.signal();
    let abort = Closure::once_into_js(move || match reason {
        Some(reason) => controller.abort_with_reason(&reason),
        None => controller.abort(),
    });
    set_timeout(abort.unchecked_ref(), ms);
    signal
}

/// The value of a JS expression (a function, for fakes of `fetch` and its answers).
fn js_fn(expression: &str) -> JsValue {
    js_sys::Function::new_no_args(&format!("return {expression}"))
        .call0(&JsValue::UNDEFINED)
        .unwrap()
}

/// Asserts that nothing a caller can see of an error mentions the key or a piece of it.
fn assert_no_key(shown: &str, key: &str) {
    if key.split('.').any(|part| shown.contains(part)) {
        // The failure shows where, with the key's pieces masked: a test's output never holds it.
        let masked = key.split('.').fold(shown.to_owned(), |text, part| {
            text.replace(part, "<a piece of the key>")
        });
        panic!("a piece of the key leaked into: {masked}");
    }
}

fn js_error_fields(error: &JsValue) -> (String, String, Option<f64>, String) {
    let get = |name: &str| Reflect::get(error, &name.into()).unwrap();
    let name = get("name").as_string().unwrap_or_default();
    let kind = get("kind").as_string().unwrap_or_default();
    let status = get("status").as_f64();
    let shown = format!(
        "{} {} {}",
        get("message").as_string().unwrap_or_default(),
        String::from(error.unchecked_ref::<js_sys::Object>().to_string()),
        stringify(error)
    );
    (name, kind, status, shown)
}

// ---- helpers shared by several case files --------------------------------------------------

/// The documented sample record (`tests/fixtures/`).
const SAMPLE: &str = include_str!("../fixtures/user.sample.json");

/// A JS client of `key` against the sandbox.
fn js_client(key: &str) -> AccessClient {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    AccessClient::new(key.into(), options.into()).unwrap()
}

/// `getUser` through the JS API: the record, or the error's (name, kind).
async fn js_get_user(client: &AccessClient, options: JsValue) -> Result<JsValue, (String, String)> {
    JsFuture::from(client.get_user(options)).await.map_err(|e| {
        let (name, kind, _, shown) = js_error_fields(&e);
        assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {shown}");
        (name, kind)
    })
}

/// Replaces `globalThis.fetch` until dropped, as test suites that mock `fetch` do. The fake
/// gets `fetch`'s two arguments (the request, and the init with the call's signal).
struct FakeFetch {
    original: JsValue,
    _fake: Closure<dyn FnMut(JsValue, JsValue) -> JsValue>,
}

impl FakeFetch {
    fn install(fake: impl FnMut(JsValue, JsValue) -> JsValue + 'static) -> Self {
        let fake = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(fake);
        let global = js_sys::global();
        let original = Reflect::get(&global, &"fetch".into()).unwrap();
        Reflect::set(&global, &"fetch".into(), fake.as_ref()).unwrap();
        FakeFetch {
            original,
            _fake: fake,
        }
    }
}

impl Drop for FakeFetch {
    fn drop(&mut self) {
        Reflect::set(&js_sys::global(), &"fetch".into(), &self.original).unwrap();
    }
}

/// A JS client against the sandbox with extra options.
fn js_client_with(key: &str, options: Value) -> Result<AccessClient, String> {
    let object = js_sys::JSON::parse(&options.to_string()).unwrap();
    Reflect::set(&object, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    AccessClient::new(key.into(), object).map_err(|e| js_error_fields(&e).1)
}

/// Replaces `Date.now` until dropped.
struct WallClockJump {
    original: JsValue,
    _jumped: Closure<dyn FnMut() -> f64>,
}

impl WallClockJump {
    fn ahead(ms: f64) -> Self {
        let date = js_sys::Reflect::get(&js_sys::global(), &"Date".into()).unwrap();
        let original = Reflect::get(&date, &"now".into()).unwrap();
        // `new Date()` reads the clock without going through `Date.now`.
        let jumped =
            Closure::<dyn FnMut() -> f64>::new(move || js_sys::Date::new_0().get_time() + ms);
        Reflect::set(&date, &"now".into(), jumped.as_ref()).unwrap();
        WallClockJump {
            original,
            _jumped: jumped,
        }
    }
}

impl Drop for WallClockJump {
    fn drop(&mut self) {
        let date = js_sys::Reflect::get(&js_sys::global(), &"Date".into()).unwrap();
        Reflect::set(&date, &"now".into(), &self.original).unwrap();
    }
}

#[wasm_bindgen]
extern "C" {
    /// Node's `process.getActiveResourcesInfo()`, or `undefined` elsewhere.
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = process)]
    static PROCESS: JsValue;
}

/// How many timers keep Node's event loop alive; `None` outside Node.
fn node_timers() -> Option<usize> {
    let process = PROCESS.with(JsValue::clone);
    let info = Reflect::get(&process, &"getActiveResourcesInfo".into()).ok()?;
    let info: js_sys::Function = info.dyn_into().ok()?;
    let resources: js_sys::Array = info.call0(&process).ok()?.dyn_into().ok()?;
    Some(
        resources
            .iter()
            .filter(|r| r.as_string().as_deref() == Some("Timeout"))
            .count(),
    )
}

/// `getUser` through the JS API: the record, or the error itself.
async fn js_get_user_raw(client: &AccessClient, options: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(client.get_user(options)).await
}
