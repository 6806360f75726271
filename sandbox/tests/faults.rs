//! Test control: sessions, fault injection and counters.

mod common;

use std::time::{Duration, Instant};

use common::{allow_origin, Sandbox};
use serde_json::{json, Value};

#[tokio::test]
async fn status_faults_with_retry_after() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"status": 503, "retry_after": "1"},
                {"status": 429, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"},
                {"status": 418},
            ]),
        )
        .await;
    for (status, retry_after, code) in [
        (503, Some("1"), "service_unavailable"),
        (
            429,
            Some("Wed, 21 Oct 2015 07:28:00 GMT"),
            "too_many_requests",
        ),
        (418, None, "im_a_teapot"),
    ] {
        let response = sandbox.get("/user", Some(&key)).await;
        assert_eq!(response.status(), status);
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        assert_eq!(
            response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap()),
            retry_after
        );
        assert_eq!(response.headers()["content-type"], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], code);
        assert!(body["message"].is_string());
    }
    assert_eq!(
        sandbox.get("/user", Some(&key)).await.status(),
        200,
        "the queue is empty again"
    );
}

#[tokio::test]
async fn a_status_alone_may_be_a_3xx_and_a_304_has_no_body() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"status": 304, "retry_after": "5"},
                {"status": 300},
                {"status": 302},
            ]),
        )
        .await;
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = || {
        no_follow
            .get(format!("{}/user", sandbox.api))
            .bearer_auth(&key)
            .send()
    };

    let response = get().await.unwrap();
    assert_eq!(response.status(), 304);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    assert_eq!(response.headers()["retry-after"], "5");
    assert!(response.headers().get("content-type").is_none());
    assert!(response.headers().get("transfer-encoding").is_none());
    assert!(response.bytes().await.unwrap().is_empty(), "no body at all");

    let response = get().await.unwrap();
    assert_eq!(response.status(), 300);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "multiple_choices");

    let response = get().await.unwrap();
    assert_eq!(response.status(), 302);
    assert!(
        response.headers().get("location").is_none(),
        "a plain status answer, not a redirect"
    );
    assert_eq!(
        get().await.unwrap().status(),
        200,
        "the queue is empty again"
    );

    for refused in [
        json!({"status": 304, "trickle_ms": 10}),
        json!({"status": 302, "text": "x"}),
        json!({"status": 301, "body": "html"}),
        json!({"status": 199}),
        json!({"status": 600}),
    ] {
        sandbox.fault_refused(&session, refused).await;
    }
}

/// The names in a response's `Access-Control-Expose-Headers`, lowercase.
fn exposed(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get("access-control-expose-headers")
        .map(|v| v.to_str().unwrap())
        .unwrap_or("")
        .split(',')
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect()
}

