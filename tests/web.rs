//! The client against the live sandbox through real `fetch`. One suite, run unchanged in
//! headless Chrome and Firefox (a page), in a dedicated Web Worker and in Node: `cargo xtask
//! test` picks the runtime with `WASM_BINDGEN_USE_*` and passes the sandbox's URL in
//! `ACCESS_API_SANDBOX` at build time.
//!
//! Every test that needs faults or counts uses a key minted for its own sandbox session, so
//! tests do not see each other's faults.

#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use access_api::{
    decode_api_key, parse_user, AccessClient, CallOptions, Client, ErrorKind, ExportKind,
    ExportOptions, ExportPhase,
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

// ---- the sandbox's test control API ---------------------------------------------------------

async fn control(method: &str, path: &str, body: Option<Value>) -> Value {
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(&body.to_string()));
        let headers = web_sys::Headers::new().unwrap();
        headers.set("content-type", "application/json").unwrap();
        init.set_headers(&headers);
    }
    let response: web_sys::Response =
        JsFuture::from(control_fetch(&format!("{SANDBOX}{path}"), &init))
            .await
            .expect("the sandbox's control API answers (is it running with --test-control?)")
            .unchecked_into();
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

    async fn landing(&self) -> Value {
        control("GET", &format!("/__sandbox/sessions/{}", self.id), None).await["landing"].clone()
    }

    fn client(&self) -> Client {
        client_with(&self.key, |b| b)
    }
}

