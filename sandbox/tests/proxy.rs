//! Proxy mode (`--upstream`): a second sandbox forwards the documented calls from its demo
//! origin to a first sandbox (the upstream, on loopback `http:`).

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Sandbox;
use serde_json::{json, Value};

/// An upstream sandbox (with test control) and a proxy sandbox forwarding to its API origin.
fn pair(extra: &[&str]) -> (Sandbox, Sandbox) {
    let upstream = Sandbox::start();
    let proxy = proxy_to(&upstream.api, extra);
    (upstream, proxy)
}

fn proxy_to(upstream: &str, extra: &[&str]) -> Sandbox {
    let mut args = vec![
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--upstream",
        upstream,
    ];
    args.extend(extra);
    Sandbox::start_with(&args)
}

/// `{demo}/upstream{path}` of the proxy sandbox.
fn via(proxy: &Sandbox, path: &str) -> String {
    format!(
        "{}/upstream{path}",
        proxy.demo.as_deref().expect("demo origin")
    )
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ASCII header"))
}

#[tokio::test]
async fn start_lines_and_sandbox_json_name_the_proxy() {
    let (upstream, proxy) = pair(&[]);
    let demo = proxy.demo.clone().unwrap();
    let last = proxy.start_lines.last().unwrap();
    assert_eq!(*last, format!("proxy: {demo}/upstream -> {}", upstream.api));
    let info: Value = proxy
        .http
        .get(format!("{demo}/sandbox.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["proxyBaseUrl"], format!("{demo}/upstream"));
    assert_eq!(info["upstream"], upstream.api.as_str());
    assert_eq!(info["apiBaseUrl"], proxy.api.as_str());
    // The page calls the proxy on its own origin ('self'); the images of a loopback upstream's
    // records live on the upstream, so it is an image source (not a connect source).
    let csp = proxy
        .http
        .get(format!("{demo}/sandbox.json"))
        .send()
        .await
        .unwrap()
        .headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains(&format!(
            "img-src 'self' {} {} https:; connect-src 'self' {} https://go-api.accessprotocol.co;",
            proxy.api, upstream.api, proxy.api
        )),
        "{csp}"
    );

    // Not in proxy mode: both null, no proxy line, /upstream/* is 404 and goes nowhere.
    let info: Value = upstream
        .http
        .get(format!(
            "{}/sandbox.json",
            upstream.demo.as_deref().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["proxyBaseUrl"], Value::Null);
    assert_eq!(info["upstream"], Value::Null);
    assert!(!upstream.start_lines.iter().any(|l| l.starts_with("proxy:")));
    let response = upstream
        .http
        .get(via(&upstream, "/user"))
        .bearer_auth(upstream.key("creator"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");

    // An https: upstream is taken as is (with a trailing slash removed); nothing is contacted
    // at start.
    let production = proxy_to("https://go-api.accessprotocol.co/", &["--quiet"]);
    assert_eq!(
        production.start_lines.last().unwrap(),
        &format!(
            "proxy: {}/upstream -> https://go-api.accessprotocol.co",
            production.demo.as_deref().unwrap()
        )
    );
}

#[tokio::test]
async fn get_user_through_the_proxy_is_the_upstream_answer() {
    let (upstream, proxy) = pair(&[]);
    let key = proxy.key("creator");
    let direct = upstream.get("/user", Some(key)).await;
    let direct_length = header(&direct, "content-length").unwrap().to_owned();
    let direct: Value = direct.json().await.unwrap();

    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    assert_eq!(
        header(&response, "content-length"),
        Some(direct_length.as_str())
    );
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    // The demo origin's own security headers, and none of the upstream's CORS headers.
    assert!(header(&response, "content-security-policy").is_some());
    assert_eq!(header(&response, "referrer-policy"), Some("no-referrer"));
    assert!(header(&response, "access-control-allow-origin").is_none());
    assert!(header(&response, "vary").is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, direct);
    assert_eq!(
        body["Pubkey"],
        "6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi"
    );
}

#[tokio::test]
async fn the_export_flow_works_through_the_proxy() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream
        .session(
            "creator",
            json!({ "export_delay_ms": 200, "csv_rows": 20000 }),
        )
        .await;
    let response = proxy
        .http
        .post(via(&proxy, "/file/supporters"))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let id: String = response.json().await.unwrap();
    assert_eq!(id.len(), 36, "{id}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let (length, csv) = loop {
        let response = proxy
            .http
            .get(via(&proxy, &format!("/file/link/{id}")))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        match response.status().as_u16() {
            404 => {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"], "not_found");
                assert!(Instant::now() < deadline, "the export never became ready");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            200 => {
                assert_eq!(
                    header(&response, "content-type"),
                    Some("text/csv; charset=utf-8")
                );
                assert_eq!(header(&response, "cache-control"), Some("no-store"));
                let length: usize = header(&response, "content-length")
                    .expect("content-length passed back")
                    .parse()
                    .unwrap();
                break (length, response.text().await.unwrap());
            }
            other => panic!("unexpected status {other}"),
        }
    };
    assert_eq!(csv.len(), length);
    assert!(length > 1_000_000, "a large file streams through: {length}");
    let records = common::parse_csv(&csv);
    assert_eq!(records.len(), 20_001, "header and rows");

    let report = upstream.report(&session).await;
    assert_eq!(report["requests"]["POST /file/supporters"], 1);
    assert!(report["requests"]["GET /file/link"].as_u64().unwrap() >= 1);
}

#[tokio::test]
async fn errors_pass_through_with_status_and_retry_after() {
    let (upstream, proxy) = pair(&[]);
    // A rejected key.
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized");
    // No key at all: forwarded as is, the upstream decides.
    let response = proxy.http.get(via(&proxy, "/user")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    // A user without a pool may not export.
    let response = proxy
        .http
        .post(via(&proxy, "/file/emails"))
        .bearer_auth(proxy.key("user"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // Rate limiting, with its Retry-After.
    let (key, session) = upstream.session("creator", json!({})).await;
    upstream
        .faults(
            &session,
            json!([{ "path": "/user", "status": 429, "retry_after": "7" }]),
        )
        .await;
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert_eq!(header(&response, "retry-after"), Some("7"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
}

#[tokio::test]
async fn undocumented_calls_are_404_and_never_reach_the_upstream() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    // The upstream's log line of the request that made the session is written by its own task
    // and read by another thread: wait for the log to settle before taking it as the baseline
    // (read at once, it failed under load when that line came after it).
    let log_before = settled_log(&upstream).await;
    let calls: &[(&str, &str)] = &[
        ("GET", "/users"),
        ("GET", "/user/"),
        ("GET", "/user?include=all"),
        ("GET", "//user"),
        ("GET", "/%75ser"),
        ("POST", "/user"),
        ("DELETE", "/user"),
        ("PUT", "/user"),
        ("PATCH", "/user"),
        ("OPTIONS", "/user"),
        ("HEAD", "/user"),
        ("GET", ""),
        ("GET", "/"),
        ("GET", "/file/emails"),
        ("POST", "/file/other"),
        ("POST", "/file/emails/"),
        ("POST", "/file/link/abc"),
        ("GET", "/file/link/"),
        ("GET", "/file/link/a/b"),
        ("GET", "/file/link/a%2Fb"),
        ("GET", "/file/link/%2e%2e"),
        ("GET", "/images/logo.svg"),
        ("GET", "/__sandbox/sessions/x"),
        ("POST", "/__sandbox/keys"),
    ];
    for (method, path) in calls {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = proxy
            .http
            .request(method.clone(), via(&proxy, path))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        if method != reqwest::Method::HEAD {
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "not_found", "{method} {path}");
        }
    }
    // Dot segments sent raw (an HTTP client would resolve them before sending).
    let demo = proxy.demo.as_deref().unwrap();
    let authority = demo.strip_prefix("http://").unwrap();
    for path in [
        "/upstream/file/link/../../user",
        "/upstream/../upstream/users",
        "/upstream/file/link/..",
    ] {
        let mut stream = TcpStream::connect(authority).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {key}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 404"),
            "{path}: {}",
            answer.lines().next().unwrap_or("")
        );
    }

    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        upstream.stderr(),
        log_before,
        "the upstream received a request"
    );
    let report = upstream.report(&session).await;
    assert_eq!(report["requests"], json!({}), "{report}");
}

/// The sandbox's stderr once nothing has been added to it for 200 ms (at most 5 s).
async fn settled_log(sandbox: &Sandbox) -> String {
    let mut log = sandbox.stderr();
    for _ in 0..25 {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let now = sandbox.stderr();
        if now == log {
            break;
        }
        log = now;
    }
    log
}

/// `METHOD path` through the proxy as the demo page sends it (`Authorization: Bearer key`,
/// `Content-Type` and `Accept`), with everything else a browser (or a meddler) may add.
fn from_the_page(proxy: &Sandbox, method: &str, path: &str, key: &str) -> reqwest::RequestBuilder {
    let demo = proxy.demo.clone().unwrap();
    proxy
        .http
        .request(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            via(proxy, path),
        )
        .bearer_auth(key)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("user-agent", "Mozilla/5.0 (the browser)")
        .header("accept-encoding", "gzip, br")
        .header("accept-language", "en")
        .header("cookie", "session=secret-cookie")
        .header("origin", &demo)
        .header("referer", format!("{demo}/"))
        .header("x-forwarded-for", "10.0.0.1")
        .header("x-custom", "1")
        .header("sec-fetch-site", "same-origin")
}

#[tokio::test]
async fn only_authorization_content_type_and_accept_are_forwarded() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    for (method, path) in [("GET", "/user"), ("POST", "/file/emails")] {
        let response = from_the_page(&proxy, method, path, &key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method} {path}");
    }
    let report = upstream.report(&session).await;
    let names: Vec<&str> = report["header_names"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for forwarded in ["authorization", "content-type", "accept", "host"] {
        assert!(names.contains(&forwarded), "{forwarded} missing: {names:?}");
    }
    for name in &names {
        assert!(
            [
                "authorization",
                "content-type",
                "accept",
                "host",
                "user-agent",
                "content-length"
            ]
            .contains(name),
            "the proxy forwarded `{name}`: {names:?}"
        );
    }
    assert_eq!(
        report["header_names"]["content-length"], 1,
        "the POST: {report}"
    );
}

/// A fake upstream on loopback that answers every request `200 {}` and sends the request's
/// head (request line and header lines, as received) down the channel.
fn capturing_upstream() -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let (heads, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let heads = heads.clone();
            std::thread::spawn(move || {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
                let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                              Content-Length: 2\r\nConnection: close\r\n\r\n{}";
                let _ = stream.write_all(answer.as_bytes());
            });
        }
    });
    (format!("http://{address}"), received)
}

#[tokio::test]
async fn the_upstream_gets_the_proxys_own_user_agent_host_and_length_never_the_browsers() {
    let (upstream, heads) = capturing_upstream();
    let proxy = proxy_to(&upstream, &["--quiet"]);
    // Not a valid key: the fake upstream checks nothing, and it is never printed below.
    let key = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl";
    let own_user_agent = concat!(
        "access-api-sandbox/",
        env!("CARGO_PKG_VERSION"),
        " (proxy mode)"
    );
    for (method, path, own) in [
        ("GET", "/user", &["host", "user-agent"][..]),
        (
            "POST",
            "/file/emails",
            &["host", "user-agent", "content-length"][..],
        ),
    ] {
        let response = from_the_page(&proxy, method, path, key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{method} {path}");
        let head = heads
            .recv_timeout(Duration::from_secs(5))
            .expect("the upstream received the request");
        let mut lines = head.lines();
        assert_eq!(
            lines.next(),
            Some(format!("{method} {path} HTTP/1.1").as_str())
        );
        let headers: Vec<(String, String)> = lines
            .filter(|line| !line.is_empty())
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header line");
                (name.to_ascii_lowercase(), value.trim().to_owned())
            })
            .collect();
        let value = |name: &str| -> Vec<&str> {
            headers
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let mut names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let mut expected: Vec<&str> = ["authorization", "content-type", "accept"]
            .iter()
            .chain(own)
            .copied()
            .collect();
        expected.sort_unstable();
        assert_eq!(
            names, expected,
            "{method} {path}: the headers sent upstream"
        );
        // The page's three, as it sent them.
        assert!(
            value("authorization") == [format!("Bearer {key}")],
            "{method} {path}: Authorization"
        );
        assert_eq!(
            value("content-type"),
            ["application/json"],
            "{method} {path}"
        );
        assert_eq!(value("accept"), ["application/json"], "{method} {path}");
        // The proxy's own: its User-Agent (never the browser's), the upstream's Host, and for a
        // POST a length, 0 for the empty body.
        assert_eq!(value("user-agent"), [own_user_agent], "{method} {path}");
        assert_eq!(
            value("host"),
            [upstream.strip_prefix("http://").unwrap()],
            "{method} {path}"
        );
        if method == "POST" {
            assert_eq!(value("content-length"), ["0"], "{method} {path}");
        }
    }
}

#[tokio::test]
async fn an_unreachable_upstream_is_502_without_the_key() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let proxy = proxy_to(&format!("http://127.0.0.1:{port}"), &[]);
    let key = proxy.key("creator");
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let text = response.text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["error"], "bad_gateway");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("http://127.0.0.1:{port}")),
        "{message}"
    );
    assert!(!text.contains(key) && !text.contains("Bearer"), "{text}");
    assert!(!proxy.stderr().contains(key));
}

