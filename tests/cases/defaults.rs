//! Client-level defaults, GET retries of downloads, reads cut short, retry decisions under a
//! wall-clock jump.

use super::*;

#[wasm_bindgen_test]
async fn the_clients_timeout_is_each_calls_and_each_export_requests_default() {
    // A call: the client's 300 ms, not the 30 s default.
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    creator
        .fault(json!([{ "path": "/user", "delay_ms": 4000 }]))
        .await;
    let client = client_with(&creator.key, |b| b.timeout(Duration::from_millis(300)));
    let started = now();
    let error = client.user().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!(now() - started < 1500.0, "took {} ms", now() - started);
    // An export's request, with no requestTimeoutMs: the client's timeoutMs bounds it, inside
    // the export's own 20 s.
    let js = js_client_with(&creator.key, json!({ "timeoutMs": 400 })).unwrap();
    creator
        .fault(json!([{ "path": "/file/link", "delay_ms": 5000 }]))
        .await;
    let options = js_sys::JSON::parse(r#"{"timeoutMs":20000,"pollIntervalMs":250}"#).unwrap();
    let started = now();
    let error = JsFuture::from(js.export_csv("emails".into(), options))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&error).1, "timeout");
    assert!(now() - started < 2000.0, "took {} ms", now() - started);
}

#[wasm_bindgen_test]
async fn a_download_is_retried_like_every_get() {
    // The file is ready; its first two answers fail (a 503, then a dropped connection), and
    // the third is the file.
    for fault in [
        json!([{ "path": "/file/link", "status": 503, "times": 2 }]),
        json!([{ "path": "/file/link", "body": "abort", "times": 2 }]),
    ] {
        let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
        let client = creator.client();
        let id = client.request_export(ExportKind::Emails).await.unwrap();
        creator.fault(fault.clone()).await;
        let csv = client.download_export(&id).await.unwrap();
        assert!(csv.is_some_and(|csv| csv.contains('@')), "{fault}");
        assert_eq!(creator.count("GET /file/link").await, 3, "{fault}");
    }
}

#[wasm_bindgen_test]
async fn a_deadline_while_a_file_is_read_ends_the_download_at_once() {
    // The CSV trickles in 64 bytes every 200 ms; the request's 500 ms deadline ends the read.
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    let client = creator.client();
    let id = client.request_export(ExportKind::Emails).await.unwrap();
    creator
        .fault(json!([{ "path": "/file/link", "trickle_ms": 200 }]))
        .await;
    let started = now();
    let error = client
        .download_export(&id)
        .timeout(Duration::from_millis(500))
        .await
        .unwrap_err();
    let waited = now() - started;
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!((450.0..1200.0).contains(&waited), "ended after {waited} ms");
}

#[wasm_bindgen_test]
async fn retry_decisions_ignore_a_wall_clock_jump() {
    // Two 503s asking for 1 s each; the wall clock jumps an hour ahead during the first wait.
    // The second retry is decided on the time left before the 20 s deadline: measured on the
    // wall clock, none would be left and the call would end with the 503.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "retry_after": "1", "times": 2 }]))
        .await;
    let jump: Rc<RefCell<Option<WallClockJump>>> = Rc::default();
    let later = Closure::once_into_js({
        let jump = jump.clone();
        move || *jump.borrow_mut() = Some(WallClockJump::ahead(3_600_000.0))
    });
    set_timeout(later.unchecked_ref(), 300);
    let outcome = creator
        .client()
        .user()
        .timeout(Duration::from_millis(20_000))
        .await;
    let jumped = jump.borrow_mut().take().is_some();
    assert!(jumped, "positive control: the clock jumped during the call");
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(creator.count("GET /user").await, 3);
}
