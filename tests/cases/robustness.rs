//! Whatever JavaScript hands the module, no exception unwinds through it, every call settles
//! within its deadline, and no error leads to the key: hostile options, records, signals and
//! `fetch` outcomes by the thousand (`hostile.js`), `fetch` functions that never answer or drop
//! the signal, and causes that hold a `Request`.

use super::*;

#[wasm_bindgen(module = "/tests/cases/hostile.js")]
extern "C" {
    fn hostile(i: u32) -> JsValue;
    #[wasm_bindgen(js_name = hostileAnswer)]
    fn hostile_answer(i: u32) -> JsValue;
    #[wasm_bindgen(js_name = replaceFetch)]
    fn replace_fetch(answer: &JsValue) -> js_sys::Function;
    fn settled(promise: &Promise) -> Promise;
    fn classify(error: &JsValue) -> String;
    #[wasm_bindgen(js_name = allWithin)]
    fn all_within(outcomes: &js_sys::Array, ms: u32) -> Promise;
    #[wasm_bindgen(js_name = memoryBytes)]
    fn memory_bytes(memory: &JsValue) -> f64;
    fn reaches(value: &JsValue, needle: &str) -> bool;
}

/// How many hostile values the main loop feeds to every exported function.
const VALUES: u32 = 10_000;

/// `globalThis.fetch` replaced until dropped.
struct Replaced(js_sys::Function);

impl Replaced {
    fn with(answer: &JsValue) -> Self {
        Replaced(replace_fetch(answer))
    }
}

impl Drop for Replaced {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::UNDEFINED);
    }
}

/// Collects what became of many calls and fails the case on anything but a result or an
/// `AccessApiError`, or on a call still pending after 20 s.
#[derive(Default)]
struct Outcomes {
    pending: Vec<(String, Promise)>,
    bad: Vec<String>,
    errors: u32,
    results: u32,
}

impl Outcomes {
    fn sync<T>(&mut self, what: impl Fn() -> String, result: Result<T, JsValue>) -> Option<T> {
        match result {
            Ok(value) => {
                self.results += 1;
                Some(value)
            }
            Err(error) => {
                let class = classify(&error);
                self.note(&what, &class);
                None
            }
        }
    }

    fn call(&mut self, what: String, promise: Promise) {
        self.pending.push((what, settled(&promise)));
    }

    fn note(&mut self, what: &dyn Fn() -> String, class: &str) {
        if class.starts_with("error:") {
            self.errors += 1;
        } else if class != "ok" {
            self.bad.push(format!("{}: {class}", what()));
        } else {
            self.results += 1;
        }
    }

    async fn settle(&mut self) {
        let batch: Vec<_> = self.pending.drain(..).collect();
        let promises: js_sys::Array = batch.iter().map(|(_, p)| JsValue::from(p)).collect();
        let all = JsFuture::from(all_within(&promises, 20_000)).await.unwrap();
        assert!(
            !all.is_null(),
            "a call was still pending 20 s later (of: {})",
            batch
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        let classes: js_sys::Array = all.unchecked_into();
        for ((what, _), class) in batch.iter().zip(classes.iter()) {
            let class = class.as_string().unwrap();
            self.note(&|| what.clone(), &class);
        }
        assert!(
            self.bad.is_empty(),
            "not an AccessApiError: {:#?}",
            self.bad
        );
    }
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &(*name).into(), value).unwrap();
    }
    object.into()
}

