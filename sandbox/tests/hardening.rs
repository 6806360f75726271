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

/// `GET {origin}{path}` with an explicit `Host` header.
async fn get_with_host(
    sandbox: &Sandbox,
    origin: &str,
    path: &str,
    host: &str,
) -> reqwest::Response {
    sandbox
        .http
        .get(format!("{origin}{path}"))
        .header("host", host)
        .bearer_auth(sandbox.key("creator"))
        .send()
        .await
        .unwrap()
}

fn port_of(origin: &str) -> u16 {
    origin.rsplit(':').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn only_loopback_names_on_the_own_port_are_answered() {
    let sandbox = Sandbox::start();
    let demo = sandbox.demo.clone().unwrap();
    for (origin, path) in [
        (sandbox.api.as_str(), "/user"),
        (sandbox.api.as_str(), "/__sandbox/sessions/nope"),
        (demo.as_str(), "/sandbox.json"),
        (demo.as_str(), "/__sandbox/csp-reports"),
        (demo.as_str(), "/upstream/user"),
    ] {
        let port = port_of(origin);
        let other = if port == 1 { 2 } else { port - 1 };
        for good in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("LocalHost:{port}"),
            format!("[::1]:{port}"),
        ] {
            let response = get_with_host(&sandbox, origin, path, &good).await;
            assert_ne!(response.status(), 421, "{good} {path}");
        }
        for bad in [
            format!("rebound.example:{port}"),
            "rebound.example".to_owned(),
            format!("127.0.0.1:{other}"),
            "127.0.0.1".to_owned(),
            format!("127.0.0.2:{port}"),
            format!("localhost.:{port}"),
            format!("[::2]:{port}"),
            format!("0.0.0.0:{port}"),
        ] {
            let response = get_with_host(&sandbox, origin, path, &bad).await;
            assert_eq!(response.status(), 421, "{bad} {path}");
            assert!(
                response
                    .headers()
                    .get("access-control-allow-origin")
                    .is_none(),
                "{bad} {path}"
            );
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["error"], "misdirected_request", "{bad} {path}");
        }
    }
}

#[tokio::test]
async fn a_public_host_is_answered_when_named() {
    let mut args = common::TEST_ARGS.to_vec();
    args.extend(["--public-host", "sandbox.test"]);
    let sandbox = Sandbox::start_with(&args);
    let port = port_of(&sandbox.api);
    let named = get_with_host(
        &sandbox,
        &sandbox.api,
        "/user",
        &format!("sandbox.test:{port}"),
    )
    .await;
    assert_eq!(named.status(), 200);
    let other = get_with_host(
        &sandbox,
        &sandbox.api,
        "/user",
        &format!("other.test:{port}"),
    )
    .await;
    assert_eq!(other.status(), 421);
}

#[tokio::test]
async fn a_specific_bind_address_is_answered_by_its_own_name() {
    // 127.0.0.2 is loopback too, but not one of the names every sandbox answers: bound to it,
    // the sandbox answers requests that name it (as its start line prints it).
    let mut args = common::TEST_ARGS.to_vec();
    args.extend(["--bind", "127.0.0.2"]);
    let sandbox = Sandbox::start_with(&args);
    assert!(
        sandbox.api.starts_with("http://127.0.0.2:"),
        "{}",
        sandbox.api
    );
    let answer = sandbox.get("/user", Some(sandbox.key("creator"))).await;
    assert_eq!(answer.status(), 200);
    let port = port_of(&sandbox.api);
    let other = get_with_host(
        &sandbox,
        &sandbox.api,
        "/user",
        &format!("127.0.0.3:{port}"),
    )
    .await;
    assert_eq!(other.status(), 421);
}

