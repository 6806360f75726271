//! Deadlines and cancels across retries: a deadline covers every attempt and wait, an abort ends a
//! retry wait at once.

use super::*;

#[wasm_bindgen_test]
async fn a_deadline_covers_every_attempt_and_wait() {
    // Each attempt answers a 503 after 500 ms. The first backoff is 150 to 300 ms, so the retry
    // always fits in the room left (the client gives up at once on a wait past the deadline:
    // 700 ms made this test fail when the jitter drew over 280 ms); the second attempt starts
    // between 650 and 810 ms and the 1 s deadline ends it, as `timeout`, not as the 503.
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "delay_ms": 500, "times": 3 }]))
        .await;
    let started = now();
    let error = creator
        .client()
        .user()
        .timeout(Duration::from_millis(1000))
        .await
        .unwrap_err();
    let waited = now() - started;
    assert_eq!(error.kind(), ErrorKind::Timeout, "{error}");
    assert!((950.0..1400.0).contains(&waited), "ended after {waited} ms");
    assert_eq!(
        creator.count("GET /user").await,
        2,
        "one retry began before the deadline"
    );
}

#[wasm_bindgen_test]
async fn an_abort_during_a_retry_wait_ends_the_call_at_once() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "retry_after": "3" }]))
        .await;
    let signal = aborted_after(500, None);
    let started = now();
    let error = creator.client().user().signal(&signal).await.unwrap_err();
    let waited = now() - started;
    assert_eq!(error.kind(), ErrorKind::Aborted, "{error}");
    assert!(
        waited < 700.0,
        "aborted at 500 ms, settled after {waited} ms"
    );
    // The 503 came (the wait had begun), and no retry was sent after the abort.
    sleep(300).await;
    assert_eq!(creator.count("GET /user").await, 1);
}
