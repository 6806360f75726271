//! The 3-step CSV export flow.

mod common;

use std::time::Duration;

use common::{allow_origin, parse_csv, Sandbox};
use serde_json::{json, Value};

async fn request_export(sandbox: &Sandbox, kind: &str, key: &str) -> String {
    let response = sandbox.post(&format!("/file/{kind}"), Some(key)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let id: Value = response.json().await.unwrap();
    let id = id.as_str().expect("a JSON string").to_owned();
    // A UUID v4, like the documented "5e491ab8-17f2-46ee-80d4-7eec9017f6be".
    assert_eq!(id.len(), 36);
    assert_eq!(id.as_bytes()[14], b'4', "{id}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'));
    id
}

#[tokio::test]
async fn export_flow_for_each_kind() {
    let sandbox = Sandbox::start();
    let key = sandbox.key("creator");
    let expected_headers = [
        ("emails", "Email,Pubkey,Username,Subscribed at"),
        (
            "supporters",
            "Pubkey,Username,Email,Locked ACS,Locked since,Note",
        ),
        ("rewards", "Date,Pubkey,Username,Amount ACS,Type"),
    ];
    for (kind, header) in expected_headers {
        let id = request_export(&sandbox, kind, key).await;
        let link = format!("/file/link/{id}");

        let not_yet = sandbox.get(&link, Some(key)).await;
        assert_eq!(not_yet.status(), 404, "{kind}: ready too early");
        assert_eq!(allow_origin(&not_yet).as_deref(), Some("*"));
        let body: Value = not_yet.json().await.expect("JSON 404 body");
        assert_eq!(body["error"], "not_found");

        tokio::time::sleep(Duration::from_millis(400)).await;
        let ready = sandbox.get(&link, Some(key)).await;
        assert_eq!(ready.status(), 200, "{kind}");
        assert_eq!(ready.headers()["content-type"], "text/csv; charset=utf-8");
        let length: usize = ready.headers()["content-length"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let text = ready.text().await.unwrap();
        assert_eq!(text.len(), length);

        assert!(text.starts_with(&format!("{header}\r\n")), "{kind}: {text}");
        let records = parse_csv(&text);
        assert_eq!(records.len(), 26, "{kind}: header + 25 rows");
        let columns = records[0].len();
        assert!(
            records.iter().all(|r| r.len() == columns),
            "{kind}: ragged rows"
        );
        let fields: Vec<&String> = records.iter().flatten().collect();
        assert!(
            fields.iter().any(|f| f.contains(',')),
            "{kind}: no field with a comma"
        );
        assert!(
            fields.iter().any(|f| f.contains('"')),
            "{kind}: no field with a quote"
        );
        assert!(
            fields.iter().any(|f| f.contains('\n')),
            "{kind}: no multi-line field"
        );
        for name in [
            "Zoë Ångström",
            "李雷",
            "Jürgen \"JJ\" Müller, PhD",
            "Łukasz Żółć",
        ] {
            assert!(fields.iter().any(|f| *f == name), "{kind}: missing {name}");
        }
        assert!(
            fields.iter().any(|f| f.chars().any(|c| c as u32 > 0xFFFF)),
            "{kind}: no emoji"
        );
        assert!(text.contains("\"Jürgen \"\"JJ\"\" Müller, PhD\""));

        // Still there on a second download, byte for byte.
        let again = sandbox.get(&link, Some(key)).await.text().await.unwrap();
        assert_eq!(again, text);
    }
}

#[tokio::test]
async fn ids_of_other_accounts_and_unknown_ids_stay_404() {
    let sandbox = Sandbox::start();
    let id = request_export(&sandbox, "supporters", sandbox.key("hostile")).await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        sandbox
            .get(&format!("/file/link/{id}"), Some(sandbox.key("hostile")))
            .await
            .status(),
        200
    );
    for (path, key) in [
        (format!("/file/link/{id}"), sandbox.key("creator")),
        (format!("/file/link/{id}"), sandbox.key("user")),
        (
            "/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be".to_owned(),
            sandbox.key("creator"),
        ),
        ("/file/link/not-a-uuid".to_owned(), sandbox.key("creator")),
    ] {
        let response = sandbox.get(&path, Some(key)).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
    // Without a key it is 401, not 404.
    assert_eq!(
        sandbox
            .get(&format!("/file/link/{id}"), None)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn user_without_a_pool_cannot_export() {
    let sandbox = Sandbox::start();
    for kind in ["emails", "supporters", "rewards"] {
        let response = sandbox
            .post(&format!("/file/{kind}"), Some(sandbox.key("user")))
            .await;
        assert_eq!(response.status(), 403);
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            body,
            json!({"error": "forbidden", "message": "only pool owners can export"})
        );
    }
    let response = sandbox
        .post("/file/invoices", Some(sandbox.key("creator")))
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn sessions_can_ask_for_large_files_and_other_delays() {
    let sandbox = Sandbox::start();
    let (key, _) = sandbox
        .session(
            "creator",
            json!({"csv_rows": 100_000, "export_delay_ms": 0}),
        )
        .await;
    let id = request_export(&sandbox, "supporters", &key).await;
    let response = sandbox.get(&format!("/file/link/{id}"), Some(&key)).await;
    assert_eq!(response.status(), 200, "export_delay_ms 0 is ready at once");
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let text = response.text().await.unwrap();
    assert_eq!(text.len(), length);
    assert!(length > 10_000_000, "{length} bytes");
    assert_eq!(parse_csv(&text).len(), 100_001);

    let (slow_key, _) = sandbox
        .session("creator", json!({"export_delay_ms": 1500}))
        .await;
    let id = request_export(&sandbox, "emails", &slow_key).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        sandbox
            .get(&format!("/file/link/{id}"), Some(&slow_key))
            .await
            .status(),
        404
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        sandbox
            .get(&format!("/file/link/{id}"), Some(&slow_key))
            .await
            .status(),
        200
    );
    // Exports belong to the account, not the key: the demo key of the same account sees it too.
    assert_eq!(
        sandbox
            .get(&format!("/file/link/{id}"), Some(sandbox.key("creator")))
            .await
            .status(),
        200
    );
}
