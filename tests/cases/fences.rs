//! Fences: whatever JavaScript hands the client (signals aborted with any reason, replaced `fetch`
//! functions that misbehave), the call settles.

use super::*;

#[wasm_bindgen_test]
async fn a_signal_aborted_with_any_reason_rejects_promptly_with_aborted() {
    let reasons: [(&str, JsValue); 3] = [
        ("a string", JsValue::from_str("user navigated away")),
        ("undefined", JsValue::UNDEFINED),
        (
            "an Error subclass",
            js_sys::TypeError::new("superseded").into(),
        ),
    ];
    for (what, reason) in reasons {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "delay_ms": 4000 }]))
            .await;
        let client = js_client(&creator.key);
        let options = js_sys::Object::new();
        let signal = aborted_after(100, Some(reason));
        Reflect::set(&options, &"signal".into(), &signal).unwrap();
        let started = now();
        let error = js_get_user(&client, options.into()).await.unwrap_err();
        let waited = now() - started;
        assert_eq!(
            error,
            ("AccessApiError".to_owned(), "aborted".to_owned()),
            "{what}"
        );
        assert!(waited < 1500.0, "{what}: settled after {waited} ms");
        // The same client goes on working.
        assert!(
            js_get_user(&client, JsValue::UNDEFINED).await.is_ok(),
            "{what}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_replaced_fetch_that_misbehaves_never_leaves_a_call_hanging() {
    let creator = session("creator", json!({})).await;
    // No retries, so "promptly" means one attempt.
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    Reflect::set(&options, &"maxRetries".into(), &0.into()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    type Answer = fn() -> JsValue;
    let fakes: [(&str, Answer, &str); 5] = [
        (
            "rejects with a string",
            || Promise::reject(&"offline".into()).into(),
            "network",
        ),
        (
            "rejects with null",
            || Promise::reject(&JsValue::NULL).into(),
            "network",
        ),
        (
            "rejects with undefined",
            || Promise::reject(&JsValue::UNDEFINED).into(),
            "network",
        ),
        (
            "resolves to a plain object",
            || Promise::resolve(&js_sys::Object::new()).into(),
            "invalid_response",
        ),
        (
            "returns a number, not a promise",
            || JsValue::from(42),
            "invalid_response",
        ),
    ];
    for (what, answer, kind) in fakes {
        let fake = FakeFetch::install(move |_request, _init| answer());
        let started = now();
        let outcome = js_get_user(&client, JsValue::UNDEFINED).await;
        let waited = now() - started;
        drop(fake);
        assert_eq!(
            outcome.unwrap_err(),
            ("AccessApiError".to_owned(), kind.to_owned()),
            "fetch {what}"
        );
        assert!(waited < 500.0, "fetch {what}: settled after {waited} ms");
    }
    // Nothing reached the sandbox while fetch was replaced, and the same client works now.
    assert_eq!(creator.count("GET /user").await, 0);
    assert!(js_get_user(&client, JsValue::UNDEFINED).await.is_ok());
    assert_eq!(creator.count("GET /user").await, 1);
}
