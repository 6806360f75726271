//! The numbers the READMEs give, pinned at their edges: read caps, an export's reference id,
//! requests as documented, progress fields, `Retry-After` against the deadline, a cancel while
//! waiting to poll, builder ranges.

use super::*;

#[wasm_bindgen_test]
async fn a_user_answer_is_read_up_to_1_mib_and_not_a_byte_more() {
    // `oversized` is a JSON object of exactly `bytes` bytes, a valid record with one unknown
    // field; with and without `Content-Length`.
    for content_length in [true, false] {
        for (bytes, fits) in [(1_048_576, true), (1_048_577, false)] {
            let creator = session("creator", json!({})).await;
            creator
                .fault(json!([{ "path": "/user", "body": "oversized", "bytes": bytes, "content_length": content_length }]))
                .await;
            let outcome = creator.client().user().await;
            let what = format!("{bytes} bytes, content_length {content_length}");
            match (fits, outcome) {
                (true, Ok(user)) => assert!(!user.enabled_email_auto_subs, "{what}"),
                (false, Err(error)) => assert_eq!(error.kind(), ErrorKind::TooLarge, "{what}"),
                (_, outcome) => panic!("{what}: {outcome:?}"),
            }
        }
    }
}

#[wasm_bindgen_test]
async fn an_error_answer_is_read_up_to_4_kib_for_its_message() {
    // A JSON error of exactly 4096 bytes gives its `message`; one byte more is cut at 4 KiB,
    // is no longer JSON, and its beginning is shown as it came.
    for (bytes, parsed) in [(4096, true), (4097, false)] {
        let head = r#"{"message":"MARK","padding":""#;
        let text = format!("{head}{}\"}}", "x".repeat(bytes - head.len() - 2));
        assert_eq!(text.len(), bytes);
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "status": 500, "text": text }]))
            .await;
        let error = client_with(&creator.key, |b| b.max_retries(0))
            .user()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server);
        assert!(error.message().contains("MARK"), "{bytes}: {error}");
        assert_eq!(
            !error.message().contains(r#"{"message""#),
            parsed,
            "{bytes} bytes: {error}"
        );
    }
}

#[wasm_bindgen_test]
async fn an_export_answer_that_is_not_a_reference_id_is_an_invalid_response() {
    let long = format!("\"{}\"", "a".repeat(129));
    let over_4_kib = format!("\"{}\"", "a".repeat(5_000));
    for (text, kind) in [
        ("\"../user\"", ErrorKind::InvalidResponse),
        ("\"5e491ab8 17f2\"", ErrorKind::InvalidResponse),
        ("42", ErrorKind::InvalidResponse),
        ("{\"id\":\"abc\"}", ErrorKind::InvalidResponse),
        (long.as_str(), ErrorKind::InvalidResponse),
        (over_4_kib.as_str(), ErrorKind::TooLarge),
    ] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/file/emails", "text": text }]))
            .await;
        let error = creator
            .client()
            .request_export(ExportKind::Emails)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), kind, "{text:.40}: {error}");
        assert_eq!(creator.count("POST /file/emails").await, 1);
    }
    // The positive control: the longest id the rule allows is taken.
    let creator = session("creator", json!({})).await;
    let longest = format!("\"{}\"", "a".repeat(128));
    creator
        .fault(json!([{ "path": "/file/emails", "text": longest }]))
        .await;
    let id = creator
        .client()
        .request_export(ExportKind::Emails)
        .await
        .unwrap();
    assert_eq!(id, "a".repeat(128));
}

#[wasm_bindgen_test]
async fn requests_are_made_as_the_readme_says() {
    // What `fetch` is handed, read from the Request itself: no cookies or HTTP auth of the
    // page's (credentials "omit"), redirects not followed ("manual"), JSON asked for, no body
    // so no Content-Type, and the key only in Authorization.
    let seen: Rc<RefCell<Vec<web_sys::Request>>> = Rc::default();
    let fake = FakeFetch::install({
        let seen = seen.clone();
        move |request, _init| {
            seen.borrow_mut().push(request.unchecked_into());
            Promise::reject(&JsValue::from_str("recorded")).into()
        }
    });
    let client = client_with(CANARY, |b| b.base_url(SANDBOX).max_retries(0));
    let user = client.user().await.unwrap_err();
    let export = client
        .request_export(ExportKind::Rewards)
        .await
        .unwrap_err();
    drop(fake);
    assert_eq!(
        (user.kind(), export.kind()),
        (ErrorKind::Network, ErrorKind::Network)
    );
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2);
    for (request, (method, path)) in seen
        .iter()
        .zip([("GET", "/user"), ("POST", "/file/rewards")])
    {
        assert_eq!(request.method(), method);
        assert_eq!(request.url(), format!("{SANDBOX}{path}"));
        assert_eq!(
            request.credentials(),
            web_sys::RequestCredentials::Omit,
            "{path}"
        );
        assert_eq!(
            request.redirect(),
            web_sys::RequestRedirect::Manual,
            "{path}"
        );
        // Nothing of a creator's is kept in, or answered from, the HTTP cache.
        assert_eq!(
            Reflect::get(request, &"cache".into())
                .unwrap()
                .as_string()
                .as_deref(),
            Some("no-store"),
            "{path}"
        );
        let headers = request.headers();
        assert_eq!(
            headers.get("accept").unwrap().as_deref(),
            Some("application/json"),
            "{path}"
        );
        assert_eq!(headers.get("content-type").unwrap(), None, "{path}");
        assert_eq!(
            headers.get("authorization").unwrap(),
            Some(format!("Bearer {CANARY}")),
            "{path}"
        );
        assert!(!request.url().contains(CANARY));
    }
}