#[tokio::test]
async fn headers_are_added_to_any_answer_and_exposed_to_pages() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let from_a_page = |path: &str| {
        sandbox
            .http
            .get(format!("{}{path}", sandbox.api))
            .bearer_auth(&key)
            .header("origin", "https://creator.example")
            .send()
    };
    let real = from_a_page("/user").await.unwrap();
    assert_eq!(
        exposed(&real),
        ["retry-after"],
        "without a fault, as before"
    );
    let record: Value = real.json().await.unwrap();
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/user", "headers": {
                    "Cache-Control": "max-age=600",
                    "X-Request-Id": "abc",
                    "Set-Cookie": "sid=1; Path=/; HttpOnly",
                }},
                {"path": "/user", "status": 503, "retry_after": "2", "headers": {"X-Request-Id": "r2"}},
                {"path": "/images/logo.svg", "headers": {"Cache-Control": "no-store"}},
            ]),
        )
        .await;

    // The real answer, with the headers added, and a page may read them.
    let response = from_a_page("/user").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    assert_eq!(response.headers()["cache-control"], "max-age=600");
    assert_eq!(response.headers()["x-request-id"], "abc");
    assert_eq!(response.headers()["set-cookie"], "sid=1; Path=/; HttpOnly");
    assert_eq!(
        exposed(&response),
        ["retry-after", "cache-control", "set-cookie", "x-request-id"]
    );
    assert_eq!(response.json::<Value>().await.unwrap(), record);

    // Another answer, with Retry-After still exposed beside them.
    let response = from_a_page("/user").await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.headers()["x-request-id"], "r2");
    assert_eq!(exposed(&response), ["retry-after", "x-request-id"]);

    // A header the answer has is replaced.
    let response = from_a_page("/images/logo.svg").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        response.headers().get_all("cache-control").iter().count(),
        1
    );
    assert_eq!(response.headers()["cache-control"], "no-store");

    let after = from_a_page("/user").await.unwrap();
    assert!(
        after.headers().get("x-request-id").is_none(),
        "the queue is empty again"
    );
    assert_eq!(exposed(&after), ["retry-after"]);

    let many: serde_json::Map<String, Value> =
        (0..21).map(|n| (format!("X-H{n}"), json!("v"))).collect();
    for refused in [
        json!({"Content-Length": "10"}),
        json!({"Transfer-Encoding": "chunked"}),
        json!({"Connection": "close"}),
        json!({"Content-Encoding": "gzip"}),
        json!({"Keep-Alive": "timeout=5"}),
        json!({"Access-Control-Allow-Origin": "https://evil.example"}),
        json!({"Access-Control-Expose-Headers": "*"}),
        json!({"Vary": "Origin"}),
        json!({"X-Bad": "a\r\nX-Injected: 1"}),
        json!({"Bad Name": "v"}),
        json!({"X-Long": "v".repeat(8 * 1024)}),
        Value::Object(many),
    ] {
        sandbox
            .fault_refused(&session, json!({"headers": refused}))
            .await;
    }
    assert_eq!(sandbox.report(&session).await["pending_faults"], 0);
}

#[tokio::test]
async fn delay_fault_slows_the_normal_answer() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox.faults(&session, json!([{"delay_ms": 700}])).await;
    let started = Instant::now();
    let response = sandbox.get("/user", Some(&key)).await;
    assert!(started.elapsed() >= Duration::from_millis(700));
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["OwnedPool"]["Name"], "Orbit Notes");
}

#[tokio::test]
async fn trickle_fault_sends_the_whole_body_slowly() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let text = "x".repeat(300); // 5 pieces of 64 bytes: 4 waits
    sandbox
        .faults(
            &session,
            json!([{"status": 503, "retry_after": "10", "text": text, "content_type": "text/plain", "trickle_ms": 150}]),
        )
        .await;
    let started = Instant::now();
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "10");
    assert_eq!(response.headers()["content-length"], "300");
    let head = started.elapsed();
    assert!(
        head < Duration::from_millis(150),
        "the head came at once: {head:?}"
    );
    assert_eq!(response.text().await.unwrap(), text);
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "{:?}",
        started.elapsed()
    );

    // Applied to the real answer, the record arrives whole.
    let full = sandbox.get("/user", Some(&key)).await.text().await.unwrap();
    sandbox.faults(&session, json!([{"trickle_ms": 1}])).await;
    assert_eq!(
        sandbox.get("/user", Some(&key)).await.text().await.unwrap(),
        full
    );

    // Not with a replaced body, and within bounds.
    for bad in [
        json!({"body": "html", "trickle_ms": 10}),
        json!({"trickle_ms": 0}),
        json!({"trickle_ms": 10_001}),
    ] {
        sandbox.fault_refused(&session, bad).await;
    }
}

