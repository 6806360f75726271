//! The JS surface: the `AccessApiError` class, causes, what `parseUser` takes, option names, export
//! timeouts, blobs, and the Rust API's parsed keys.

use super::*;

/// The constructor an object was made by, and whether it inherits from `Error`.
fn class_of(value: &JsValue) -> (String, bool) {
    let prototype = js_sys::Object::get_prototype_of(value);
    let constructor = Reflect::get(&prototype, &"constructor".into()).unwrap();
    let name = Reflect::get(&constructor, &"name".into())
        .unwrap()
        .as_string()
        .unwrap();
    (name, value.is_instance_of::<js_sys::Error>())
}

#[wasm_bindgen_test]
async fn errors_are_instances_of_access_creator_api_error() {
    sandbox_answers().await;
    let client = js_client(CANARY);
    let error = js_get_user_raw(&client, JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(class_of(&error), ("AccessApiError".to_owned(), true));
    let (name, kind, status, shown) = js_error_fields(&error);
    assert_eq!(
        (name.as_str(), kind.as_str(), status),
        ("AccessApiError", "unauthorized", Some(401.0))
    );
    // `name` comes from the class, as for built-in errors; `stack` says which error it is.
    assert!(!js_sys::Object::has_own(
        error.unchecked_ref::<js_sys::Object>(),
        &"name".into()
    ));
    let stack = Reflect::get(&error, &"stack".into())
        .unwrap()
        .as_string()
        .unwrap_or_default();
    assert!(stack.starts_with("AccessApiError"), "{stack}");
    assert_no_key(&shown, CANARY);
    assert_no_key(&stack, CANARY);
    // Thrown ones too.
    let thrown = AccessClient::new("not a key".into(), JsValue::UNDEFINED)
        .err()
        .unwrap();
    assert_eq!(class_of(&thrown), ("AccessApiError".to_owned(), true));
}

#[wasm_bindgen_test]
async fn an_aborted_call_has_the_signal_reason_as_its_cause() {
    let reason_error: JsValue = js_sys::RangeError::new("user left the page").into();
    for reason in [JsValue::from_str("user left the page"), reason_error] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "delay_ms": 4000 }]))
            .await;
        let client = js_client(&creator.key);
        let options = js_sys::Object::new();
        let signal = aborted_after(50, Some(reason.clone()));
        Reflect::set(&options, &"signal".into(), &signal).unwrap();
        let error = js_get_user_raw(&client, options.into()).await.unwrap_err();
        assert_eq!(js_error_fields(&error).1, "aborted");
        let cause = Reflect::get(&error, &"cause".into()).unwrap();
        assert!(js_sys::Object::is(&cause, &reason), "cause {cause:?}");
        // Already aborted: the same cause, nothing sent.
        let options = js_sys::Object::new();
        Reflect::set(&options, &"signal".into(), &signal).unwrap();
        let error = js_get_user_raw(&client, options.into()).await.unwrap_err();
        let cause = Reflect::get(&error, &"cause".into()).unwrap();
        assert!(js_sys::Object::is(&cause, &reason), "cause {cause:?}");
    }
}

