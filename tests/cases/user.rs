//! GET /user: records through the Rust and JS APIs, rejected and malformed keys, options, local key
//! decoding.

use super::*;

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
    let sample: Value = serde_json::from_str(include_str!("../fixtures/user.sample.json")).unwrap();
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
    sandbox_answers().await;
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
