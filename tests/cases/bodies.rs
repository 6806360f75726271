//! Bodies: caps that hold (gzip bombs, lying headers), text that is UTF-8, error messages that are
//! read (and reads of them cut short), keys echoed back redacted.

use super::*;

#[wasm_bindgen_test]
async fn a_gzip_bomb_is_cut_at_the_cap_of_its_decoded_bytes() {
    // 1 GiB of CSV once decoded, 3.4 MB as sent: the Content-Length is under the 8 MiB cap, so
    // only counting the decoded bytes as they come stops it (a string of 1 GiB cannot even be
    // made in V8).
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    creator
        .fault(json!([{ "path": "/file/link", "body": "gzip", "bomb": true, "bytes": 1_073_741_824u64 }]))
        .await;
    let client = client_with(&creator.key, |b| b.max_csv_bytes(8 << 20));
    let started = now();
    let error = client.export_csv(ExportKind::Emails).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooLarge, "{error}");
    assert!(now() - started < 10_000.0, "{} ms", now() - started);
}

#[wasm_bindgen_test]
async fn reading_stops_near_the_cap_whatever_the_headers_say() {
    // 1 GiB decoded, about 500 MB compressed, sent without a length: the client must stop
    // after about 4 MiB decoded, and the sandbox sees it go.
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    creator
        .fault(json!([{ "path": "/file/link", "body": "gzip", "bytes": 1u64 << 30, "content_length": false }]))
        .await;
    let client = client_with(&creator.key, |b| b.max_csv_bytes(4 << 20));
    let error = client.export_csv(ExportKind::Emails).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooLarge, "{error}");
    sleep(300).await;
    let body = creator.report().await["bodies"][0].clone();
    assert_eq!(body["complete"], json!(false), "{body}");
    let (written, total) = (
        body["written"].as_u64().unwrap(),
        body["total"].as_u64().unwrap(),
    );
    // What was written but not read sat in socket and browser buffers: up to 24 MB seen in
    // Firefox, which reads ahead of the page (a bound of a quarter of 96 MB failed there once).
    // 64 MiB, the sandbox's own bound for this, is still a small part of the whole.
    assert!(written < 64 << 20, "wrote {written} of {total}: {body}");
    assert!(
        total > 400 << 20,
        "the whole is much more than the bound: {body}"
    );
}

#[wasm_bindgen_test]
async fn a_csv_that_is_not_utf8_is_an_invalid_response() {
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    creator
        .fault(json!([{ "path": "/file/link", "body": "invalid_utf8" }]))
        .await;
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error}");
    assert!(error.message().contains("UTF-8"), "{error}");
}

#[wasm_bindgen_test]
async fn a_long_error_answer_still_gives_the_server_message() {
    let creator = session("creator", json!({})).await;
    let text = format!("Maintenance until 10:00 UTC. {}", "x".repeat(10_000));
    creator
        .fault(
            json!([{ "path": "/user", "status": 503, "text": text, "content_type": "text/plain" }]),
        )
        .await;
    let error = client_with(&creator.key, |b| b.max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert!(
        error.message().contains("Maintenance until 10:00 UTC."),
        "{error}"
    );
    assert!(error.message().chars().count() < 300, "{error}");
}

#[wasm_bindgen_test]
async fn html_pages_are_refused_wherever_they_come() {
    // A proxy's page instead of the CSV: not the file.
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    creator
        .fault(json!([{ "path": "/file/link", "body": "html" }]))
        .await;
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidResponse, "{error}");
    assert!(error.message().contains("HTML"), "{error}");
    // A gateway's 502 page: a server error, whose page is not quoted.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 502, "body": "html" }]))
        .await;
    let error = client_with(&creator.key, |b| b.max_retries(0))
        .user()
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Server, Some(502))
    );
    assert!(!error.message().contains('<'), "{error}");
}

#[wasm_bindgen_test]
async fn a_body_cut_short_is_a_network_error_and_retried() {
    // The whole length announced, the connection dropped after half: the body never ended.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "body": "truncated", "times": 3 }]))
        .await;
    let error = creator.client().user().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Network, "{error}");
    assert_eq!(creator.count("GET /user").await, 3, "retried twice");
    // Once: retried, and then answered.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "body": "truncated" }]))
        .await;
    assert!(creator.client().user().await.is_ok());
}

#[wasm_bindgen_test]
async fn a_server_that_echoes_the_key_is_redacted() {
    for content_type in ["application/json", "text/plain"] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "status": 401, "echo_authorization": true, "content_type": content_type }]))
            .await;
        let client = js_client(&creator.key);
        let error = js_get_user_raw(&client, JsValue::UNDEFINED)
            .await
            .unwrap_err();
        let (_, kind, _, shown) = js_error_fields(&error);
        assert_eq!(kind, "unauthorized");
        assert!(
            shown.contains("[REDACTED]"),
            "{content_type}: the echo was not seen: {shown}"
        );
        assert_no_key(&shown, &creator.key);
    }
}

/// A call that fails once its error answer has been read (a 503 with `Retry-After: 10`, its
/// 1,280-byte body trickled over about 1.9 s), cut short at 300 ms by an abort or by its
/// deadline. A call that waited for the body would settle after 1.9 s at the earliest; the cases
/// allow 1,000 ms, so that a loaded machine (a browser and three builds on two cores once took
/// 416 ms) cannot make a call that ended at once look late.
async fn cut_short_while_reading_an_error(deadline: bool) -> (String, f64) {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{
            "path": "/user", "status": 503, "retry_after": "10",
            "text": "s".repeat(1280), "content_type": "text/plain", "trickle_ms": 100,
        }]))
        .await;
    let client = js_client(&creator.key);
    let options = js_sys::Object::new();
    if deadline {
        Reflect::set(&options, &"timeoutMs".into(), &300.into()).unwrap();
    } else {
        Reflect::set(&options, &"signal".into(), &aborted_after(300, None)).unwrap();
    }
    let started = now();
    let error = js_get_user_raw(&client, options.into()).await.unwrap_err();
    (js_error_fields(&error).1, now() - started)
}

#[wasm_bindgen_test]
async fn an_abort_while_an_error_answer_is_read_ends_the_call_at_once() {
    let (kind, waited) = cut_short_while_reading_an_error(false).await;
    assert_eq!(kind, "aborted");
    assert!(
        waited < 1000.0,
        "aborted at 300 ms, settled after {waited} ms"
    );
}

#[wasm_bindgen_test]
async fn a_deadline_while_an_error_answer_is_read_is_a_timeout() {
    let (kind, waited) = cut_short_while_reading_an_error(true).await;
    assert_eq!(
        kind, "timeout",
        "the deadline passed; the 503 was not what ended the call"
    );
    assert!(waited < 1000.0, "due at 300 ms, settled after {waited} ms");
}