#[tokio::test]
async fn body_faults() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let full = sandbox.get("/user", Some(&key)).await.text().await.unwrap();

    // `truncated`: the full length announced, half of it sent, then the connection dropped.
    sandbox
        .faults(&session, json!([{"body": "truncated"}]))
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.headers()["content-length"],
        full.len().to_string().as_str()
    );
    let (received, ended) = read_until_error(response).await;
    assert!(ended.is_err(), "the body must end in an error, not cleanly");
    assert_eq!(received, full.as_bytes()[..full.len() / 2]);

    // With `content_length: false`, the old behaviour: a complete answer of half the body (its
    // Content-Length says so), ending cleanly with incomplete JSON.
    sandbox
        .faults(
            &session,
            json!([{"body": "truncated", "content_length": false}]),
        )
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-length"],
        (full.len() / 2).to_string().as_str()
    );
    let text = response.text().await.unwrap();
    assert_eq!(text.len(), full.len() / 2);
    assert!(full.starts_with(&text));
    assert!(serde_json::from_str::<Value>(&text).is_err());

    sandbox
        .faults(&session, json!([{"body": "malformed"}]))
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(
        !text.is_empty() && serde_json::from_str::<Value>(&text).is_err(),
        "{text}"
    );

    sandbox
        .faults(
            &session,
            json!([{"body": "html"}, {"body": "html", "status": 502}]),
        )
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("<html>"));
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 502);
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));
}

/// Reads `response`'s body chunk by chunk: what arrived, and how the body ended.
async fn read_until_error(
    mut response: reqwest::Response,
) -> (Vec<u8>, Result<(), reqwest::Error>) {
    let mut received = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => return (received, Ok(())),
            Err(error) => return (received, Err(error)),
        }
    }
}

#[tokio::test]
async fn a_truncated_download_is_streamed_and_cut_at_half() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox
        .session(
            "creator",
            json!({"export_delay_ms": 0, "csv_rows": 100_000}),
        )
        .await;
    let id: String = sandbox
        .post("/file/supporters", Some(&key))
        .await
        .json()
        .await
        .unwrap();
    let link = format!("/file/link/{id}");
    let full = sandbox.get(&link, Some(&key)).await.bytes().await.unwrap();
    assert!(full.len() > 10_000_000, "{}", full.len());
    sandbox
        .faults(
            &session,
            json!([{"path": "/file/link", "body": "truncated"}]),
        )
        .await;
    let response = sandbox.get(&link, Some(&key)).await;
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()["content-length"],
        full.len().to_string().as_str()
    );
    let (received, ended) = read_until_error(response).await;
    assert!(ended.is_err());
    assert_eq!(received.len(), full.len() / 2);
    assert!(full.starts_with(&received));
}

#[tokio::test]
async fn oversized_bodies_with_and_without_content_length() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([{"body": "oversized"}, {"body": "oversized", "bytes": 3_000_000, "content_length": false}]),
        )
        .await;

    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["content-length"], "2097152");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 2 * 1024 * 1024);
    assert!(
        serde_json::from_slice::<Value>(&body).is_ok(),
        "looks like JSON"
    );

    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("content-length").is_none());
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    assert_eq!(response.bytes().await.unwrap().len(), 3_000_000);
}

#[tokio::test]
async fn abort_fault_is_a_network_error() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([{"body": "abort"}, {"body": "abort", "content_length": false}]),
        )
        .await;
    for _ in 0..2 {
        let result = match sandbox
            .http
            .get(format!("{}/user", sandbox.api))
            .bearer_auth(&key)
            .send()
            .await
        {
            Ok(response) => response.bytes().await.map(|_| ()),
            Err(error) => Err(error),
        };
        assert!(result.is_err(), "the client must see a network error");
    }
    assert_eq!(
        sandbox.get("/user", Some(&key)).await.status(),
        200,
        "the sandbox is fine afterwards"
    );
}