fn client_with(
    key: &str,
    configure: impl FnOnce(access_api::ClientBuilder) -> access_api::ClientBuilder,
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

/// Asserts that nothing a caller can see of an error mentions the key or a piece of it.
fn assert_no_key(shown: &str, key: &str) {
    for part in key.split('.') {
        assert!(
            !shown.contains(part),
            "a piece of the key leaked into: {shown}"
        );
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

// ---- GET /user ----------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn creator_record_through_rust_api() {
    let creator = session("creator", json!({})).await;
    let user = creator.client().user().await.unwrap();
    assert!(!user.pubkey.is_empty());
    assert!(
        user.created_at.contains('T'),
        "RFC 3339: {}",
        user.created_at
    );
    let pool = user.owned_pool.expect("the creator account has a pool");
    assert_eq!(pool.user_pubkey, user.pubkey);
    assert!(
        pool.logo_image_url.starts_with(SANDBOX),
        "images are served by the sandbox: {}",
        pool.logo_image_url
    );
    assert_eq!(creator.count("GET /user").await, 1);
}

#[wasm_bindgen_test]
async fn no_pool_user_through_js_api() {
    let user = session("user", json!({})).await;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    let client =
        AccessClient::new(format!("  Bearer {}\n", user.key).into(), options.into()).unwrap();
    assert_eq!(client.base_url(), SANDBOX);
    let record = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(Reflect::get(&record, &"OwnedPool".into())
        .unwrap()
        .is_null());
    assert!(Reflect::get(&record, &"Pubkey".into())
        .unwrap()
        .as_string()
        .is_some_and(|p| p.len() >= 32));
    assert!(Reflect::get(&record, &"EnabledEmailAutoSubs".into())
        .unwrap()
        .as_bool()
        .is_some());
}

#[wasm_bindgen_test]
async fn creator_record_through_js_api_has_documented_names() {
    let creator = session("creator", json!({})).await;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    let record = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap();
    let record: Value = serde_json::from_str(&stringify(&record)).unwrap();
    let sample: Value = serde_json::from_str(include_str!("fixtures/user.sample.json")).unwrap();
    let names = |v: &Value| {
        v.as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(names(&record), names(&sample));
    assert_eq!(names(&record["OwnedPool"]), names(&sample["OwnedPool"]));
}

#[wasm_bindgen_test]
async fn rejected_key_is_unauthorized_and_never_echoed() {
    let error = client_with(CANARY, |b| b).user().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    assert_eq!(error.status(), Some(401));
    assert_no_key(&format!("{error} {error:?}"), CANARY);

    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    let client = AccessClient::new(CANARY.into(), options.into()).unwrap();
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    let (name, kind, status, shown) = js_error_fields(&error);
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        (name.as_str(), kind.as_str(), status),
        ("AccessApiError", "unauthorized", Some(401.0))
    );
    assert_no_key(&shown, CANARY);
}

#[wasm_bindgen_test]
fn malformed_key_is_refused_before_any_request() {
    for bad in [
        "",
        "not a key",
        "a.b",
        "eyJ.eyJ.sig with space",
        "ключ.ключ.ключ",
    ] {
        let error = Client::builder(bad).base_url(SANDBOX).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidKey, "{bad:?}");
        let Err(thrown) = AccessClient::new(bad.into(), JsValue::UNDEFINED) else {
            panic!("{bad:?} was accepted");
        };
        let (name, kind, _, _) = js_error_fields(&thrown);
        assert_eq!(
            (name.as_str(), kind.as_str()),
            ("AccessApiError", "invalid_key")
        );
    }
    let thrown = AccessClient::new(JsValue::from(42), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(js_error_fields(&thrown).1, "invalid_key");
}

#[wasm_bindgen_test]
fn options_are_checked() {
    let set = |name: &str, value: JsValue| {
        let options = js_sys::Object::new();
        Reflect::set(&options, &name.into(), &value).unwrap();
        AccessClient::new(CANARY.into(), options.into())
            .err()
            .map(|e| js_error_fields(&e).1)
    };
    assert_eq!(
        set("baseUrl", "http://example.com".into()).as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        set("baseUrl", 5.into()).as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        set("timeoutMs", (-1).into()).as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        set("maxRetries", 1.5.into()).as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        set("maxRetries", 11.into()).as_deref(),
        Some("invalid_argument")
    );
    assert_eq!(
        set("baseUrl", "https://papi.accessprotocol.co/".into()),
        None
    );
    let client = AccessClient::new(CANARY.into(), JsValue::UNDEFINED).unwrap();
    assert_eq!(client.base_url(), "https://go-api.accessprotocol.co");
}

#[wasm_bindgen_test]
fn decode_api_key_reads_claims_locally() {
    let decoded = decode_api_key(format!("Bearer {CANARY}").into()).unwrap();
    let claims = Reflect::get(&decoded, &"claims".into()).unwrap();
    let header = Reflect::get(&decoded, &"header".into()).unwrap();
    assert_eq!(
        Reflect::get(&header, &"alg".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "HS256"
    );
    assert_eq!(
        Reflect::get(&claims, &"sub".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "7Q34nmDP1srbYSQJH5b43heZpPtsssiRZa17hLnx5Gqx"
    );
    let thrown = decode_api_key("YWJj.YWJj.YWJj".into()).unwrap_err();
    assert_eq!(js_error_fields(&thrown).1, "invalid_key");
}

#[wasm_bindgen_test]
fn parse_user_decodes_the_documented_sample() {
    let sample = include_str!("fixtures/user.sample.json");
    let user = parse_user(sample.into()).unwrap();
    let text: String = js_sys::JSON::stringify(&user).unwrap().into();
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(sample).unwrap());
    for bad in ["<html>", "[1]", r#"{"Pubkey": 1}"#] {
        let thrown = parse_user(bad.into()).unwrap_err();
        assert_eq!(js_error_fields(&thrown).1, "invalid_response", "{bad}");
    }
    let thrown = parse_user(JsValue::from(5)).unwrap_err();
    assert_eq!(js_error_fields(&thrown).1, "invalid_argument");
}

// ---- errors from real server answers -------------------------------------------------------

#[wasm_bindgen_test]
async fn server_errors_are_retried_then_succeed() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "times": 2 }]))
        .await;
    let user = creator.client().user().await.unwrap();
    assert!(user.owned_pool.is_some());
    assert_eq!(
        creator.count("GET /user").await,
        3,
        "two 503s, then the answer"
    );
}

#[wasm_bindgen_test]
async fn retries_stop_at_max_retries() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 500, "times": 5 }]))
        .await;
    let error = client_with(&creator.key, |b| b.max_retries(1))
        .user()
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Server, Some(500))
    );
    assert_eq!(creator.count("GET /user").await, 2);
}

#[wasm_bindgen_test]
async fn retry_after_is_respected() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 429, "retry_after": "1" }]))
        .await;
    let started = now();
    creator.client().user().await.unwrap();
    let waited = now() - started;
    assert!(waited >= 950.0, "waited only {waited} ms of Retry-After: 1");
    assert_eq!(creator.count("GET /user").await, 2);
}

