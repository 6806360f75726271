//! The demo origin and the start lines.

mod common;

use common::Sandbox;
use serde_json::Value;

const CSP_START: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' ";
const CSP_END: &str = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const PRODUCTION: &str = "https://go-api.accessprotocol.co";

fn demo_dirs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(
        dir.path().join("www/index.html"),
        "<!doctype html><title>demo</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("pkg/x.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.path().join("pkg/x.js"), "export {};").unwrap();
    dir
}

/// A test sandbox (TEST_ARGS) serving `dirs` (from [`demo_dirs`]) on its demo origin.
fn serving(dirs: &tempfile::TempDir) -> Sandbox {
    let www = dirs.path().join("www");
    let pkg = dirs.path().join("pkg");
    let mut args = common::TEST_ARGS.to_vec();
    args.extend([
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
    ]);
    Sandbox::start_with(&args)
}

#[tokio::test]
async fn serves_the_page_the_package_and_sandbox_json_with_security_headers() {
    let dirs = demo_dirs();
    let sandbox = serving(&dirs);
    let demo = sandbox.demo.clone().expect("demo page line");
    // With --test-control (TEST_ARGS), violations are reported to the sandbox.
    let expected_csp = format!(
        "{CSP_START}{api} https:; connect-src 'self' {api} {PRODUCTION}; {CSP_END}; \
         report-uri /__sandbox/csp-reports",
        api = sandbox.api
    );

    for (path, content_type, cache) in [
        ("/", "text/html", "no-store"),
        ("/index.html", "text/html", "no-store"),
        ("/pkg/x.wasm", "application/wasm", "no-cache"),
        ("/pkg/x.js", "text/javascript", "no-cache"),
        ("/sandbox.json", "application/json", "no-store"),
        ("/missing.html", "", "no-cache"),
    ] {
        let response = sandbox
            .http
            .get(format!("{demo}{path}"))
            .send()
            .await
            .unwrap();
        let headers = response.headers();
        if content_type.is_empty() {
            assert_eq!(response.status(), 404, "{path}");
        } else {
            assert_eq!(response.status(), 200, "{path}");
            assert!(
                headers["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with(content_type),
                "{path}: {:?}",
                headers["content-type"]
            );
            assert_eq!(headers["cache-control"], cache, "{path}");
        }
        assert_eq!(
            headers["content-security-policy"],
            expected_csp.as_str(),
            "{path}"
        );
        for token in expected_csp.split([' ', ';']) {
            assert!(
                !matches!(token, "data:" | "http:" | "*" | "blob:"),
                "{token}"
            );
        }
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
    }
    let page = sandbox
        .http
        .get(format!("{demo}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(page, "<!doctype html><title>demo</title>");

    let info: Value = sandbox
        .http
        .get(format!("{demo}/sandbox.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["apiBaseUrl"], sandbox.api.as_str());
    let keys = info["demoKeys"].as_array().unwrap();
    let accounts: Vec<&str> = keys
        .iter()
        .map(|k| k["account"].as_str().unwrap())
        .collect();
    assert_eq!(accounts, ["creator", "user", "hostile"]);
    for (entry, key) in keys.iter().zip(&sandbox.demo_keys) {
        assert_eq!(entry["key"], key.as_str());
        assert!(!entry["label"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn start_lines_and_demo_keys_are_stable_across_starts() {
    let first = Sandbox::start();
    let second = Sandbox::start_with(&["--api-port", "0", "--demo-port", "0", "--quiet"]);
    assert_eq!(first.demo_keys, second.demo_keys);
    assert_eq!(first.demo_keys.len(), 3);
    assert_ne!(first.api, second.api);
    let notes = [
        "creator with a pool; sandbox only",
        "user without a pool; sandbox only",
        "hostile strings and URLs, for testing renderers; sandbox only",
    ];
    let lines = &first.start_lines;
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines[0].starts_with("sandbox api: http://127.0.0.1:"));
    assert!(lines[1].starts_with("demo page:   http://127.0.0.1:"));
    for (line, note) in lines[2..].iter().zip(notes) {
        assert!(
            line.starts_with("demo key: eyJ") && line.ends_with(&format!("  ({note})")),
            "{line}"
        );
    }
    // The demo key is the documented fixed token.
    assert_eq!(
        first.key("creator"),
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2YW5iRFFOQ2NWaDJmNm9rZXhqYVgxVkdqNnRFbml6SjFrVjVVVEJTOFpoaSIsImlzcyI6ImFjY2Vzcy1hcGktc2FuZGJveCIsImlhdCI6MTcwMDAwMDAwMH0.NYGlWC1hn1gttNEpeTb8KF3smASa46rNEFGZrt6h4iA"
    );
}

#[tokio::test]
async fn no_demo_serves_only_the_api() {
    let mut sandbox = Sandbox::start_with(&["--api-port", "0", "--no-demo", "--quiet"]);
    assert!(sandbox.demo.is_none());
    assert_eq!(sandbox.start_lines.len(), 4);
    assert_eq!(
        sandbox
            .get("/user", Some(sandbox.key("user")))
            .await
            .status(),
        200
    );
    assert!(sandbox.terminate().success());
    assert_eq!(sandbox.stderr(), "", "--quiet logs nothing");
}

async fn csp_of(sandbox: &Sandbox) -> String {
    let demo = sandbox.demo.as_deref().unwrap();
    let response = sandbox.http.get(format!("{demo}/")).send().await.unwrap();
    response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn connect_src_adds_origins_and_no_report_uri_without_test_control() {
    let sandbox = Sandbox::start_with(&[
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--quiet",
        "--connect-src",
        "https://api.example.com/",
        "--connect-src",
        "http://localhost:9000",
    ]);
    assert_eq!(
        csp_of(&sandbox).await,
        format!(
            "{CSP_START}{api} http://localhost:9000 https:; connect-src 'self' {api} \
             {PRODUCTION} https://api.example.com http://localhost:9000; {CSP_END}",
            api = sandbox.api
        )
    );
    // Without --test-control there is nowhere to report to.
    let demo = sandbox.demo.as_deref().unwrap();
    let response = sandbox
        .http
        .post(format!("{demo}/__sandbox/csp-reports"))
        .header("content-type", "application/csp-report")
        .body(r#"{"csp-report":{}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let response = sandbox
        .http
        .get(format!("{demo}/__sandbox/csp-reports"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn csp_reports_are_collected_listed_and_cleared() {
    let sandbox = Sandbox::start();
    let demo = sandbox.demo.clone().unwrap();
    let url = format!("{demo}/__sandbox/csp-reports");
    let list = || async {
        let response = sandbox.http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        response.json::<Value>().await.unwrap()
    };
    assert_eq!(list().await, serde_json::json!({ "reports": [] }));

    // What Chrome and Firefox send for `report-uri`.
    let legacy = serde_json::json!({ "csp-report": {
        "document-uri": format!("{demo}/"),
        "violated-directive": "img-src",
        "effective-directive": "img-src",
        "blocked-uri": "data",
        "disposition": "enforce",
        "status-code": 200,
    }});
    // The Reporting API's shape.
    let reporting = serde_json::json!([{ "type": "csp-violation", "age": 0, "url": format!("{demo}/"),
        "body": { "effectiveDirective": "connect-src", "blockedURL": "https://evil.example" } }]);
    for (content_type, body) in [
        ("application/csp-report", &legacy),
        ("application/reports+json", &reporting),
    ] {
        let response = sandbox
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204, "{content_type}");
    }
    assert_eq!(
        list().await,
        serde_json::json!({ "reports": [legacy, reporting] })
    );

    for (content_type, body, status) in [
        ("text/plain", "{}".to_owned(), 415),
        ("application/csp-report", "not json".to_owned(), 400),
        (
            "application/csp-report",
            format!(r#"{{"csp-report":{{"x":"{}"}}}}"#, "a".repeat(70 * 1024)),
            413,
        ),
    ] {
        let response = sandbox
            .http
            .post(&url)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{content_type}");
    }
    assert_eq!(list().await["reports"].as_array().unwrap().len(), 2);

    let response = sandbox.http.delete(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        serde_json::json!({ "cleared": 2 })
    );
    assert_eq!(list().await, serde_json::json!({ "reports": [] }));
    let response = sandbox.http.put(&url).send().await.unwrap();
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn the_package_can_be_delayed_for_a_test_of_the_page_before_it_starts() {
    let dirs = demo_dirs();
    let sandbox = serving(&dirs);
    let demo = sandbox.demo.clone().unwrap();
    let delay = |body: serde_json::Value| {
        sandbox
            .http
            .post(format!("{demo}/__sandbox/pkg-delay"))
            .json(&body)
            .send()
    };
    let fetch_timed = |path: &'static str| {
        let url = format!("{demo}{path}");
        let http = sandbox.http.clone();
        async move {
            let started = std::time::Instant::now();
            let response = http.get(url).send().await.unwrap();
            assert_eq!(response.status(), 200);
            started.elapsed()
        }
    };
    let answer: Value = delay(serde_json::json!({"delay_ms": 800, "times": 2}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer, serde_json::json!({"pending": 2}));
    // The page itself is not delayed; the next two requests under /pkg/ are.
    assert!(fetch_timed("/index.html").await < std::time::Duration::from_millis(500));
    assert!(fetch_timed("/pkg/x.js").await >= std::time::Duration::from_millis(800));
    assert!(fetch_timed("/pkg/x.wasm").await >= std::time::Duration::from_millis(800));
    assert!(fetch_timed("/pkg/x.js").await < std::time::Duration::from_millis(500));
    for nonsense in [
        serde_json::json!({"delay_ms": 60_001}),
        serde_json::json!({"delay_ms": 10, "times": 0}),
        serde_json::json!({"delay_ms": 10, "times": 101}),
        serde_json::json!({"times": 1}),
    ] {
        assert_eq!(
            delay(nonsense.clone()).await.unwrap().status(),
            400,
            "{nonsense}"
        );
    }
    let text = sandbox
        .http
        .post(format!("{demo}/__sandbox/pkg-delay"))
        .header("content-type", "text/plain")
        .body(r#"{"delay_ms": 10}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 415);
}