#[tokio::test]
async fn redirect_fault_goes_cross_origin_to_the_landing_page() {
    let sandbox = Sandbox::start();
    let demo = sandbox.demo.clone().unwrap();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(&session, json!([{"redirect": "demo", "times": 2}]))
        .await;

    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = no_follow
        .get(format!("{}/user", sandbox.api))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 307);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!("{demo}/__sandbox/landing?session={session}")
    );

    // A client that follows it (reqwest strips Authorization on cross-origin redirects).
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["landed"], true);
    assert_eq!(body["authorization_received"], false);

    // A client that (wrongly) re-sends the key is counted.
    let response = sandbox
        .http
        .get(&location)
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let body = response.text().await.unwrap();
    assert!(!body.contains(&key));

    let report = sandbox.report(&session).await;
    assert_eq!(
        report["landing"],
        json!({"requests": 2, "with_authorization": 1})
    );
    assert_eq!(report["requests"]["GET /user"], 2);
}

#[tokio::test]
async fn faults_hit_only_their_session_and_path_and_counters_count() {
    let sandbox = Sandbox::start();
    let (a, session_a) = sandbox.session("creator", json!({})).await;
    let (b, session_b) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session_a,
            json!([{"path": "/file/link", "status": 500, "times": 2}]),
        )
        .await;

    // Other sessions and the demo key are untouched.
    assert_eq!(sandbox.get("/file/link/x", Some(&b)).await.status(), 404);
    assert_eq!(
        sandbox
            .get("/file/link/x", Some(sandbox.key("creator")))
            .await
            .status(),
        404
    );
    // Other paths of the same session are untouched.
    assert_eq!(sandbox.get("/user", Some(&a)).await.status(), 200);
    assert_eq!(sandbox.post("/file/emails", Some(&a)).await.status(), 200);
    assert_eq!(sandbox.get("/file/link/x", Some(&a)).await.status(), 500);
    assert_eq!(sandbox.report(&session_a).await["pending_faults"], 1);
    assert_eq!(sandbox.get("/file/link/y", Some(&a)).await.status(), 500);
    assert_eq!(sandbox.get("/file/link/z", Some(&a)).await.status(), 404);

    // A preflight (no key) is only counted globally.
    sandbox
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/user", sandbox.api))
        .header("origin", "http://localhost:1")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();

    let report = sandbox.report(&session_a).await;
    assert_eq!(report["account"], "creator");
    assert_eq!(
        report["requests"],
        json!({"GET /user": 1, "POST /file/emails": 1, "GET /file/link": 3})
    );
    assert_eq!(report["pending_faults"], 0);
    assert!(report["preflights_all_sessions"].as_u64().unwrap() >= 1);
    assert_eq!(
        sandbox.report(&session_b).await["requests"],
        json!({"GET /file/link": 1})
    );
    assert_eq!(
        sandbox.get("/__sandbox/sessions/nope", None).await.status(),
        404
    );
}

#[tokio::test]
async fn session_keys_behave_like_demo_keys() {
    let sandbox = Sandbox::start();
    for account in ["creator", "user", "hostile"] {
        let (key, _) = sandbox.session(account, json!({})).await;
        assert_ne!(key, sandbox.key(account));
        let ours: Value = sandbox.get("/user", Some(&key)).await.json().await.unwrap();
        let demo: Value = sandbox
            .get("/user", Some(sandbox.key(account)))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(ours, demo);
    }
    let (one, s1) = sandbox.session("creator", json!({})).await;
    let (two, s2) = sandbox.session("creator", json!({})).await;
    assert_ne!(one, two);
    assert_ne!(s1, s2);
}