#[tokio::test]
async fn a_slow_upstream_is_504() {
    let (upstream, proxy) = pair(&["--upstream-timeout-ms", "300"]);
    let (key, session) = upstream.session("creator", json!({})).await;
    upstream
        .faults(&session, json!([{ "path": "/user", "delay_ms": 3000 }]))
        .await;
    let started = Instant::now();
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    assert!(started.elapsed() < Duration::from_secs(2));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "gateway_timeout");
}

#[tokio::test]
async fn upstream_redirects_are_not_followed() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    upstream
        .faults(
            &session,
            json!([{ "path": "/user", "redirect": "demo", "status": 302 }]),
        )
        .await;
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    assert!(header(&response, "location").is_none());
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_gateway");
    assert!(body["message"].as_str().unwrap().contains("redirect"));
    let report = upstream.report(&session).await;
    assert_eq!(report["requests"]["GET /user"], 1);
    assert_eq!(
        report["landing"]["requests"], 0,
        "the redirect was followed"
    );
}

#[tokio::test]
async fn a_body_cut_by_the_upstream_is_cut_for_the_client() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    upstream
        .faults(&session, json!([{ "path": "/user", "body": "abort" }]))
        .await;
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-length"), Some("1024"));
    assert!(
        response.bytes().await.is_err(),
        "a truncated body must fail"
    );
}

