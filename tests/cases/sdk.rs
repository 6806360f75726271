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
    let own = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |request: JsValue, init| {
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
    let _broken = FakeFetch::install(|_, _| js_sys::Promise::reject(&"the global fetch was called".into()).into());
    let user = JsFuture::from(client.get_user(JsValue::UNDEFINED)).await.unwrap();
    assert!(Reflect::get(&user, &"Pubkey".into()).unwrap().as_string().is_some());
    JsFuture::from(client.get_pools(JsValue::UNDEFINED)).await.unwrap();
    let seen = seen.borrow().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].0.as_deref(), Some(format!("Bearer {}", creator.key).as_str()));
    assert_eq!(seen[1].0, None, "a public call carries no key, with any fetch");
    for (_, credentials, redirect) in seen.iter() {
        assert_eq!(credentials, "Omit");
        assert_eq!(redirect, "Manual");
    }

    // The Rust builder takes one too.
    let count = Rc::new(RefCell::new(0));
    let counter = count.clone();
    let rust_fetch = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(move |request, init| {
        *counter.borrow_mut() += 1;
        real.call2(&JsValue::UNDEFINED, &request, &init).unwrap()
    });
    let rust = Client::builder(&creator.key)
        .base_url(SANDBOX)
        .fetch(rust_fetch.as_ref().unchecked_ref::<js_sys::Function>().clone())
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
    let error = JsFuture::from(client.get_user(options.into())).await.unwrap_err();
    assert_eq!(js_error_fields(&error).1, "timeout");
    assert!(now() - started < 3000.0);
    // Throws at once; answers with something that is not a Response.
    let throws = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_, _| {
        wasm_bindgen::throw_str("boom")
    });
    let client = client_with_fetch(&creator.key, throws.as_ref().unchecked_ref());
    let error = JsFuture::from(client.get_pools(JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(js_error_fields(&error).0, "AccessApiError");
    let not_response = Closure::<dyn FnMut(JsValue, JsValue) -> JsValue>::new(|_, _| {
        js_sys::Promise::resolve(&json_object(r#"{"status":200}"#)).into()
    });
    let client = client_with_fetch(&creator.key, not_response.as_ref().unchecked_ref());
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED)).await.unwrap_err();
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
    let error = JsFuture::from(client.get_user(JsValue::UNDEFINED)).await.unwrap_err();
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
    let error = client_with(&creator.key, |b| b.max_retries(0)).user().await.unwrap_err();
    assert!(error
        .headers()
        .iter()
        .any(|(name, value)| name == "x-request-id" && value == "req-rust"));
}
