//! The demo origin and the start lines.

mod common;

use common::Sandbox;
use serde_json::Value;

const CSP_START: &str =
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' ";

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

#[tokio::test]
async fn serves_the_page_the_package_and_sandbox_json_with_security_headers() {
    let dirs = demo_dirs();
    let www = dirs.path().join("www");
    let pkg = dirs.path().join("pkg");
    let mut args = common::TEST_ARGS.to_vec();
    args.extend([
        "--www",
        www.to_str().unwrap(),
        "--pkg",
        pkg.to_str().unwrap(),
    ]);
    let sandbox = Sandbox::start_with(&args);
    let demo = sandbox.demo.clone().expect("demo page line");
    let expected_csp = format!(
        "{CSP_START}{api}; connect-src 'self' {api}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
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
        assert!(!expected_csp.contains("data:"));
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
