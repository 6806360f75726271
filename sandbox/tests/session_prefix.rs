//! Faults and counts on every path, and the session base URL (`/__sandbox/s/{session}/...`)
//! that gives keyless requests a test session.

mod common;

use common::{allow_origin, Sandbox};
use serde_json::{json, Value};

const CREATOR_POOL: &str = "Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f";
const USER_WALLET: &str = "AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv";

fn base(session: &str) -> String {
    format!("/__sandbox/s/{session}")
}

#[tokio::test]
async fn faults_match_the_new_paths_for_a_sessions_key() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("user", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/pools/locked", "status": 503, "retry_after": "2"},
                {"path": "/pool/", "body": "malformed"},
                {"path": "/user/", "status": 429},
            ]),
        )
        .await;
    // `/pools` is not `/pools/locked`: the real answer.
    assert_eq!(sandbox.get("/pools", Some(&key)).await.status(), 200);
    let response = sandbox.get("/pools/locked", Some(&key)).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    let response = sandbox
        .get(&format!("/pool/{CREATOR_POOL}"), Some(&key))
        .await;
    assert_eq!(response.status(), 200);
    assert!(serde_json::from_str::<Value>(&response.text().await.unwrap()).is_err());
    let response = sandbox
        .get(&format!("/user/{USER_WALLET}/pools"), Some(&key))
        .await;
    assert_eq!(response.status(), 429);
    // Another session's requests (and keyless ones without the prefix) never take them.
    let report = sandbox.report(&session).await;
    assert_eq!(report["pending_faults"], 0);
    assert_eq!(report["requests"]["GET /pools"], 1);
    assert_eq!(report["requests"]["GET /pools/locked"], 1);
    assert_eq!(report["requests"]["GET /pool/{address}"], 1);
    assert_eq!(report["requests"]["GET /user/{address}/pools"], 1);
}

#[tokio::test]
async fn keyless_requests_under_a_session_base_url_get_its_faults_and_counts() {
    let sandbox = Sandbox::start();
    let (_, session) = sandbox.session("user", json!({})).await;
    let (_, other) = sandbox.session("user", json!({})).await;
    let base = base(&session);
    sandbox
        .faults(
            &session,
            json!([{"path": "/token/supply", "status": 503, "times": 2,
                    "headers": {"X-Request-Id": "abc"}}]),
        )
        .await;

    // Without the prefix a keyless request belongs to no session: no fault, not counted.
    let response = sandbox.get("/token/supply/total", None).await;
    assert_eq!(response.status(), 200);

    let response = sandbox
        .get(&format!("{base}/token/supply/total"), None)
        .await;
    assert_eq!(response.status(), 503);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    assert_eq!(response.headers()["x-request-id"], "abc");
    assert!(response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("x-request-id"));
    // Another session's prefix does not take this session's faults.
    let response = sandbox
        .get(&format!("/__sandbox/s/{other}/token/supply/total"), None)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "86735581885.276672");
    let response = sandbox
        .get(&format!("{base}/token/supply/circulating"), None)
        .await;
    assert_eq!(response.status(), 503);
    // The fault is used up: the real answer, the same as without the prefix.
    let prefixed = sandbox.get(&format!("{base}/pools/featured"), None).await;
    assert_eq!(prefixed.status(), 200);
    assert_eq!(
        prefixed.text().await.unwrap(),
        sandbox
            .get("/pools/featured", None)
            .await
            .text()
            .await
            .unwrap()
    );
    let response = sandbox
        .get(&format!("{base}/pool/{CREATOR_POOL}"), None)
        .await;
    assert_eq!(response.status(), 200);

    let report = sandbox.report(&session).await;
    let requests = &report["requests"];
    assert_eq!(requests["GET /token/supply/total"], 1, "{report}");
    assert_eq!(requests["GET /token/supply/circulating"], 1);
    assert_eq!(requests["GET /pools/featured"], 1);
    assert_eq!(requests["GET /pool/{address}"], 1);
    assert_eq!(report["pending_faults"], 0);
    assert!(report["header_names"].get("authorization").is_none());
    let other = sandbox.report(&other).await;
    assert_eq!(other["requests"]["GET /token/supply/total"], 1);
}

#[tokio::test]
async fn the_session_base_url_serves_every_path_with_or_without_a_key() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let (_, other) = sandbox.session("user", json!({})).await;
    let base = base(&session);

    // Keyed paths still need a key under the prefix.
    let path = format!("{base}/user/{USER_WALLET}/pools");
    assert_eq!(sandbox.get(&path, None).await.status(), 401);
    assert_eq!(sandbox.get(&path, Some(&key)).await.status(), 200);
    let user: Value = sandbox
        .get(&format!("{base}/user"), Some(&key))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(user["Role"], "admin");
    // A demo key (no session of its own) under the prefix is counted for the prefix's session.
    let response = sandbox
        .get(&format!("{base}/user"), Some(sandbox.key("user")))
        .await;
    assert_eq!(response.status(), 200);
    // So is another session's key.
    let (other_key, _) = sandbox.session("user", json!({})).await;
    assert_eq!(
        sandbox
            .get(&format!("{base}/pools/rewards"), Some(&other_key))
            .await
            .status(),
        200
    );
    // A query string is kept; exports work through it too.
    assert_eq!(
        sandbox
            .get(&format!("{base}/pools/locked?x=1"), None)
            .await
            .status(),
        200
    );
    let response = sandbox
        .post(&format!("{base}/file/emails"), Some(&key))
        .await;
    assert_eq!(response.status(), 200);

    let report = sandbox.report(&session).await;
    let requests = &report["requests"];
    assert_eq!(requests["GET /user/{address}/pools"], 2, "{report}");
    assert_eq!(requests["GET /user"], 2);
    assert_eq!(requests["GET /pools/rewards"], 1);
    assert_eq!(requests["GET /pools/locked"], 1);
    assert_eq!(requests["POST /file/emails"], 1);
    assert_eq!(report["header_names"]["authorization"], 5);
    let other = sandbox.report(&other).await;
    assert!(other["requests"].as_object().unwrap().is_empty());

    // A preflight under the prefix is the API's.
    let response = sandbox
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}{base}/pools", sandbox.api),
        )
        .header("origin", "http://127.0.0.1:9999")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
}

#[tokio::test]
async fn unknown_sessions_and_control_paths_under_the_prefix_are_404() {
    let sandbox = Sandbox::start();
    let (_, session) = sandbox.session("user", json!({})).await;
    for path in [
        "/__sandbox/s/00000000-0000-0000-0000-000000000000/pools".to_owned(),
        "/__sandbox/s/nope".to_owned(),
        "/__sandbox/s//pools".to_owned(),
        format!("/__sandbox/s/{session}"),
        format!("/__sandbox/s/{session}/"),
        format!("/__sandbox/s/{session}/__sandbox/sessions/{session}"),
        format!("/__sandbox/s/{session}/__sandbox/s/{session}/pools"),
    ] {
        let response = sandbox.get(&path, None).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(allow_origin(&response).as_deref(), Some("*"), "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
    let (status, _) = sandbox
        .post_json(
            &format!("/__sandbox/s/{session}/__sandbox/keys"),
            json!({"account": "user"}),
        )
        .await;
    assert_eq!(status, 404);

    // Without --test-control there are no sessions and no prefix.
    let plain = Sandbox::start_with(&["--api-port", "0", "--no-demo"]);
    let response = plain
        .get(&format!("/__sandbox/s/{session}/pools"), None)
        .await;
    assert_eq!(response.status(), 404);
}