#[wasm_bindgen_test]
async fn long_retry_after_fails_with_the_wait() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 429, "retry_after": "120" }]))
        .await;
    let error = creator.client().user().await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::RateLimited, Some(429))
    );
    assert_eq!(error.retry_after_ms(), Some(120_000));
    assert_eq!(creator.count("GET /user").await, 1);
}

#[wasm_bindgen_test]
async fn client_errors_are_never_retried() {
    for (status, kind) in [
        (400, ErrorKind::Http),
        (401, ErrorKind::Unauthorized),
        (403, ErrorKind::Forbidden),
        (404, ErrorKind::NotFound),
        (418, ErrorKind::Http),
    ] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "status": status, "times": 3 }]))
            .await;
        let error = creator.client().user().await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (kind, Some(status)));
        assert_eq!(
            creator.count("GET /user").await,
            1,
            "HTTP {status} was retried"
        );
    }
}

#[wasm_bindgen_test]
async fn export_requests_are_never_retried() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/file/emails", "status": 503, "times": 3 }]))
        .await;
    let error = creator
        .client()
        .request_export(ExportKind::Emails, &CallOptions::default())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(creator.count("POST /file/emails").await, 1);
}

#[wasm_bindgen_test]
async fn malformed_answers_are_invalid_response() {
    for body in ["truncated", "malformed", "html"] {
        let creator = session("creator", json!({})).await;
        // `truncated` with `content_length: false`: a clean end after half the JSON.
        let content_length = (body == "truncated").then_some(false);
        creator
            .fault(json!([{ "path": "/user", "body": body, "content_length": content_length }]))
            .await;
        let error = creator.client().user().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{body}: {error}");
        assert!(error.message().len() < 200);
    }
}

#[wasm_bindgen_test]
async fn oversized_answers_are_too_large() {
    for content_length in [true, false] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(
                json!([{ "path": "/user", "body": "oversized", "bytes": 3_000_000, "content_length": content_length }]),
            )
            .await;
        let error = creator.client().user().await.unwrap_err();
        assert_eq!(
            error.kind(),
            ErrorKind::TooLarge,
            "content_length {content_length}: {error}"
        );
    }
}

#[wasm_bindgen_test]
async fn dropped_connections_are_network_errors_and_retried() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "body": "abort", "times": 3 }]))
        .await;
    let error = creator.client().user().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_eq!(creator.count("GET /user").await, 3);
}

#[wasm_bindgen_test]
async fn unreachable_host_is_a_network_error() {
    let error = client_with(CANARY, |b| b.base_url("http://127.0.0.1:9").max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert_eq!(error.status(), None);
    assert_no_key(&format!("{error:?}"), CANARY);
}

#[wasm_bindgen_test]
async fn slow_answers_time_out() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "delay_ms": 4000 }]))
        .await;
    let started = now();
    let options = CallOptions {
        timeout: Some(Duration::from_millis(300)),
        ..CallOptions::default()
    };
    let error = creator.client().user_with(&options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert!(error.is_timeout());
    assert!(now() - started < 2500.0, "the deadline was not enforced");
}

#[wasm_bindgen_test]
async fn an_abort_signal_cancels_the_call() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "delay_ms": 4000 }]))
        .await;
    let controller = AbortController::new().unwrap();
    let abort = Closure::once_into_js({
        let controller = controller.clone();
        move || controller.abort()
    });
    set_timeout(abort.unchecked_ref(), 100);
    let started = now();
    let options = CallOptions {
        signal: Some(controller.signal()),
        ..CallOptions::default()
    };
    let error = creator.client().user_with(&options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    assert!(now() - started < 2500.0);

    // Already aborted: nothing is sent.
    let fresh = session("creator", json!({})).await;
    let error = fresh.client().user_with(&options).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    assert_eq!(fresh.count("GET /user").await, 0);
}

#[wasm_bindgen_test]
async fn the_key_never_follows_a_cross_origin_redirect() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "redirect": "demo" }]))
        .await;
    // The landing page answers with JSON that is not a user record; what matters is who saw
    // the key, not how the call ends.
    let _ = creator.client().user().await;
    let landing = creator.landing().await;
    assert!(
        landing["requests"].as_u64().unwrap() >= 1,
        "the redirect was not followed: {landing}"
    );
    assert_eq!(
        landing["with_authorization"].as_u64(),
        Some(0),
        "the other origin saw the key"
    );
}

