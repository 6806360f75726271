//! Errors from real server answers: retries, `Retry-After`, client errors, malformed and oversized
//! answers, dropped connections, timeouts, aborts, redirects.

use super::*;

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
async fn a_retry_after_longer_than_10_s_fails_at_once_with_the_wait() {
    // The kind follows the status: a 503 with Retry-After stays a server error.
    for (status, kind) in [(429, ErrorKind::RateLimited), (503, ErrorKind::Server)] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "status": status, "retry_after": "120" }]))
            .await;
        let error = creator.client().user().await.unwrap_err();
        assert_eq!((error.kind(), error.status()), (kind, Some(status)));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
        assert_eq!(
            creator.count("GET /user").await,
            1,
            "HTTP {status} was retried"
        );
    }
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
        .request_export(ExportKind::Emails)
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
    let error = creator
        .client()
        .user()
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
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
    let signal = aborted_after(100, None);
    let started = now();
    let error = creator.client().user().signal(&signal).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    assert!(now() - started < 2500.0);

    // Already aborted: nothing is sent.
    let fresh = session("creator", json!({})).await;
    let error = fresh.client().user().signal(&signal).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    assert_eq!(fresh.count("GET /user").await, 0);
}

#[wasm_bindgen_test]
async fn redirects_are_not_followed_and_the_key_stays_put() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "redirect": "demo" }]))
        .await;
    let error = creator.client().user().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Http, "{error}");
    assert!(error.message().contains("redirect"), "{error}");
    // Browsers hide the status of a redirect that is not followed; Node shows it.
    assert!(
        matches!(error.status(), None | Some(307)),
        "{:?}",
        error.status()
    );
    assert_no_key(&format!("{error} {error:?}"), &creator.key);
    let landing = creator.landing().await;
    assert_eq!(
        landing["requests"].as_u64(),
        Some(0),
        "the redirect was followed: {landing}"
    );
    // The same session's next call is answered normally.
    assert!(creator.client().user().await.is_ok());
}
