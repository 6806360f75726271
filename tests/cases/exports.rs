//! Exports: the three steps and their progress, one by one through JS, forbidden without a pool,
//! timeouts, cancels, the CSV cap.

use super::*;

#[wasm_bindgen_test]
async fn export_csv_runs_all_three_steps_and_reports_progress() {
    let creator = session("creator", json!({ "export_delay_ms": 700 })).await;
    let seen = Rc::new(RefCell::new(Vec::new()));
    let csv = creator
        .client()
        .export_csv(ExportKind::Supporters)
        .poll_interval(Duration::from_millis(200))
        .on_progress({
            let seen = seen.clone();
            move |p| {
                seen.borrow_mut()
                    .push((p.phase, p.attempt, p.reference_id.clone()))
            }
        })
        .await
        .unwrap();
    assert!(csv.lines().count() > 5);
    assert!(!csv.is_ascii(), "the sandbox's rows hold non-ASCII names");

    let seen = seen.borrow().clone();
    let phases: Vec<ExportPhase> = seen.iter().map(|(phase, _, _)| *phase).collect();
    assert_eq!(phases.first(), Some(&ExportPhase::Requesting));
    assert_eq!(
        &phases[phases.len() - 2..],
        &[ExportPhase::Downloading, ExportPhase::Done]
    );
    let waits = phases
        .iter()
        .filter(|p| **p == ExportPhase::Waiting)
        .count() as u64;
    assert!(
        waits >= 2,
        "polled only {waits} times before a 700 ms export was ready"
    );
    assert!(
        seen[1].2.is_some(),
        "the reference id is reported while waiting"
    );
    assert_eq!(creator.count("GET /file/link").await, waits);
    assert_eq!(creator.count("POST /file/supporters").await, 1);
}

#[wasm_bindgen_test]
async fn export_steps_one_by_one_through_js_api() {
    let creator = session("creator", json!({ "export_delay_ms": 300 })).await;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &SANDBOX.into()).unwrap();
    let client = AccessClient::new(creator.key.clone().into(), options.into()).unwrap();
    let id = JsFuture::from(client.request_export("rewards".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let id = id.as_string().expect("a reference id string");
    let early = JsFuture::from(client.download_export(id.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(early.is_null(), "not ready yet is null");
    sleep(600).await;
    let csv = JsFuture::from(client.download_export(id.into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(csv.as_string().unwrap().contains(','));

    let unknown = JsFuture::from(client.download_export(
        "5e491ab8-17f2-46ee-80d4-7eec9017f6be".into(),
        JsValue::UNDEFINED,
    ))
    .await
    .unwrap();
    assert!(unknown.is_null());
    let bad_kind = JsFuture::from(client.request_export("everything".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(js_error_fields(&bad_kind).1, "invalid_argument");
}

#[wasm_bindgen_test]
async fn export_of_a_user_without_a_pool_is_forbidden() {
    let user = session("user", json!({})).await;
    let error = user
        .client()
        .export_csv(ExportKind::Emails)
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Forbidden, Some(403))
    );
}

#[wasm_bindgen_test]
async fn an_export_gives_up_at_its_timeout() {
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let started = now();
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(200))
        .timeout(Duration::from_millis(900))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ExportTimeout);
    assert!(error.is_timeout());
    let waited = now() - started;
    assert!(
        (800.0..2500.0).contains(&waited),
        "gave up after {waited} ms"
    );
}

#[wasm_bindgen_test]
async fn cancelling_mid_poll_stops_all_requests() {
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let controller = AbortController::new().unwrap();
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(150))
        .signal(&controller.signal())
        .on_progress({
            let controller = controller.clone();
            move |p| {
                if p.attempt == 2 {
                    controller.abort();
                }
            }
        })
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Aborted);
    let polls = creator.count("GET /file/link").await;
    sleep(800).await;
    assert_eq!(
        creator.count("GET /file/link").await,
        polls,
        "requests went on after the abort"
    );
    // The counter sees the polls made before the abort: its silence after it means something.
    assert!((1..=2).contains(&polls), "{polls} polls");
}

#[wasm_bindgen_test]
async fn csv_over_the_cap_is_too_large() {
    let creator = session("creator", json!({ "export_delay_ms": 0 })).await;
    let client = client_with(&creator.key, |b| b.max_csv_bytes(100));
    let error = client
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooLarge);
}