#[tokio::test]
async fn control_api_rejects_nonsense() {
    let sandbox = Sandbox::start();
    let (_, session) = sandbox.session("creator", json!({})).await;
    for (path, body) in [
        ("/__sandbox/keys", json!({"account": "root"})),
        (
            "/__sandbox/keys",
            json!({"account": "creator", "csv_row": 5}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"stauts": 500}]}),
        ),
        (
            // (A 3xx alone is a plain status answer; with a body it is refused.)
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"status": 302, "text": "x"}]}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"body": "zstd"}]}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"body": "html", "bomb": true}]}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"body": "html", "bytes": 10}]}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"body": "gzip", "bytes": (1u64 << 30) + 1}]}),
        ),
        (
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"times": 0}]}),
        ),
    ] {
        let (status, answer) = sandbox.post_json(path, body.clone()).await;
        assert_eq!(status, 400, "{body} → {answer}");
        assert_eq!(answer["error"], "bad_request");
    }
    let (status, _) = sandbox
        .post_json(
            "/__sandbox/faults",
            json!({"session": "nope", "faults": []}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        sandbox.report(&session).await["pending_faults"],
        0,
        "nothing was queued"
    );
}

#[tokio::test]
async fn control_endpoints_are_404_without_test_control() {
    let sandbox = Sandbox::start_with(&["--api-port", "0", "--demo-port", "0"]);
    let (status, answer) = sandbox
        .post_json("/__sandbox/keys", json!({"account": "creator"}))
        .await;
    assert_eq!(status, 404, "{answer}");
    let (status, _) = sandbox
        .post_json("/__sandbox/faults", json!({"session": "x", "faults": []}))
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        sandbox.get("/__sandbox/sessions/x", None).await.status(),
        404
    );
    let landing = sandbox
        .http
        .get(format!(
            "{}/__sandbox/landing?session=x",
            sandbox.demo.clone().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(landing.status(), 404);
    // Every control path of either origin, whatever the method.
    let demo = sandbox.demo.clone().unwrap();
    for (method, url) in [
        ("GET", format!("{}/__sandbox/closed-port", sandbox.api)),
        ("POST", format!("{demo}/__sandbox/pkg-delay")),
        ("POST", format!("{demo}/__sandbox/csp-reports")),
        ("DELETE", format!("{demo}/__sandbox/csp-reports")),
        ("GET", format!("{demo}/__sandbox/proxy-requests")),
    ] {
        let response = sandbox
            .http
            .request(method.parse().unwrap(), &url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {url}");
    }
    assert_eq!(
        sandbox
            .get("/user", Some(sandbox.key("creator")))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn custom_text_bodies_with_any_status_and_content_type() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let long = "Service temporarily unavailable. ".repeat(311); // 10,263 bytes
    let page = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/user", "status": 503, "retry_after": "30", "text": long, "content_type": "text/plain"},
                {"path": "/user", "status": 502, "text": page, "content_type": "text/html"},
                {"path": "/file/link", "text": page, "content_type": "text/html; charset=utf-8"},
                {"path": "/user", "text": "{\"EnabledEmailAutoSubs\": 1}"},
            ]),
        )
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(response.headers()["retry-after"], "30");
    assert_eq!(
        response.headers()["content-length"],
        long.len().to_string().as_str()
    );
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
    assert_eq!(response.text().await.unwrap(), long);

    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.text().await.unwrap(), page);

    let response = sandbox.get("/file/link/anything", Some(&key)).await;
    assert_eq!(response.status(), 200, "even for an id that does not exist");
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert_eq!(response.text().await.unwrap(), page);

    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "the default"
    );
    assert_eq!(
        response.text().await.unwrap(),
        "{\"EnabledEmailAutoSubs\": 1}"
    );

    for nonsense in [
        json!({"text": "x", "body": "html"}),
        json!({"text": "x", "redirect": "demo"}),
        json!({"text": "x", "content_type": "text/plain\r\nX-Injected: 1"}),
        json!({"content_type": "text/plain"}),
        json!({"text": "x".repeat(1024 * 1024 + 1)}),
    ] {
        sandbox.fault_refused(&session, nonsense).await;
    }
}