#[wasm_bindgen_test]
async fn ten_thousand_hostile_values_give_errors_or_results_and_the_module_goes_on() {
    sandbox_answers().await;
    let fetch = Replaced::with(&JsValue::NULL);
    let memory = wasm_bindgen::memory();
    let client = AccessClient::new(CANARY.into(), options(&[("maxRetries", 0.into())])).unwrap();
    let ordinary = AccessClient::new(
        CANARY.into(),
        options(&[("baseUrl", "https://ordinary.example".into())]),
    )
    .unwrap();
    let mut outcomes = Outcomes::default();
    let mut baseline = None;
    for i in 0..VALUES {
        let value = hostile(i);
        let what = |call: &'static str| move || format!("value {i}: {call}");
        outcomes.sync(
            what("new AccessClient(value)"),
            AccessClient::new(value.clone(), JsValue::UNDEFINED),
        );
        if let Some(other) = outcomes.sync(
            what("new AccessClient(key, value)"),
            AccessClient::new(CANARY.into(), value.clone()),
        ) {
            assert!(other.base_url().starts_with("https://"));
        }
        outcomes.call(what("getUser(value)")(), client.get_user(value.clone()));
        outcomes.call(
            what("requestExport(value)")(),
            client.request_export(value.clone(), JsValue::UNDEFINED),
        );
        outcomes.call(
            what("requestExport(kind, value)")(),
            client.request_export("emails".into(), value.clone()),
        );
        outcomes.call(
            what("downloadExport(value)")(),
            client.download_export(value.clone(), JsValue::UNDEFINED),
        );
        outcomes.call(
            what("downloadExport(id, value)")(),
            client.download_export("ref-1".into(), value.clone()),
        );
        outcomes.call(
            what("downloadExportBlob(id, value)")(),
            client.download_export_blob("ref-1".into(), value.clone()),
        );
        outcomes.call(
            what("exportCsv(value)")(),
            client.export_csv(value.clone(), JsValue::UNDEFINED),
        );
        outcomes.call(
            what("exportCsv(kind, value)")(),
            client.export_csv("supporters".into(), value.clone()),
        );
        outcomes.call(
            what("exportCsvBlob(kind, value)")(),
            client.export_csv_blob("rewards".into(), value.clone()),
        );
        outcomes.sync(what("parseUser(value)"), parse_user(value.clone()));
        outcomes.sync(what("decodeApiKey(value)"), decode_api_key(value));
        if i % 250 == 249 {
            // An ordinary call made in the same tick as the hostile ones succeeds beside them.
            let beside = JsFuture::from(settled(&ordinary.get_user(JsValue::UNDEFINED)));
            outcomes.settle().await;
            assert_eq!(
                beside.await.unwrap().as_string().as_deref(),
                Some("ok"),
                "beside value {i}"
            );
            // The allocator settles after the first batches; from then on, memory must not grow.
            if i == 999 {
                baseline = Some(memory_bytes(&memory));
            }
        }
    }
    outcomes.settle().await;
    let grown = memory_bytes(&memory) - baseline.unwrap();
    assert!(
        outcomes.errors > VALUES && outcomes.results > VALUES / 4,
        "positive control: both errors ({}) and results ({}) came back",
        outcomes.errors,
        outcomes.results
    );
    assert!(
        grown <= 1024.0 * 1024.0,
        "the module's memory grew by {grown} bytes"
    );
    drop(fetch);
    // The module still works, against the real sandbox.
    let creator = session("creator", json!({})).await;
    let user = js_get_user(&js_client(&creator.key), JsValue::UNDEFINED).await;
    assert!(user.is_ok(), "{user:?}");
}

#[wasm_bindgen_test]
async fn whatever_fetch_answers_or_rejects_with_every_call_settles_with_an_error() {
    let client = AccessClient::new(
        CANARY.into(),
        options(&[("maxRetries", 0.into()), ("timeoutMs", 3000.into())]),
    )
    .unwrap();
    let mut outcomes = Outcomes::default();
    for i in 0..21 * 20 {
        let fetch = Replaced::with(&hostile_answer(i));
        let what = |call: &str| format!("fetch answer {i}: {call}");
        outcomes.call(what("getUser()"), client.get_user(JsValue::UNDEFINED));
        outcomes.call(
            what("requestExport()"),
            client.request_export("emails".into(), JsValue::UNDEFINED),
        );
        outcomes.call(
            what("downloadExport()"),
            client.download_export("ref-1".into(), JsValue::UNDEFINED),
        );
        outcomes.call(
            what("exportCsvBlob()"),
            client.export_csv_blob("emails".into(), JsValue::UNDEFINED),
        );
        outcomes.settle().await;
        drop(fetch);
    }
    // A `Proxy` of a real `Response` reads as one in Node (undici's brand check is
    // `instanceof`), so a few calls may succeed there; everything else is an error.
    assert!(outcomes.errors >= 19 * 20 * 4, "{} errors", outcomes.errors);
}

