//! What users of other SDKs rely on: the client's own `fetch` (with every promise the package
//! makes about requests kept), and the answer's headers on an error (redacted like messages).

use super::*;

/// A JS client against the sandbox whose `fetch` option is `fetch`.
fn client_with_fetch(key: &str, fetch: &js_sys::Function) -> AccessClient {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    Reflect::set(&options, &"fetch".into(), fetch).unwrap();
    AccessClient::new(key.into(), options.into()).unwrap()
}

#[wasm_bindgen_test]
async fn the_fetch_option_is_called_instead_of_the_global_one() {
    let creator = session("creator", json!({})).await;
    // Each request's `Authorization`, credentials mode and redirect mode.
    type Seen = Vec<(Option<String>, String, String)>;
    let seen: Rc<RefCell<Seen>> = Rc::default();
    let log = seen.clone();
    let global: js_sys::Function = Reflect::get(&js_sys::global(), &"fetch".into())
        .unwrap()
        .unchecked_into();
    let real = global.clone();
    let own =
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |request: JsValue, init| {
            let request: web_sys::Request = request.unchecked_into();
            log.borrow_mut().push((
                request.headers().get("authorization").unwrap(),
                format!("{:?}", request.credentials()),
                format!("{:?}", request.redirect()),
            ));
            global.call2(&JsValue::UNDEFINED, &request, &init).unwrap()
        });
    let client = client_with_fetch(&creator.key, own.as_ref().unchecked_ref());
    // The global fetch would fail the call: only the option's is used.
    let _broken = FakeFetch::install(|_, _| {
        js_sys::Promise::reject(&"the global fetch was called".into()).into()
    });
    let user = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(Reflect::get(&user, &"Pubkey".into())
        .unwrap()
        .as_string()
        .is_some());
    JsFuture::from(client.get_pools(JsValue::UNDEFINED))
        .await
        .unwrap();
    let seen = seen.borrow().clone();
    assert_eq!(seen.len(), 2);
    // `assert!`, not `assert_eq!`: a failure must not print the header.
    assert!(
        seen[0].0.as_deref() == Some(format!("Bearer {}", creator.key).as_str()),
        "the keyed call did not carry the key"
    );
    assert_eq!(
        seen[1].0, None,
        "a public call carries no key, with any fetch"
    );
    for (_, credentials, redirect) in seen.iter() {
        assert_eq!(credentials, "Omit");
        assert_eq!(redirect, "Manual");
    }

    // The Rust builder takes one too.
    let count = Rc::new(RefCell::new(0));
    let counter = count.clone();
    let rust_fetch =
        Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |request, init| {
            *counter.borrow_mut() += 1;
            real.call2(&JsValue::UNDEFINED, &request, &init).unwrap()
        });
    let rust = Client::builder(&creator.key)
        .base_url(SANDBOX)
        .fetch(
            rust_fetch
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .clone(),
        )
        .build()
        .unwrap();
    rust.user().await.unwrap();
    assert_eq!(*count.borrow(), 1);
}

#[wasm_bindgen_test]
async fn a_fetch_option_that_misbehaves_still_gives_an_access_api_error_in_time() {
    let creator = session("creator", json!({})).await;
    // Never settles, ignores the signal: the deadline still ends the call.
    let never = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_, _| {
        js_sys::Promise::new(&mut |_, _| {}).into()
    });
    let client = client_with_fetch(&creator.key, never.as_ref().unchecked_ref());
    let options = js_sys::Object::new();
    Reflect::set(&options, &"timeoutMs".into(), &300.into()).unwrap();
    let started = now();
    let error = JsFuture::from(client.get_user(options.into()))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "timeout");
    assert!(now() - started < 3000.0);
    // Throws at once; answers with something that is not a Response.
    let throws = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_, _| {
        wasm_bindgen::throw_str("boom")
    });
    let client = client_with_fetch(&creator.key, throws.as_ref().unchecked_ref());
    let error = JsFuture::from(client.get_pools(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).0, "AccessApiError");
    let not_response = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_, _| {
        js_sys::Promise::resolve(&json_object(r#"{"status":200}"#)).into()
    });
    let client = client_with_fetch(&creator.key, not_response.as_ref().unchecked_ref());
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "invalid_response");
    // Not a function: refused when the client is made.
    let options = js_sys::Object::new();
    Reflect::set(&options, &"fetch".into(), &"fetch".into()).unwrap();
    let Err(thrown) = AccessClient::new(creator.key.clone().into(), options.into()) else {
        panic!("a fetch option that is not a function was accepted");
    };
    assert_eq!(js_error_fields(&thrown).1, "invalid_argument");
}