/// Runs the sandbox with `args` until it exits (at most 10 s); its exit status and stderr, or
/// `None` if it was still running (it started serving).
fn run_to_exit(args: &[&str]) -> Option<(std::process::ExitStatus, String)> {
    use std::io::Read as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sandbox"))
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return Some((status, stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn sensitive_modes_beyond_loopback_need_allow_remote() {
    let ports = ["--api-port", "0", "--demo-port", "0"];
    for sensitive in [
        &["--test-control"][..],
        &["--upstream", "https://go-api.accessprotocol.co"][..],
    ] {
        for bind in ["0.0.0.0", "::"] {
            let mut args = vec!["--bind", bind];
            args.extend(ports);
            args.extend(sensitive);
            let Some((status, stderr)) = run_to_exit(&args) else {
                panic!("{args:?}: the sandbox started instead of refusing");
            };
            assert!(!status.success(), "{args:?}");
            assert!(stderr.contains("--allow-remote"), "{args:?}: {stderr}");
        }
    }
    // Explicitly allowed: it starts, and says what that means.
    let mut sandbox = Sandbox::start_with(&[
        "--bind",
        "0.0.0.0",
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--test-control",
        "--allow-remote",
    ]);
    assert!(
        sandbox.api.starts_with("http://127.0.0.1:"),
        "{}",
        sandbox.api
    );
    sandbox.terminate();
    let stderr = sandbox.stderr();
    assert!(
        stderr.contains("warning") && stderr.contains("0.0.0.0"),
        "{stderr}"
    );
    // Nothing sensitive: other machines may see the demo page and the sandbox API.
    let plain = Sandbox::start_with(&["--bind", "0.0.0.0", "--api-port", "0", "--demo-port", "0"]);
    assert!(!plain.stderr().contains("--allow-remote"));
}

fn allow_origin(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap())
}

/// A CORS preflight of `method` on `url` from a page on `page`, asking to send `content-type`.
async fn preflight(sandbox: &Sandbox, url: &str, page: &str, method: &str) -> reqwest::Response {
    sandbox
        .http
        .request(reqwest::Method::OPTIONS, url)
        .header("origin", page)
        .header("access-control-request-method", method)
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

/// `GET url` from a page on `page`.
async fn get_from(sandbox: &Sandbox, url: &str, page: &str) -> reqwest::Response {
    sandbox
        .http
        .get(url)
        .header("origin", page)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn control_endpoints_answer_cors_to_loopback_pages_only() {
    let sandbox = Sandbox::start();
    let demo = sandbox.demo.clone().unwrap();
    let (_, session) = sandbox.session("creator", json!({})).await;
    let endpoints = [
        (sandbox.api.clone(), "POST", "/__sandbox/keys".to_owned()),
        (sandbox.api.clone(), "POST", "/__sandbox/faults".to_owned()),
        (
            sandbox.api.clone(),
            "GET",
            format!("/__sandbox/sessions/{session}"),
        ),
        // (The landing page answers any page: the_landing_page_answers_any_page...)
        (demo.clone(), "GET", "/__sandbox/csp-reports".to_owned()),
        (demo.clone(), "GET", "/__sandbox/proxy-requests".to_owned()),
        (demo.clone(), "POST", "/__sandbox/pkg-delay".to_owned()),
        (
            sandbox.api.clone(),
            "GET",
            "/__sandbox/closed-port".to_owned(),
        ),
    ];
    for (origin, method, path) in &endpoints {
        let url = format!("{origin}{path}");
        // The wasm tests' pages are served by wasm-bindgen-test on another loopback port.
        for page in [
            "http://127.0.0.1:5555",
            "http://localhost:5555",
            "http://[::1]:5555",
        ] {
            let response = preflight(&sandbox, &url, page, method).await;
            assert_eq!(
                allow_origin(&response),
                Some(page),
                "{method} {path} from {page}"
            );
            let vary = response.headers()["vary"]
                .to_str()
                .unwrap()
                .to_ascii_lowercase();
            assert!(vary.contains("origin"), "{vary}");
            let get = get_from(&sandbox, &url, page).await;
            assert_eq!(allow_origin(&get), Some(page), "GET {path} from {page}");
        }
        for page in [
            "https://rebound.example",
            "http://rebound.example:5555",
            "http://127.0.0.1.rebound.example:5555",
            "https://127.0.0.1:5555",
            "null",
        ] {
            let response = preflight(&sandbox, &url, page, method).await;
            assert_eq!(allow_origin(&response), None, "{method} {path} from {page}");
            let get = get_from(&sandbox, &url, page).await;
            assert_eq!(allow_origin(&get), None, "GET {path} from {page}");
            assert!(
                get.headers()
                    .get("access-control-allow-credentials")
                    .is_none(),
                "{path}"
            );
        }
    }
    // The documented API keeps answering any page, as the real one must for browser clients.
    let response = sandbox
        .http
        .get(format!("{}/user", sandbox.api))
        .header("origin", "https://rebound.example")
        .send()
        .await
        .unwrap();
    assert_eq!(allow_origin(&response), Some("*"));
}

#[tokio::test]
async fn control_bodies_must_be_json() {
    let sandbox = Sandbox::start();
    let body = r#"{"account":"creator"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = sandbox
            .http
            .post(format!("{}/__sandbox/keys", sandbox.api))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 415, "{content_type:?}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer["error"], "unsupported_media_type");
        assert!(answer.get("key").is_none());
    }
    let response = sandbox
        .http
        .post(format!("{}/__sandbox/keys", sandbox.api))
        .header("content-type", "application/json; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let (_, session) = sandbox.session("creator", json!({})).await;
    let faults = json!({"session": session, "faults": [{"status": 500}]}).to_string();
    let response = sandbox
        .http
        .post(format!("{}/__sandbox/faults", sandbox.api))
        .header("content-type", "text/plain")
        .body(faults)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    assert_eq!(sandbox.report(&session).await["pending_faults"], 0);
}

#[tokio::test]
async fn control_requests_are_bounded() {
    let sandbox = Sandbox::start();
    let (_, session) = sandbox.session("creator", json!({})).await;
    let (status, answer) = sandbox
        .post_json(
            "/__sandbox/keys",
            json!({"account": "creator", "csv_rows": 2_000_001}),
        )
        .await;
    assert_eq!(status, 400, "{answer}");
    let (status, _) = sandbox
        .post_json(
            "/__sandbox/keys",
            json!({"account": "creator", "csv_rows": 2_000_000}),
        )
        .await;
    assert_eq!(status, 200);
    let many: Vec<_> = (0..101).map(|_| json!({"status": 500})).collect();
    for faults in [json!(many), json!([{"status": 500, "times": 1001}])] {
        let (status, answer) = sandbox
            .post_json(
                "/__sandbox/faults",
                json!({"session": session, "faults": faults}),
            )
            .await;
        assert_eq!(status, 400, "{answer}");
    }
    let (status, _) = sandbox
        .post_json(
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"status": 500, "times": 1000}]}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, answer) = sandbox
        .post_json(
            "/__sandbox/faults",
            json!({"session": session, "faults": [{"status": 500}]}),
        )
        .await;
    assert_eq!(status, 400, "more than 1000 pending: {answer}");
    assert_eq!(sandbox.report(&session).await["pending_faults"], 1000);
}

#[tokio::test]
async fn the_landing_page_answers_any_page_as_a_redirect_target_does() {
    // A browser that follows the redirect fault's cross-origin redirect sends `Origin: null`
    // (the origin is tainted by the redirect) and, for a request with a JSON content type, a
    // preflight first. The landing page stands in for a server elsewhere: it must let the
    // request through, or nothing would reach it to be counted.
    let sandbox = Sandbox::start();
    let demo = sandbox.demo.clone().unwrap();
    let (_, session) = sandbox.session("creator", json!({})).await;
    let url = format!("{demo}/__sandbox/landing?session={session}");
    for page in ["null", "https://elsewhere.example", "http://127.0.0.1:5555"] {
        let preflight = preflight(&sandbox, &url, page, "GET").await;
        assert!(preflight.status().is_success(), "{page}");
        assert_eq!(allow_origin(&preflight), Some("*"), "{page}");
        let allowed = preflight.headers()["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(allowed.contains("content-type"), "{allowed}");
        let visit = get_from(&sandbox, &url, page).await;
        assert_eq!(allow_origin(&visit), Some("*"), "{page}");
    }
    assert_eq!(sandbox.report(&session).await["landing"]["requests"], 3);
}