#[tokio::test]
async fn invalid_utf8_in_the_middle_of_a_csv() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/file/link", "body": "invalid_utf8"},
                {"path": "/user", "body": "invalid_utf8", "status": 500, "content_type": "application/json"},
            ]),
        )
        .await;
    let response = sandbox.get("/file/link/x", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), length);
    let error = std::str::from_utf8(&body).expect_err("not UTF-8");
    let at = error.valid_up_to();
    assert!(
        at > body.len() / 4 && at < body.len() * 3 / 4,
        "{at} of {}",
        body.len()
    );
    // Everything else is a CSV: a header row, CRLF line ends, and valid text after the bad bytes.
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.starts_with("Email,Pubkey,Username,Subscribed at\r\n"),
        "{text}"
    );
    assert!(text.ends_with("\r\n") && text.matches("\r\n").count() >= 5);
    assert!(
        std::str::from_utf8(&body[at + 2..]).is_ok(),
        "one bad sequence only"
    );

    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(std::str::from_utf8(&response.bytes().await.unwrap()).is_err());
}

#[tokio::test]
async fn a_server_that_echoes_the_key() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/user", "status": 401, "echo_authorization": true},
                {"path": "/file/emails", "status": 500, "echo_authorization": true, "content_type": "text/plain"},
            ]),
        )
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(&format!("Bearer {key}")), "{message}");

    let response = sandbox.post("/file/emails", Some(&key)).await;
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-type"], "text/plain");
    let text = response.text().await.unwrap();
    assert!(text.contains(&format!("Bearer {key}")), "{text}");
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "plain text: {text}"
    );

    for nonsense in [
        json!({"echo_authorization": true}),
        json!({"echo_authorization": true, "status": 200}),
        json!({"echo_authorization": true, "status": 500, "body": "html"}),
        json!({"echo_authorization": true, "status": 500, "text": "x"}),
    ] {
        sandbox.fault_refused(&session, nonsense).await;
    }
    assert_eq!(sandbox.report(&session).await["pending_faults"], 0);
}

/// Polls the session report until it has `n` `bodies` entries (one appears when the sandbox
/// stops writing a streamed body), and returns them.
async fn bodies(sandbox: &Sandbox, session: &str, n: usize) -> Vec<Value> {
    for _ in 0..100 {
        let report = sandbox.report(session).await;
        let bodies = report["bodies"].as_array().unwrap().clone();
        if bodies.len() >= n {
            return bodies;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no report of the written body");
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a valid gzip stream (CRC and length checked)");
    out
}

#[tokio::test]
async fn gzip_bodies_decode_to_the_size_asked_and_report_what_was_written() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/user", "body": "gzip", "bytes": 3_000_000},
                {"path": "/file/link", "body": "gzip", "bytes": 3_000_000, "content_length": false},
            ]),
        )
        .await;
    let response = sandbox.get("/user", Some(&key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let length: u64 = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(length < 3_000_000 * 2 / 3, "compressed: {length}");
    let sent = response.bytes().await.unwrap();
    assert_eq!(sent.len() as u64, length);
    let decoded = gunzip(&sent);
    assert_eq!(decoded.len(), 3_000_000);
    assert!(decoded.starts_with(b"Email,Pubkey,Username,Subscribed at\r\n"));
    assert_eq!(
        bodies(&sandbox, &session, 1).await[0],
        json!({"request": "GET /user", "body": "gzip", "content_length": length,
               "total": length, "written": length, "complete": true})
    );

    let response = sandbox.get("/file/link/x", Some(&key)).await;
    assert!(response.headers().get("content-length").is_none());
    assert_eq!(response.headers()["transfer-encoding"], "chunked");
    assert_eq!(gunzip(&response.bytes().await.unwrap()), decoded);
    assert_eq!(
        bodies(&sandbox, &session, 2).await[1]["content_length"],
        Value::Null
    );
}

#[tokio::test]
async fn a_reader_that_stops_early_is_seen_in_the_written_count() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/user", "body": "gzip", "bytes": 1u64 << 30},
                {"path": "/user", "body": "gzip", "bytes": 1u64 << 30, "bomb": true},
                {"path": "/user", "body": "oversized", "bytes": 1u64 << 30},
            ]),
        )
        .await;
    for (fault, small) in [("gzip", false), ("gzip bomb", true), ("oversized", false)] {
        let mut response = sandbox.get("/user", Some(&key)).await;
        let announced: u64 = response.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        if small {
            // The README's number: 1 GiB decodes from under 4 MiB.
            assert!(
                announced < 4 << 20,
                "a 1 GiB gzip bomb is sent in under 4 MiB: {announced}"
            );
        }
        // Read about 1 MiB, then go away.
        let mut read = 0;
        while read < 1 << 20 {
            read += response.chunk().await.unwrap().unwrap().len();
        }
        drop(response);
        let n = [("gzip", 1), ("gzip bomb", 2), ("oversized", 3)]
            .iter()
            .find(|(name, _)| *name == fault)
            .unwrap()
            .1;
        let report = bodies(&sandbox, &session, n).await[n - 1].clone();
        assert_eq!(report["total"], announced, "{fault}: {report}");
        let written = report["written"].as_u64().unwrap();
        assert!(written >= read as u64, "{fault}: {report}");
        if !small {
            // Socket buffers hold a few MB on loopback (2 to 8 MB measured here; how much
            // depends on the kernel's settings); the body is 1 GiB (or ~half of it).
            assert!(
                written < 64 << 20,
                "{fault}: the sandbox kept writing: {report}"
            );
            assert_eq!(report["complete"], false, "{fault}: {report}");
        }
    }
}