// ---- exports ------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn export_csv_runs_all_three_steps_and_reports_progress() {
    let creator = session("creator", json!({ "export_delay_ms": 700 })).await;
    let seen = Rc::new(RefCell::new(Vec::new()));
    let options = ExportOptions {
        poll_interval: Duration::from_millis(200),
        on_progress: Some(Rc::new({
            let seen = seen.clone();
            move |p: &access_api::ExportProgress| {
                seen.borrow_mut()
                    .push((p.phase, p.attempt, p.reference_id.clone()))
            }
        })),
        ..ExportOptions::default()
    };
    let csv = creator
        .client()
        .export_csv(ExportKind::Supporters, &options)
        .await
        .unwrap();
    assert!(csv.lines().count() > 5);
    assert!(!csv.is_ascii(), "the sandbox's rows hold non-ASCII names");

    let seen = seen.borrow().clone();
    let phases: Vec<ExportPhase> = seen.iter().map(|(phase, _, _)| *phase).collect();
    assert_eq!(phases.first(), Some(&ExportPhase::Requesting));
    assert_eq!(
        &phases[phases.len() - 2..],
        &[ExportPhase::Downloading, ExportPhase::Done]
    );
    let waits = phases
        .iter()
        .filter(|p| **p == ExportPhase::Waiting)
        .count() as u64;
    assert!(
        waits >= 2,
        "polled only {waits} times before a 700 ms export was ready"
    );
    assert!(
        seen[1].2.is_some(),
        "the reference id is reported while waiting"
    );
    assert_eq!(creator.count("GET /file/link").await, waits);
    assert_eq!(creator.count("POST /file/supporters").await, 1);
}

#[wasm_bindgen_test]
async fn export_steps_one_by_one_through_js_api() {
    let creator = session("creator", json!({ "export_delay_ms": 300 })).await;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    let id = JsFuture::from(client.request_export("rewards".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let id = id.as_string().expect("a reference id string");
    let early = JsFuture::from(client.download_export(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(early.is_null(), "not ready yet is null");
    sleep(600).await;
    let csv = JsFuture::from(client.download_export(id.into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(csv.as_string().unwrap().contains(','));

    let unknown = JsFuture::from(client.download_export(
        "5e491ab8-17f2-46ee-80d4-7eec9017f6be".into(),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert!(unknown.is_null());
    let bad_kind = JsFuture::from(client.request_export("everything".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&bad_kind).1, "invalid_argument");
}

#[wasm_bindgen_test]
async fn export_of_a_user_without_a_pool_is_forbidden() {
    let user = session("user", json!({})).await;
    let error = user
        .client()
        .export_csv(ExportKind::Emails, &ExportOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Forbidden, Some(403))
    );
}

#[wasm_bindgen_test]
async fn export_gives_up_after_max_wait() {
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let options = ExportOptions {
        poll_interval: Duration::from_millis(200),
        max_wait: Duration::from_millis(900),
        ..ExportOptions::default()
    };
    let started = now();
    let error = creator
        .client()
        .export_csv(ExportKind::Emails, &options)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ExportTimeout);
    assert!(now() - started < 2500.0);
}

#[wasm_bindgen_test]
async fn cancelling_mid_poll_stops_all_requests() {
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let controller = AbortController::new().unwrap();
    let options = ExportOptions {
        poll_interval: Duration::from_millis(150),
        call: CallOptions {
            signal: Some(controller.signal()),
            ..CallOptions::default()
        },
        on_progress: Some(Rc::new({
            let controller = controller.clone();
            move |p: &access_api::ExportProgress| {
                if p.attempt == 2 {
                    controller.abort();
                }
            }
        })),
        ..ExportOptions::default()
    };
    let error = creator
        .client()
        .export_csv(ExportKind::Emails, &options)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    let polls = creator.count("GET /file/link").await;
    sleep(800).await;
    assert_eq!(
        creator.count("GET /file/link").await,
        polls,
        "requests went on after the abort"
    );
    assert!(polls <= 2);
}

#[wasm_bindgen_test]
async fn csv_over_the_cap_is_too_large() {
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    let client = client_with(&creator.key, |b| b.max_csv_bytes(100));
    let options = ExportOptions {
        poll_interval: Duration::from_millis(100),
        ..ExportOptions::default()
    };
    let error = client
        .export_csv(ExportKind::Emails, &options)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooLarge);
}