#[wasm_bindgen_test]
async fn progress_reports_have_exactly_the_documented_fields_and_a_throwing_callback_is_ignored() {
    let creator = session("creator", json!({ "export_delay_ms": 300 })).await;
    let client = js_client(&creator.key);
    let reports: Rc<RefCell<Vec<String>>> = Rc::default();
    let on_progress = Closure::<dyn FnMut(JsValue) -> Result<(), JsValue>>::new({
        let reports = reports.clone();
        move |progress: JsValue| {
            let keys = js_sys::Object::keys(progress.unchecked_ref::<js_sys::Object>());
            let mut keys: Vec<String> = keys.iter().filter_map(|k| k.as_string()).collect();
            keys.sort();
            let phase = Reflect::get(&progress, &"phase".into()).unwrap();
            reports.borrow_mut().push(format!(
                "{}: {}",
                phase.as_string().unwrap(),
                keys.join(",")
            ));
            // A caller's bug, thrown at every report.
            Err(js_sys::Error::new("the caller's own bug").into())
        }
    });
    let options = js_sys::Object::new();
    Reflect::set(&options, &"onProgress".into(), on_progress.as_ref()).unwrap();
    Reflect::set(&options, &"pollIntervalMs".into(), &250.into()).unwrap();
    let csv = JsFuture::from(client.export_csv("emails".into(), options.into()))
        .await
        .expect("the export went on past the callback's exceptions");
    assert!(csv.as_string().unwrap().contains('@'));
    let reports = reports.borrow();
    let fields = "attempt,elapsedMs,kind,phase,referenceId";
    assert!(reports.len() >= 4, "{reports:?}");
    assert_eq!(reports.first().unwrap(), &format!("requesting: {fields}"));
    assert_eq!(reports.last().unwrap(), &format!("done: {fields}"));
    assert!(
        reports.iter().all(|r| r.ends_with(&format!(": {fields}"))),
        "{reports:?}"
    );
}

#[wasm_bindgen_test]
async fn a_retry_after_that_does_not_fit_the_deadline_fails_at_once() {
    // Waiting 2 s cannot end before a 1 s deadline: the 503 is the answer, now, not a timeout
    // after a useless wait.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "retry_after": "2" }]))
        .await;
    let started = now();
    let error = creator
        .client()
        .user()
        .timeout(Duration::from_millis(1000))
        .await
        .unwrap_err();
    let waited = now() - started;
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Server, Some(503))
    );
    assert_eq!(error.retry_after(), Some(Duration::from_secs(2)));
    assert!(waited < 500.0, "gave up only after {waited} ms");
    assert_eq!(creator.count("GET /user").await, 1);
}

#[wasm_bindgen_test]
async fn a_cancel_while_waiting_to_poll_ends_the_export_at_once() {
    // The first poll says "not ready", then a 5 s wait; the abort comes 1.5 s in.
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let signal = aborted_after(1500, None);
    let started = now();
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(5000))
        .signal(&signal)
        .await
        .unwrap_err();
    let waited = now() - started;
    assert_eq!(error.kind(), ErrorKind::Aborted, "{error}");
    assert!(
        (1400.0..1900.0).contains(&waited),
        "the abort at 1.5 s ended the export after {waited} ms"
    );
    assert_eq!(creator.count("GET /file/link").await, 1);
}

/// The Rust builders check the same ranges as the JS options, in the same words: a duration
/// a JavaScript timer cannot hold, or a zero one, is an `invalid_argument`, before any request.
#[wasm_bindgen_test]
async fn rust_builders_refuse_durations_out_of_range() {
    let too_long = Duration::from_millis(2_147_483_648);
    for (bad, said) in [(Duration::ZERO, "zero"), (too_long, "2^31 ms")] {
        let error = Client::builder(CANARY).timeout(bad).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{said}");
        assert_eq!(
            error.message(),
            "the timeout must be from 1 to 2147483647 ms"
        );
    }
    let creator = session("creator", json!({})).await;
    let client = creator.client();
    let error = client.user().timeout(too_long).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        error.message(),
        "the call's timeout must be from 1 to 2147483647 ms"
    );
    let error = client
        .export_csv(ExportKind::Supporters)
        .poll_interval(Duration::ZERO)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        error.message(),
        "the poll interval must be from 1 to 2147483647 ms"
    );
    let error = client
        .export_csv(ExportKind::Supporters)
        .request_timeout(too_long)
        .await
        .unwrap_err();
    assert_eq!(
        error.message(),
        "the request timeout must be from 1 to 2147483647 ms"
    );
    assert_eq!(creator.count("GET /user").await, 0);
    assert_eq!(creator.count("POST /file/supporters").await, 0);

    // The JS options reach the same check and say the same.
    let options = js_sys::Object::new();
    Reflect::set(&options, &"timeoutMs".into(), &0.into()).unwrap();
    let Err(thrown) = AccessClient::new(CANARY.into(), options.into()) else {
        panic!("timeoutMs: 0 was accepted");
    };
    let shown = String::from(thrown.unchecked_ref::<js_sys::Error>().message());
    assert_eq!(shown, "the timeout must be from 1 to 2147483647 ms");
}