/// `getUser({ timeoutMs: 800 })` with `fetch` replaced by `fake`: the error and how long it took.
async fn get_user_with_fetch(fake: JsValue) -> (String, f64) {
    let fetch = Replaced::with(&fake);
    let client = AccessClient::new(CANARY.into(), options(&[("maxRetries", 0.into())])).unwrap();
    let started = now();
    let outcome = JsFuture::from(client.get_user(options(&[("timeoutMs", 800.into())]))).await;
    let waited = now() - started;
    drop(fetch);
    (classify(&outcome.unwrap_err()), waited)
}

#[wasm_bindgen_test]
async fn a_deadline_holds_whatever_fetch_does() {
    for (what, fake) in [
        ("never settles", "() => new Promise(() => {})"),
        (
            "answers after 6 s",
            "() => new Promise((resolve) => setTimeout(() => resolve(new Response('{}')), 6000))",
        ),
        (
            "gives a body that never ends",
            "() => new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([123])); } }))",
        ),
        (
            "gives a body whose reads never settle",
            "() => new Response(new ReadableStream({ pull() { return new Promise(() => {}); } }))",
        ),
    ] {
        let (class, waited) = get_user_with_fetch(js_fn(fake)).await;
        assert_eq!(class, "error:timeout", "fetch {what}");
        assert!((750.0..1500.0).contains(&waited), "fetch {what}: settled after {waited} ms");
    }
}

#[wasm_bindgen_test]
async fn an_abort_ends_an_export_at_once_when_fetch_drops_the_signal() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/file/", "delay_ms": 8000 }]))
        .await;
    // A wrapper that passes the request on and drops the init with the call's signal.
    let fetch = Replaced::with(&js_fn(
        "((real) => (input) => real(input))(globalThis.fetch)",
    ));
    let client = js_client(&creator.key);
    let signal = aborted_after(300, None);
    let started = now();
    let outcome =
        JsFuture::from(client.export_csv("emails".into(), options(&[("signal", signal.into())])))
            .await;
    let waited = now() - started;
    drop(fetch);
    assert_eq!(classify(&outcome.unwrap_err()), "error:aborted");
    assert!(waited < 1500.0, "the abort took effect after {waited} ms");
    assert_eq!(
        creator.count("POST /file/emails").await,
        1,
        "positive control: the request went out"
    );
}

#[wasm_bindgen_test]
async fn a_cause_is_a_copy_from_which_the_key_cannot_be_reached() {
    let creator = session("creator", json!({})).await;
    let key = creator.key.clone();
    let client = AccessClient::new(
        key.clone().into(),
        options(&[("baseUrl", SANDBOX.into()), ("maxRetries", 0.into())]),
    )
    .unwrap();
    // What a fetch wrapper might reject with: the request (its `Authorization` holds the key),
    // its headers, and an object that holds the key itself, deep down.
    let fake = js_fn(
        "(request) => { const e = new TypeError('failed'); e.code = 'E_WRAPPED'; \
         e.request = request; e.headers = request.headers; \
         e.context = { deep: { deeper: { header: request.headers.get('authorization') } } }; \
         e.cause = Object.assign(new Error('underneath'), { request }); \
         return Promise.reject(e); }",
    );
    let fetch = Replaced::with(&fake);
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    drop(fetch);
    assert_eq!(classify(&error), "error:network");
    let cause = Reflect::get(&error, &"cause".into()).unwrap();
    assert!(cause.is_instance_of::<js_sys::TypeError>(), "{cause:?}");
    let text = |v: &JsValue, name: &str| Reflect::get(v, &name.into()).unwrap().as_string();
    assert_eq!(text(&cause, "message").as_deref(), Some("failed"));
    assert_eq!(text(&cause, "code").as_deref(), Some("E_WRAPPED"));
    let inner = Reflect::get(&cause, &"cause".into()).unwrap();
    assert_eq!(text(&inner, "message").as_deref(), Some("underneath"));
    for part in key.split('.') {
        assert!(
            !reaches(&error, part),
            "a piece of the key is reachable from the error"
        );
    }
    // Positive control: the walk finds the key in what fetch rejected with.
    let original = js_fn(
        "(key) => { const h = new Headers({ authorization: 'Bearer ' + key }); \
         return Object.assign(new TypeError('failed'), { context: { deep: { h } } }); }",
    );
    let original = original
        .unchecked_ref::<js_sys::Function>()
        .call1(&JsValue::UNDEFINED, &key.clone().into())
        .unwrap();
    assert!(reaches(&original, key.rsplit('.').next().unwrap()));
}