#[tokio::test]
async fn a_closed_port_refuses_connections() {
    let sandbox = Sandbox::start();
    let response = sandbox.get("/__sandbox/closed-port", None).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let port = u16::try_from(body["port"].as_u64().unwrap()).unwrap();
    assert!(
        port >= 1024,
        "an ordinary port, not one fetch refuses by itself: {port}"
    );
    let error = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
    let again: Value = sandbox
        .get("/__sandbox/closed-port", None)
        .await
        .json()
        .await
        .unwrap();
    assert!(again["port"].is_u64());
}

#[tokio::test]
async fn faults_on_export_requests_with_retry_after_passed_verbatim() {
    let sandbox = Sandbox::start();
    let (key, session) = sandbox.session("creator", json!({})).await;
    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    sandbox
        .faults(
            &session,
            json!([
                {"path": "/file/emails", "status": 503, "retry_after": "2"},
                {"path": "/file/supporters", "status": 429, "retry_after": date},
                {"path": "/file/rewards", "status": 429, "retry_after": "120", "times": 2},
            ]),
        )
        .await;
    let post = |kind: &str| {
        sandbox
            .http
            .post(format!("{}/file/{kind}", sandbox.api))
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .header("origin", "https://creator.example")
            .send()
    };
    for (kind, status, retry_after) in [
        ("emails", 503, "2"),
        ("supporters", 429, date),
        ("rewards", 429, "120"),
        ("rewards", 429, "120"),
    ] {
        let response = post(kind).await.unwrap();
        assert_eq!(response.status(), status, "{kind}");
        assert_eq!(response.headers()["retry-after"], retry_after, "{kind}");
        // A page can read it: the API origin exposes it.
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        let exposed = response.headers()["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(exposed.contains("retry-after"), "{exposed}");
    }
    // Each fault hit only its own path; the GETs of the flow were untouched.
    assert_eq!(sandbox.get("/file/link/x", Some(&key)).await.status(), 404);
    let id: Value = post("rewards").await.unwrap().json().await.unwrap();
    assert!(id.is_string(), "the queue is empty again: {id}");
    let report = sandbox.report(&session).await;
    assert_eq!(
        report["requests"],
        json!({"POST /file/emails": 1, "POST /file/supporters": 1, "POST /file/rewards": 3,
               "GET /file/link": 1})
    );
    assert_eq!(report["pending_faults"], 0);
}
