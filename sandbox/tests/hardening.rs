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