#[wasm_bindgen_test]
async fn an_aborted_export_has_the_signal_reason_as_its_cause_in_every_step() {
    // Aborted while the export is requested, while a poll is answered, and while waiting to
    // poll: each time the caller's own reason is the cause, not the export's inner signal's.
    let reason: JsValue = js_sys::RangeError::new("user left the page").into();
    for (fault, poll_interval) in [
        (json!([{ "path": "/file/emails", "delay_ms": 4000 }]), 250),
        (json!([{ "path": "/file/link", "delay_ms": 4000 }]), 250),
        (json!([]), 5000),
    ] {
        let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
        creator.fault(fault.clone()).await;
        let client = js_client(&creator.key);
        let options = js_sys::Object::new();
        Reflect::set(
            &options,
            &"signal".into(),
            &aborted_after(300, Some(reason.clone())),
        )
        .unwrap();
        Reflect::set(&options, &"pollIntervalMs".into(), &poll_interval.into()).unwrap();
        let error = JsFuture::from(client.export_csv("emails".into(), options.into()))
            .await
            .unwrap_err();
        assert_eq!(js_error_fields(&error).1, "aborted", "{fault}");
        let cause = Reflect::get(&error, &"cause".into()).unwrap();
        assert!(
            js_sys::Object::is(&cause, &reason),
            "{fault}: cause {cause:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_network_error_has_what_fetch_said_as_its_cause() {
    // Port 9 ("discard"): browsers and Node refuse it without connecting.
    let error = client_with(CANARY, |b| b.base_url("http://127.0.0.1:9").max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    let cause = error.js_cause().expect("the rejection is the cause");
    assert!(cause.is_instance_of::<js_sys::TypeError>(), "{cause:?}");
    let js: JsValue = error.into();
    let cause = Reflect::get(&js, &"cause".into()).unwrap();
    assert!(cause.is_instance_of::<js_sys::TypeError>());
}

#[wasm_bindgen_test]
async fn a_refused_connection_on_a_normal_port_is_a_network_error_with_its_cause() {
    let port = control("GET", "/__sandbox/closed-port", None).await["port"]
        .as_u64()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let started = now();
    let error = client_with(CANARY, |b| b.base_url(&url).max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network);
    assert!(now() - started < 2_000.0, "refused at once");
    let cause = error
        .js_cause()
        .expect("the rejection is the cause")
        .clone();
    assert!(cause.is_instance_of::<js_sys::TypeError>());
    // Node's undici puts the system error under it.
    if node_timers().is_some() {
        let system = Reflect::get(&cause, &"cause".into()).unwrap();
        let code = Reflect::get(&system, &"code".into()).unwrap().as_string();
        assert_eq!(code.as_deref(), Some("ECONNREFUSED"));
    }
    assert_no_key(&format!("{error:?}"), CANARY);
}

#[wasm_bindgen_test]
async fn a_cause_that_holds_a_token_is_left_out() {
    let creator = session("creator", json!({})).await;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    Reflect::set(&options, &"maxRetries".into(), &0.into()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    let leaky = format!("header was Bearer {}", creator.key);
    let fake = FakeFetch::install(move |_, _| {
        Promise::reject(&js_sys::TypeError::new(&leaky).into()).into()
    });
    let outcome = js_get_user_raw(&client, JsValue::UNDEFINED).await;
    drop(fake);
    let error = outcome.unwrap_err();
    assert_eq!(js_error_fields(&error).1, "network");
    assert!(Reflect::get(&error, &"cause".into())
        .unwrap()
        .is_undefined());
    assert_no_key(&js_error_fields(&error).3, &creator.key);
}

#[wasm_bindgen_test]
fn parse_user_takes_text_or_the_parsed_object() {
    let object = js_sys::JSON::parse(SAMPLE).unwrap();
    let user = parse_user(object).unwrap();
    assert_eq!(stringify(&user), SAMPLE.trim());
    let array = js_sys::JSON::parse("[]").unwrap();
    assert_eq!(
        parse_user(array).map_err(|e| js_error_fields(&e).1),
        Err("invalid_response".to_owned())
    );
    for bad in [
        JsValue::from(5),
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::TRUE,
    ] {
        assert_eq!(
            parse_user(bad).map_err(|e| js_error_fields(&e).1),
            Err("invalid_argument".to_owned())
        );
    }
}

#[wasm_bindgen_test]
async fn unknown_option_names_are_refused_with_a_suggestion() {
    let refused = js_client_with(CANARY, json!({ "baseURL": "https://example.com" })).err();
    assert_eq!(refused.as_deref(), Some("invalid_argument"));
    let options = js_sys::JSON::parse(r#"{"baseURL": "x"}"#).unwrap();
    let error = AccessClient::new(CANARY.into(), options).err().unwrap();
    let message = Reflect::get(&error, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        message.contains("`baseURL`") && message.contains("`baseUrl`"),
        "{message}"
    );

    // A name is shown bounded, and never with anything shaped like a key (a key pasted as a
    // name, or the client's own key).
    let long = "n".repeat(10_000);
    for (name, not_shown) in [
        (
            CANARY.to_owned(),
            CANARY.split('.').nth(1).unwrap().to_owned(),
        ),
        (long.clone(), "n".repeat(41)),
    ] {
        let options = js_sys::Object::new();
        Reflect::set(&options, &name.as_str().into(), &1.into()).unwrap();
        let error = AccessClient::new(CANARY.into(), options.into())
            .err()
            .unwrap();
        let (_, kind, _, shown) = js_error_fields(&error);
        assert_eq!(kind, "invalid_argument");
        assert!(!shown.contains(&not_shown), "{shown}");
        assert!(shown.len() < 600, "{} characters", shown.len());
    }
    let creator = session("creator", json!({})).await;
    let client = js_client(&creator.key);
    let signature = creator.key.rsplit('.').next().unwrap().to_owned();
    let options = js_sys::Object::new();
    Reflect::set(&options, &signature.as_str().into(), &1.into()).unwrap();
    let error = JsFuture::from(client.get_user(options.into()))
        .await
        .unwrap_err();
    assert_no_key(&js_error_fields(&error).3, &creator.key);
    for (call, options) in [
        ("getUser", json!({ "timeout": 5000 })),
        ("exportCsv", json!({ "maxWaitMs": 5000 })),
        ("exportCsv", json!({ "pollInterval": 5000 })),
    ] {
        let options = js_sys::JSON::parse(&options.to_string()).unwrap();
        let promise = match call {
            "getUser" => client.get_user(options),
            _ => client.export_csv("emails".into(), options),
        };
        let error = JsFuture::from(promise).await.unwrap_err();
        assert_eq!(js_error_fields(&error).1, "invalid_argument", "{call}");
    }
    assert_eq!(creator.count("GET /user").await, 0);
    assert_eq!(creator.count("POST /file/emails").await, 0);
}

#[wasm_bindgen_test]
async fn export_timeouts_say_what_they_bound() {
    // `timeoutMs` bounds the whole export: `export_timeout`.
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let client = js_client(&creator.key);
    let options = js_sys::JSON::parse(r#"{"timeoutMs": 700, "pollIntervalMs": 250}"#).unwrap();
    let started = now();
    let error = JsFuture::from(client.export_csv("emails".into(), options))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "export_timeout");
    assert!(now() - started < 2000.0);

    // `requestTimeoutMs` bounds each request: a slow poll is `timeout`, at once.
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    creator
        .fault(json!([{ "path": "/file/link", "delay_ms": 5000 }]))
        .await;
    let client = js_client(&creator.key);
    let options = js_sys::JSON::parse(r#"{"timeoutMs": 20000, "requestTimeoutMs": 400}"#).unwrap();
    let started = now();
    let error = JsFuture::from(client.export_csv("emails".into(), options))
        .await
        .unwrap_err();
    let waited = now() - started;
    assert_eq!(js_error_fields(&error).1, "timeout");
    assert!(waited < 2000.0, "{waited} ms");
}

#[wasm_bindgen_test]
async fn exports_as_blobs_are_the_bytes_that_arrived() {
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    let client = js_client(&creator.key);
    let options = js_sys::JSON::parse(r#"{"pollIntervalMs": 250}"#).unwrap();
    let blob: web_sys::Blob = JsFuture::from(client.export_csv_blob("supporters".into(), options))
        .await
        .unwrap()
        .dyn_into()
        .expect("a Blob");
    assert_eq!(blob.type_(), "text/csv");
    let id = JsFuture::from(client.request_export("supporters".into(), JsValue::UNDEFINED))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    sleep(50).await;
    let text = JsFuture::from(client.download_export(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let bytes =
        js_sys::Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.unwrap()).to_vec();
    // The sandbox writes the same rows for the same account and kind.
    assert_eq!(bytes, text.as_bytes());
    assert!(!text.is_ascii(), "the rows hold non-ASCII names");

    // The same cap, and `null` while not ready.
    let small = js_client_with(&creator.key, json!({ "maxCsvBytes": 100 })).unwrap();
    let error = JsFuture::from(small.download_export_blob(id.into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "too_large");
    let unknown = JsFuture::from(client.download_export_blob(
        "5e491ab8-17f2-46ee-80d4-7eec9017f6be".into(),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert!(unknown.is_null());
}

#[wasm_bindgen_test]
async fn a_csv_with_a_byte_order_mark_is_text_without_it_and_a_blob_with_it() {
    // Text is decoded as `Response.text()` decodes it (a leading BOM dropped); a Blob is the
    // bytes as they came.
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    let csv = "\u{feff}name,amount\r\nAda,1\r\n";
    creator
        .fault(
            json!([{ "path": "/file/link", "times": 2, "text": csv, "content_type": "text/csv" }]),
        )
        .await;
    let client = creator.client();
    let text = client
        .export_csv(ExportKind::Rewards)
        .poll_interval(Duration::from_millis(250))
        .await
        .unwrap();
    assert_eq!(text, "name,amount\r\nAda,1\r\n");
    let blob = client
        .export_csv(ExportKind::Rewards)
        .poll_interval(Duration::from_millis(250))
        .blob()
        .await
        .unwrap();
    let bytes =
        js_sys::Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.unwrap()).to_vec();
    assert_eq!(bytes, csv.as_bytes());
    assert_eq!(&bytes[..3], [0xEF, 0xBB, 0xBF]);
}

#[wasm_bindgen_test]
async fn the_rust_api_takes_parsed_keys_and_builds_calls() {
    let creator = session("creator", json!({})).await;
    let key = access_creator_api::ApiKey::parse(&format!("Bearer {}", creator.key)).unwrap();
    let client = Client::builder(&key).base_url(SANDBOX).build().unwrap();
    assert!(Client::new(key).is_ok());
    let user = client
        .user()
        .timeout(Duration::from_secs(10))
        .await
        .unwrap();
    assert!(user.owned_pool.is_some());
    let id = client.request_export(ExportKind::Rewards).await.unwrap();
    // Not ready yet (the sandbox takes 1.5 s): nothing, not an error.
    assert!(client.download_export(&id).blob().await.unwrap().is_none());
    let mut blob = None;
    for _ in 0..40 {
        sleep(250).await;
        blob = client.download_export(&id).blob().await.unwrap();
        if blob.is_some() {
            break;
        }
    }
    let blob = blob.expect("the file was ready within 10 s");
    assert_eq!(blob.type_(), "text/csv");
    let text = client.download_export(&id).await.unwrap().unwrap();
    assert_eq!(blob.size() as usize, text.len());
    assert!(text.len() > 100, "{text}");
}
