//! The documented endpoints: `GET /user`, authentication, CORS, 404/405, images, key hygiene.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{allow_origin, Sandbox, SAMPLE_PATH};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().expect("object").keys().cloned().collect()
}

/// Same JSON type.
fn same_type(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[tokio::test]
async fn documented_curl_request_returns_the_documented_shape() {
    let sandbox = Sandbox::start();
    let sample: Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE_PATH).expect("read user.sample.json"))
            .unwrap();

    // The documented request, verbatim, with the real curl.
    let output = Command::new("curl")
        .arg(format!("{}/user", sandbox.api))
        .args(["-H", "Content-Type: application/json"])
        .args([
            "-H",
            &format!("Authorization: Bearer {}", sandbox.key("creator")),
        ])
        .output()
        .expect("run curl");
    assert!(output.status.success());
    let user: Value = serde_json::from_slice(&output.stdout).expect("curl printed JSON");

    assert_eq!(keys(&user), keys(&sample));
    assert_eq!(keys(&user["OwnedPool"]), keys(&sample["OwnedPool"]));
    for (name, value) in sample.as_object().unwrap() {
        assert!(
            same_type(&user[name], value),
            "{name}: {} vs {value}",
            user[name]
        );
    }
    for (name, value) in sample["OwnedPool"].as_object().unwrap() {
        assert!(
            same_type(&user["OwnedPool"][name], value),
            "OwnedPool.{name}"
        );
    }
    for date in [
        &user["CreatedAt"],
        &user["UpdatedAt"],
        &user["OwnedPool"]["CreatedAt"],
        &user["OwnedPool"]["UpdatedAt"],
    ] {
        let date = date.as_str().unwrap();
        OffsetDateTime::parse(date, &Rfc3339).unwrap_or_else(|e| panic!("{date}: {e}"));
        assert!(date.contains('.'), "fractional seconds in {date}");
    }
    assert_eq!(user["Role"], "admin");
    assert_eq!(user["OwnedPool"]["UserPubkey"], user["Pubkey"]);
    let pubkey = user["Pubkey"].as_str().unwrap();
    assert_eq!(
        user["Username"],
        format!("{}...{}", &pubkey[..4], &pubkey[pubkey.len() - 4..])
    );
    // Field order is the documented one.
    let text = String::from_utf8(output.stdout).unwrap();
    let order = |json: &str, names: &[&str]| {
        names
            .windows(2)
            .all(|w| json.find(&format!("\"{}\"", w[0])) < json.find(&format!("\"{}\"", w[1])))
    };
    assert!(order(
        &text,
        &[
            "EnabledEmailAutoSubs",
            "Pubkey",
            "Role",
            "OwnedPool",
            "Name",
            "DisplayFE",
            "Username"
        ]
    ));

    // The images it points at are served by the sandbox itself.
    for (field, width) in [
        ("LogoImageURL", "256"),
        ("HeroImageURL", "1200"),
        ("ProfileImageURL", "256"),
    ] {
        let url = user["OwnedPool"][field].as_str().unwrap();
        assert!(url.starts_with(&sandbox.api), "{url}");
        let response = sandbox.http.get(url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        let svg = response.text().await.unwrap();
        assert!(
            svg.starts_with("<svg")
                && svg.contains(&format!("width=\"{width}\""))
                && !svg.contains("script")
        );
    }
    assert_eq!(sandbox.get("/images/nope.svg", None).await.status(), 404);
}

#[tokio::test]
async fn user_without_a_pool_and_hostile_account() {
    let sandbox = Sandbox::start();
    let response = sandbox.get("/user", Some(sandbox.key("user"))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["OwnedPool"], Value::Null);
    assert_eq!(user["Role"], "user");

    let hostile: Value = sandbox
        .get("/user", Some(sandbox.key("hostile")))
        .await
        .json()
        .await
        .unwrap();
    let pool = &hostile["OwnedPool"];
    assert!(pool["Name"]
        .as_str()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    assert!(pool["Description"]
        .as_str()
        .unwrap()
        .contains("<script>alert(1)</script>"));
    assert_eq!(pool["Website"], "javascript:alert(document.domain)");
    assert!(pool["LogoImageURL"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml,"));
    assert_eq!(pool["HeroImageURL"], "http://203.0.113.7/hero.png");
    assert_eq!(pool["ProfileImageURL"], "javascript:alert(1)");
    assert_eq!(pool["Email"], "\"><script>alert(1)</script>@example.com");
    assert_ne!(hostile["Pubkey"], user["Pubkey"]);
}

#[tokio::test]
async fn bad_keys_get_401_with_a_json_body_and_cors_headers() {
    let sandbox = Sandbox::start();
    let creator = sandbox.key("creator");
    let (head, _signature) = creator.rsplit_once('.').unwrap();
    let other_signature = sandbox.key("user").rsplit_once('.').unwrap().1;
    let wrongly_signed = format!("{head}.{other_signature}");
    let foreign_secret = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &serde_json::json!({"sub": "6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi", "iss": "access-api-sandbox", "iat": 1}),
        &jsonwebtoken::EncodingKey::from_secret(b"some other secret"),
    )
    .unwrap();
    // Correctly signed (the sandbox secret is public), but for nobody the sandbox knows.
    let unknown_subject = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &serde_json::json!({"sub": "3wEbogFD59ihp6BMG3fSWN3pmJZz7aHZWo1TQrbsLuMD", "iss": "access-api-sandbox", "iat": 1}),
        &jsonwebtoken::EncodingKey::from_secret(
            b"access-api-sandbox: public, sandbox-only signing secret; grants nothing anywhere else",
        ),
    )
    .unwrap();

    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        (
            "malformed",
            Some("Bearer not-a-jwt-canary-0123456789abcdef".into()),
        ),
        ("wrong signature", Some(format!("Bearer {wrongly_signed}"))),
        ("foreign secret", Some(format!("Bearer {foreign_secret}"))),
        ("unknown subject", Some(format!("Bearer {unknown_subject}"))),
        ("not bearer", Some(format!("Basic {creator}"))),
        ("empty", Some("Bearer ".into())),
    ];
    for (case, header) in cases {
        for (method, path) in [
            ("GET", "/user"),
            ("POST", "/file/emails"),
            ("GET", "/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be"),
        ] {
            let mut request = sandbox
                .http
                .request(method.parse().unwrap(), format!("{}{path}", sandbox.api))
                .header("origin", "https://example.com");
            if let Some(header) = &header {
                request = request.header("authorization", header);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 401, "{case} {method} {path}");
            assert_eq!(allow_origin(&response).as_deref(), Some("*"), "{case}");
            assert_eq!(response.headers()["content-type"], "application/json");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "unauthorized", "{case}");
            let message = body["message"].as_str().unwrap();
            assert!(!message.is_empty());
            if let Some(header) = &header {
                let token = header.split_once(' ').map(|(_, t)| t).unwrap_or(header);
                assert!(
                    token.is_empty() || !message.contains(token),
                    "{case}: message echoes the key"
                );
            }
        }
    }
}