fn json_object(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

#[wasm_bindgen_test]
async fn an_error_carries_the_answers_headers_redacted() {
    let creator = session("creator", json!({})).await;
    let long = "y".repeat(1000);
    creator
        .fault(json!([{
            "path": "/user",
            "status": 429,
            "retry_after": "60",
            "headers": {
                "X-Request-Id": "req-7f3a",
                "X-RateLimit-Remaining": "0",
                "X-Echo": format!("key={}", creator.key),
                "X-Long": long,
                "Set-Cookie": "session=secret"
            }
        }]))
        .await;
    let client = js_client(&creator.key);
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    let headers = Reflect::get(&error, &"headers".into()).unwrap();
    let header = |name: &str| Reflect::get(&headers, &name.into()).unwrap().as_string();
    assert_eq!(header("x-request-id").as_deref(), Some("req-7f3a"));
    assert_eq!(header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(header("set-cookie"), None);
    let echo = header("x-echo").unwrap();
    assert_no_key(&echo, &creator.key);
    assert!(header("x-long").unwrap().chars().count() <= 256);
    assert_no_key(&stringify(&headers), &creator.key);

    // The Rust API has them too; a success has none to carry, a timeout none.
    creator
        .fault(json!([{ "path": "/user", "status": 503, "times": 3, "headers": { "X-Request-Id": "req-rust" } }]))
        .await;
    let error = client_with(&creator.key, |b| b.max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert!(error
        .headers()
        .iter()
        .any(|(name, value)| name == "x-request-id" && value == "req-rust"));
}

/// Every event an `onEvent` listener got, as JSON text, while it lives.
struct Events {
    seen: Rc<RefCell<Vec<Value>>>,
    listener: Closure<dyn FnMut(JsValue)>,
}

impl Events {
    fn new(throws: bool) -> Self {
        let seen: Rc<RefCell<Vec<Value>>> = Rc::default();
        let log = seen.clone();
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            log.borrow_mut()
                .push(serde_json::from_str(&stringify(&event)).unwrap());
            if throws {
                wasm_bindgen::throw_str("a listener's own exception");
            }
        });
        Events { seen, listener }
    }

    fn function(&self) -> &js_sys::Function {
        self.listener.as_ref().unchecked_ref()
    }

    fn types(&self) -> Vec<String> {
        self.seen
            .borrow()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    }
}

#[wasm_bindgen_test]
async fn on_event_tells_each_request_answer_retry_and_error_without_the_key() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "times": 1 }]))
        .await;
    let events = Events::new(true);
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    Reflect::set(&options, &"onEvent".into(), events.function()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    // A listener that throws does not break the call.
    JsFuture::from(client.get_user(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(
        events.types(),
        ["request", "response", "retry", "request", "response"]
    );
    {
        let seen = events.seen.borrow();
        assert_eq!(
            seen[0],
            json!({ "type": "request", "method": "GET", "path": "/user", "attempt": 1 })
        );
        assert_eq!(seen[1]["status"], 503);
        assert_eq!(seen[1]["bytes"], Value::Null);
        assert_eq!(seen[2]["reason"], "server");
        assert!(seen[2]["waitMs"].as_f64().unwrap() >= 0.0);
        assert_eq!(seen[3]["attempt"], 2);
        assert_eq!(seen[4]["status"], 200);
        assert!(seen[4]["bytes"].as_f64().unwrap() > 100.0);
        assert!(seen[4]["elapsedMs"].as_f64().unwrap() >= 0.0);
        for event in seen.iter() {
            assert_no_key(&event.to_string(), &creator.key);
        }
    }

    // A call's own listener replaces the client's; the query is not shown; the last event of a
    // request that fails is its error.
    let own = Events::new(false);
    let call = js_sys::Object::new();
    Reflect::set(&call, &"onEvent".into(), own.function()).unwrap();
    Reflect::set(&call, &"sendKey".into(), &true.into()).unwrap();
    let before = events.seen.borrow().len();
    let error = JsFuture::from(client.get("/nothing/here?token=abc".into(), call.clone().into()))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "not_found");
    assert_eq!(
        events.seen.borrow().len(),
        before,
        "the client's listener was told of a call with its own"
    );
    {
        let seen = own.seen.borrow();
        let last = seen.last().unwrap();
        assert_eq!(last["type"], "error");
        assert_eq!(last["kind"], "not_found");
        assert_eq!(last["status"], 404);
        for event in seen.iter() {
            assert_eq!(event["path"], "/nothing/here");
        }
    }
    // A key in a path (a segment or the query) is refused before anything is sent: nothing to
    // tell, and nothing in a server's or proxy's log.
    let told = own.seen.borrow().len();
    for path in [
        format!("/nothing/{}", creator.key),
        format!("/pools?token={}", creator.key),
    ] {
        let error = JsFuture::from(client.get(path.into(), call.clone().into()))
            .await
            .unwrap_err();
        let (_, kind, _, shown) = js_error_fields(&error);
        assert_eq!(kind, "invalid_argument");
        assert_no_key(&shown, &creator.key);
    }
    assert_eq!(own.seen.borrow().len(), told);
}

#[wasm_bindgen_test]
async fn listeners_that_reject_are_ignored_and_polls_that_find_nothing_are_not_errors() {
    let creator = session("creator", json!({})).await;
    // An async listener whose promise rejects: ignored (an unhandled rejection ends Node).
    let listener = js_sys::Function::new_with_args(
        "event",
        "return Promise.reject(new Error('a listener rejected'))",
    );
    let events = Events::new(false);
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    Reflect::set(&options, &"onEvent".into(), &listener).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    let export = js_sys::Object::new();
    Reflect::set(&export, &"onProgress".into(), &listener).unwrap();
    Reflect::set(&export, &"pollIntervalMs".into(), &250.into()).unwrap();
    JsFuture::from(client.export_csv("supporters".into(), export.clone().into()))
        .await
        .unwrap();
    // An export's polls that find nothing yet are answers (404), not errors.
    Reflect::set(&export, &"onEvent".into(), events.function()).unwrap();
    Reflect::delete_property(&export, &"onProgress".into()).unwrap();
    JsFuture::from(client.export_csv("rewards".into(), export.into()))
        .await
        .unwrap();
    let seen = events.seen.borrow();
    assert!(
        seen.iter()
            .any(|e| e["type"] == "response" && e["status"] == 404),
        "the sandbox's export is not ready at once"
    );
    assert!(seen.iter().all(|e| e["type"] != "error"), "{seen:?}");
    assert_eq!(seen.last().unwrap()["status"], 200);
}