#[tokio::test]
async fn log_lines_carry_no_headers() {
    let (_upstream, mut proxy) = pair(&[]);
    let key = proxy.key("creator").to_owned();
    for path in ["/user", "/nope"] {
        proxy
            .http
            .get(via(&proxy, path))
            .bearer_auth(&key)
            .header("cookie", "session=secret-cookie")
            .send()
            .await
            .unwrap();
    }
    assert!(proxy.terminate().success());
    let stderr = proxy.stderr();
    assert!(stderr.contains("GET /upstream/user 200\n"), "{stderr}");
    assert!(stderr.contains("GET /upstream/nope 404\n"), "{stderr}");
    for secret in [key.as_str(), "Bearer", "secret-cookie"] {
        assert!(!stderr.contains(secret), "{secret} in the log:\n{stderr}");
    }
}

#[test]
fn upstreams_other_than_https_or_loopback_http_are_refused_at_start() {
    for (args, expected) in [
        (vec!["--upstream", "http://example.com"], "loopback"),
        (vec!["--upstream", "ftp://127.0.0.1"], "https:"),
        (vec!["--upstream", "go-api.accessprotocol.co"], "https:"),
        (
            vec!["--upstream", "https://user:pw@example.com"],
            "user name or password",
        ),
        (vec!["--upstream", "https://example.com/?a=1"], "query"),
        (
            vec!["--upstream", "https://example.com", "--no-demo"],
            "--no-demo",
        ),
        (
            vec!["--connect-src", "https://example.com/api"],
            "expected an origin",
        ),
        (
            vec!["--connect-src", "http://example.com"],
            "expected an origin",
        ),
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .args(["--api-port", "0", "--demo-port", "0"])
            .args(&args)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}: nothing on stdout");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[tokio::test]
async fn requests_from_other_sites_never_reach_the_upstream() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    let demo = proxy.demo.clone().unwrap();
    let port = demo.rsplit(':').next().unwrap();
    let send = |headers: Vec<(&'static str, String)>| {
        let mut request = proxy.http.get(via(&proxy, "/user")).bearer_auth(&key);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    for refused in [
        vec![("sec-fetch-site", "cross-site".to_owned())],
        vec![("sec-fetch-site", "same-site".to_owned())],
        vec![("origin", "http://rebound.example".to_owned())],
        vec![(
            "origin",
            format!("http://127.0.0.1:{}", port.parse::<u16>().unwrap() - 1),
        )],
        vec![("origin", "null".to_owned())],
        vec![
            ("origin", demo.clone()),
            ("sec-fetch-site", "cross-site".to_owned()),
        ],
    ] {
        let response = send(refused.clone()).await.unwrap();
        assert_eq!(response.status(), 403, "{refused:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "forbidden", "{refused:?}");
    }
    assert_eq!(upstream.report(&session).await["requests"], json!({}));
    // The page itself: same origin (a same-origin GET may carry no Origin at all), and a
    // navigation typed into the address bar (`none`).
    for allowed in [
        vec![],
        vec![("sec-fetch-site", "same-origin".to_owned())],
        vec![("sec-fetch-site", "none".to_owned())],
        vec![
            ("origin", demo.clone()),
            ("sec-fetch-site", "same-origin".to_owned()),
        ],
        vec![
            ("origin", format!("http://localhost:{port}")),
            ("host", format!("localhost:{port}")),
        ],
    ] {
        let response = send(allowed.clone()).await.unwrap();
        assert_eq!(response.status(), 200, "{allowed:?}");
    }
    assert_eq!(
        upstream.report(&session).await["requests"],
        json!({"GET /user": 5})
    );
}

#[tokio::test]
async fn proxied_answers_are_json_or_csv_and_sandboxed() {
    let (upstream, proxy) = pair(&[]);
    let (key, session) = upstream.session("creator", json!({})).await;
    let get = |path: &'static str| proxy.http.get(via(&proxy, path)).bearer_auth(&key).send();
    let sandboxed = |response: &reqwest::Response| {
        assert_eq!(
            header(response, "content-security-policy"),
            Some("sandbox; default-src 'none'; frame-ancestors 'none'"),
        );
        assert_eq!(header(response, "x-content-type-options"), Some("nosniff"));
    };
    let json_answer = get("/user").await.unwrap();
    assert_eq!(
        header(&json_answer, "content-type"),
        Some("application/json")
    );
    sandboxed(&json_answer);

    let id: String = proxy
        .http
        .post(via(&proxy, "/file/emails"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let csv = proxy
        .http
        .get(via(&proxy, &format!("/file/link/{id}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    assert_eq!(
        header(&csv, "content-type"),
        Some("text/csv; charset=utf-8")
    );
    sandboxed(&csv);

    // An upstream (or whatever answers for it) sending a page, or script: the browser must not
    // render or run it on the origin that holds the key.
    upstream
        .faults(
            &session,
            json!([
                {"path": "/user", "body": "html"},
                {"path": "/user", "text": "alert(1)", "content_type": "text/javascript"},
                {"path": "/user", "text": "<svg onload=alert(1)>", "content_type": "image/svg+xml"},
            ]),
        )
        .await;
    for _ in 0..3 {
        let response = get("/user").await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            header(&response, "content-type"),
            Some("application/octet-stream")
        );
        sandboxed(&response);
    }
    // The proxy's own errors are sandboxed too.
    let refused = proxy.http.get(via(&proxy, "/nope")).send().await.unwrap();
    assert_eq!(refused.status(), 404);
    sandboxed(&refused);
}

/// A fake upstream on loopback that answers every request with a head and then one body byte
/// every 100 ms, for ever (until the client goes away).
fn trickling_upstream() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            std::thread::spawn(move || {
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer);
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Content-Length: 100000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                loop {
                    std::thread::sleep(Duration::from_millis(100));
                    if stream.write_all(b" ").is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_trickling_upstream_is_cut_off_at_the_total_timeout() {
    let upstream = trickling_upstream();
    let proxy = proxy_to(
        &upstream,
        &[
            "--upstream-timeout-ms",
            "1000",
            "--upstream-total-timeout-ms",
            "2000",
        ],
    );
    let started = Instant::now();
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .bearer_auth(proxy.key("creator"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the head came in time");
    let body = tokio::time::timeout(Duration::from_secs(10), response.bytes())
        .await
        .expect("the proxy kept the connection open past its total timeout");
    assert!(body.is_err(), "the body must end cut short, not complete");
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(1900) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn the_proxy_counts_what_it_forwarded_and_refused() {
    let (_upstream, proxy) = pair(&["--test-control"]);
    let demo = proxy.demo.clone().unwrap();
    let key = proxy.key("creator");
    let counts = || async {
        let response = proxy
            .http
            .get(format!("{demo}/__sandbox/proxy-requests"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()
    };
    assert_eq!(counts().await, json!({"forwarded": {}, "refused": 0}));
    let status = |method: reqwest::Method, path: &'static str| {
        let request = proxy
            .http
            .request(method, via(&proxy, path))
            .bearer_auth(key);
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(status(reqwest::Method::GET, "/user").await, 200);
    assert_eq!(status(reqwest::Method::GET, "/user").await, 200);
    assert_eq!(status(reqwest::Method::POST, "/file/emails").await, 200);
    assert_eq!(status(reqwest::Method::GET, "/nope").await, 404);
    let response = proxy
        .http
        .get(via(&proxy, "/user"))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await;
    assert_eq!(response.unwrap().status(), 403);
    assert_eq!(
        counts().await,
        json!({"forwarded": {"GET /user": 2, "POST /file/emails": 1}, "refused": 2})
    );
}

#[tokio::test]
async fn the_proxy_counter_needs_test_control() {
    let (_upstream, proxy) = pair(&[]);
    let response = proxy
        .http
        .get(format!(
            "{}/__sandbox/proxy-requests",
            proxy.demo.clone().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn every_documented_get_is_forwarded_and_public_ones_without_the_key() {
    let (upstream, proxy) = pair(&["--test-control"]);
    let (key, session) = upstream.session("user", json!({})).await;
    let pool = "Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f";
    let wallet = "AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv";
    let mut public: Vec<String> = [
        "/pools",
        "/pools/featured",
        "/pools/user_count",
        "/pools/locked",
        "/pools/rewards",
        "/token/supply/total",
        "/token/supply/circulating",
        "/stats/postitive_stake",
        "/stats/cumulative_stake",
    ]
    .map(str::to_owned)
    .to_vec();
    public.push(format!("/pool/{pool}"));
    for path in &public {
        // The page sends its key; the proxy keeps it here.
        let response = from_the_page(&proxy, "GET", path, &key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let content_type = header(&response, "content-type").unwrap().to_owned();
        let body = response.text().await.unwrap();
        let direct = upstream.get(path, None).await.text().await.unwrap();
        assert_eq!(body, direct, "{path}");
        if path.starts_with("/token") {
            assert_eq!(content_type, "text/plain; charset=utf-8");
        } else {
            assert_eq!(content_type, "application/json");
        }
    }
    for path in [
        format!("/user/{wallet}/pools"),
        format!("/user/{wallet}/pools/forever"),
    ] {
        let response = from_the_page(&proxy, "GET", &path, &key)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let response = proxy.http.get(via(&proxy, &path)).send().await.unwrap();
        assert_eq!(
            response.status(),
            401,
            "{path}: no key, the upstream decides"
        );
    }
    // Only the keyed calls reached the upstream with the session's key.
    let report = upstream.report(&session).await;
    let requests = report["requests"].as_object().unwrap();
    assert_eq!(
        requests.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "GET /user/{address}/pools",
            "GET /user/{address}/pools/forever"
        ],
        "{report}"
    );
    let counts: Value = proxy
        .http
        .get(format!(
            "{}/__sandbox/proxy-requests",
            proxy.demo.as_deref().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counts["forwarded"]["GET /pools"], 1, "{counts}");
    assert_eq!(counts["forwarded"]["GET /pool/{address}"], 1);
    assert_eq!(counts["forwarded"]["GET /user/{address}/pools"], 2);
}