#[tokio::test]
async fn preflight_allows_authorization_and_exposes_retry_after() {
    let sandbox = Sandbox::start();
    // The control endpoints answer loopback pages only: hardening.rs tests them.
    for path in ["/user", "/file/emails", "/file/link/x"] {
        let response = sandbox
            .http
            .request(reqwest::Method::OPTIONS, format!("{}{path}", sandbox.api))
            .header("origin", "http://localhost:3000")
            .header(
                "access-control-request-method",
                if path.starts_with("/file/link") || path == "/user" {
                    "GET"
                } else {
                    "POST"
                },
            )
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        };
        assert_eq!(header("access-control-allow-origin").as_deref(), Some("*"));
        let allowed = header("access-control-allow-headers").unwrap();
        assert!(
            allowed.contains("authorization") && allowed.contains("content-type"),
            "{allowed}"
        );
        assert!(!allowed.contains('*'));
        let methods = header("access-control-allow-methods").unwrap();
        assert!(
            methods.contains("get") && methods.contains("post"),
            "{methods}"
        );
        assert_eq!(header("access-control-max-age").as_deref(), Some("600"));
    }
    let response = sandbox.get("/user", Some(sandbox.key("creator"))).await;
    let exposed = response.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "{exposed}");
}

#[tokio::test]
async fn unknown_paths_are_404_json_and_wrong_methods_405() {
    let sandbox = Sandbox::start();
    let key = Some(sandbox.key("creator"));
    for response in [
        sandbox.get("/nope", key).await,
        sandbox.get("/", None).await,
        sandbox.post("/file/nope", key).await,
    ] {
        assert_eq!(response.status(), 404);
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
    for response in [
        sandbox.post("/user", key).await,
        sandbox.get("/file/emails", key).await,
    ] {
        assert_eq!(response.status(), 405);
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "method_not_allowed");
    }
}

#[tokio::test]
async fn nothing_printed_or_returned_contains_a_received_key() {
    let mut sandbox = Sandbox::start();
    let canary = "eyJhbGciOiJIUzI1NiJ9.eyJjYW5hcnkiOiJ0d2VldHkifQ.canary-signature-0123456789";
    let (session_key, session) = sandbox.session("creator", serde_json::json!({})).await;
    sandbox
        .faults(
            &session,
            serde_json::json!([{"status": 500}, {"body": "html"}, {"body": "malformed"}]),
        )
        .await;
    let mut bodies = String::new();
    for key in [canary, session_key.as_str(), sandbox.key("creator")] {
        for path in [
            "/user".to_owned(),
            "/file/link/nope".to_owned(),
            format!("/file/link/{key}"),
            format!("/{key}"),
        ] {
            let response = sandbox.get(&path, Some(key)).await;
            bodies.push_str(&response.text().await.unwrap_or_default());
        }
        let response = sandbox.post("/file/rewards", Some(key)).await;
        bodies.push_str(&response.text().await.unwrap());
    }
    // The control API parses bodies: a key sent there must not come back in an error.
    let (_, answer) = sandbox
        .post_json("/__sandbox/keys", serde_json::json!({ "account": canary }))
        .await;
    bodies.push_str(&answer.to_string());
    let (_, answer) = sandbox
        .post_json(
            "/__sandbox/faults",
            serde_json::json!({ "session": session, "faults": [{ canary: 1 }] }),
        )
        .await;
    bodies.push_str(&answer.to_string());

    let status = sandbox.terminate();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
    let stderr = sandbox.stderr();
    assert!(
        stderr.contains("GET /user 401") && stderr.contains("GET /user 200"),
        "{stderr}"
    );
    assert_eq!(
        sandbox.stdout_rest(),
        "",
        "nothing on stdout after the start lines"
    );
    for key in [canary, session_key.as_str(), sandbox.key("creator")] {
        assert!(
            !stderr.contains(key),
            "a key leaked into the log:\n{stderr}"
        );
        assert!(
            !bodies.contains(key),
            "a key leaked into a response:\n{bodies}"
        );
    }
    // Log lines are exactly `METHOD path status`.
    for line in stderr.lines().filter(|l| !l.starts_with("sandbox:")) {
        let parts: Vec<&str> = line.split(' ').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert!(
            parts[1].starts_with('/') && parts[2].parse::<u16>().is_ok(),
            "{line}"
        );
    }
}
