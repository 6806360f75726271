//! What keeps other sites and other machines out: `Host` checks, loopback-only binding of the
//! sensitive modes, the test-control surface's own rules, and `nosniff` on every API answer.

mod common;

use std::time::Duration;

use common::Sandbox;
use serde_json::json;

fn nosniff(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("x-content-type-options")
        .map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn every_api_answer_carries_nosniff() {
    let sandbox = Sandbox::start();
    let key = sandbox.key("creator");
    let user = sandbox.get("/user", Some(key)).await;
    assert_eq!(user.status(), 200);
    assert_eq!(nosniff(&user), Some("nosniff"), "JSON record");
    let rejected = sandbox.get("/user", None).await;
    assert_eq!(rejected.status(), 401);
    assert_eq!(nosniff(&rejected), Some("nosniff"), "JSON error");
    let missing = sandbox.get("/nope", Some(key)).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(nosniff(&missing), Some("nosniff"), "404 fallback");
    let id: String = sandbox
        .post("/file/emails", Some(key))
        .await
        .json()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let csv = sandbox.get(&format!("/file/link/{id}"), Some(key)).await;
    assert_eq!(csv.status(), 200);
    assert_eq!(nosniff(&csv), Some("nosniff"), "CSV download");
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox.faults(&session, json!([{"status": 503}])).await;
    let faulted = sandbox.get("/user", Some(&key)).await;
    assert_eq!(faulted.status(), 503);
    assert_eq!(nosniff(&faulted), Some("nosniff"), "injected fault");
}
