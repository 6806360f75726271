//! Edges: caps, keys, URLs, headers and retries; `Retry-After` as a date or sent twice, a 304 and
//! the browser's cache, polling, wall-clock jumps, and what a dropped call leaves behind (timers,
//! fetches).

use super::*;

#[wasm_bindgen_test]
async fn requests_send_accept_and_no_content_type() {
    let creator = session("creator", json!({})).await;
    let client = creator.client();
    client.user().await.unwrap();
    client.request_export(ExportKind::Emails).await.unwrap();
    let headers = creator.report().await["header_names"].clone();
    assert_eq!(headers["authorization"], json!(2), "{headers}");
    assert_eq!(headers["accept"], json!(2), "{headers}");
    assert!(
        headers.get("content-type").is_none(),
        "a request without a body sent Content-Type: {headers}"
    );
}

#[wasm_bindgen_test]
async fn a_malformed_reference_id_is_refused_before_any_request() {
    let creator = session("creator", json!({})).await;
    let client = js_client(&creator.key);
    let download =
        |id: String| JsFuture::from(client.download_export(id.into(), JsValue::UNDEFINED));
    for bad in [
        String::new(),
        "../user".to_owned(),
        "5e491ab8 17f2".to_owned(),
        "id%2F..".to_owned(),
        "é".to_owned(),
        "a".repeat(129),
    ] {
        let error = download(bad.clone()).await.unwrap_err();
        assert_eq!(js_error_fields(&error).1, "invalid_argument", "{bad:?}");
    }
    assert_eq!(creator.count("GET /file/link").await, 0);
    // The longest id is sent, and answered "not ready" (404) like any unknown id.
    assert!(download("a".repeat(128)).await.unwrap().is_null());
    assert_eq!(creator.count("GET /file/link").await, 1);
}

#[wasm_bindgen_test]
fn max_csv_bytes_stays_within_the_longest_js_string() {
    let limit = access_creator_api::MAX_CSV_BYTES_LIMIT;
    assert_eq!(limit, 536_870_888);
    assert!(js_client_with(CANARY, json!({ "maxCsvBytes": limit })).is_ok());
    assert_eq!(
        js_client_with(CANARY, json!({ "maxCsvBytes": limit + 1 })).err(),
        Some("invalid_argument".to_owned())
    );
    let error = Client::builder(CANARY)
        .max_csv_bytes(limit + 1)
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
}

#[wasm_bindgen_test]
async fn only_a_real_abort_signal_is_accepted() {
    let creator = session("creator", json!({})).await;
    let client = js_client(&creator.key);
    let listener = Closure::<dyn FnMut()>::new(|| {});
    let fakes = [
        json!({ "aborted": false }),
        json!({ "aborted": false, "reason": null }),
        json!(true),
        // Tagged as one, which `Object.prototype.toString` believes: not a brand check.
        json!({ "aborted": false, "tagged": true }),
    ];
    for fake in fakes {
        let signal = js_sys::JSON::parse(&fake.to_string()).unwrap();
        if signal.is_object() {
            Reflect::set(&signal, &"addEventListener".into(), listener.as_ref()).unwrap();
            Reflect::set(&signal, &"removeEventListener".into(), listener.as_ref()).unwrap();
        }
        if fake["tagged"] == json!(true) {
            Reflect::set(
                &signal,
                &js_sys::Symbol::to_string_tag(),
                &"AbortSignal".into(),
            )
            .unwrap();
        }
        let options = js_sys::Object::new();
        Reflect::set(&options, &"signal".into(), &signal).unwrap();
        let error = js_get_user(&client, options.into()).await.unwrap_err();
        assert_eq!(error.1, "invalid_argument", "{fake}");
    }
    assert_eq!(creator.count("GET /user").await, 0);
    let options = js_sys::Object::new();
    let controller = AbortController::new().unwrap();
    Reflect::set(&options, &"signal".into(), &controller.signal()).unwrap();
    assert!(js_get_user(&client, options.into()).await.is_ok());
    assert_eq!(
        creator.count("GET /user").await,
        1,
        "the counter sees a call"
    );
}

#[wasm_bindgen_test]
async fn keys_pasted_with_tabs_and_invisible_characters_work() {
    let creator = session("creator", json!({})).await;
    for pasted in [
        format!("Bearer\t{}", creator.key),
        format!("\u{feff}{}", creator.key),
        format!("\u{200b}{}\u{200b}\n", creator.key),
        format!("\u{feff}bearer \t{}\u{2060}", creator.key),
    ] {
        let client = js_client_with(&pasted, json!({})).unwrap();
        assert!(
            js_get_user(&client, JsValue::UNDEFINED).await.is_ok(),
            "{:?}",
            &pasted[..8]
        );
    }
    assert_eq!(creator.count("GET /user").await, 4);
}

#[wasm_bindgen_test]
fn http_is_allowed_only_on_literal_loopback_hosts() {
    for refused in [
        "http://api.localhost:8081",
        "http://localhost.:8081",
        "http://10.0.0.1",
    ] {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"baseUrl".into(), &refused.into()).unwrap();
        let error = AccessClient::new(CANARY.into(), options.into())
            .err()
            .unwrap();
        assert_eq!(js_error_fields(&error).1, "invalid_argument", "{refused}");
    }
    // Parsed whole when the client is made, not when a call fails.
    for refused in [
        "https://example.com:99999",
        "https://[not-an-address]",
        "https://exa%zzmple.com",
        "https://[1:2:3]",
    ] {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"baseUrl".into(), &refused.into()).unwrap();
        let error = AccessClient::new(CANARY.into(), options.into())
            .err()
            .unwrap();
        assert_eq!(js_error_fields(&error).1, "invalid_argument", "{refused}");
        let error = Client::builder(CANARY)
            .base_url(refused)
            .build()
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidArgument, "{refused}");
    }
    for allowed in [
        "http://localhost:8081",
        "http://127.0.0.2",
        "http://[::1]:8081",
        "https://[2001:db8::1]:8443",
        "https://example.com:65535",
    ] {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"baseUrl".into(), &allowed.into()).unwrap();
        assert!(
            AccessClient::new(CANARY.into(), options.into()).is_ok(),
            "{allowed}"
        );
    }
}

#[wasm_bindgen_test]
async fn export_requests_are_retried_only_when_the_server_did_nothing() {
    // (fault, succeeds, requests made)
    let cases = [
        (json!({ "status": 429, "retry_after": "1" }), true, 2),
        (json!({ "status": 429 }), true, 2),
        (json!({ "status": 503, "retry_after": "1" }), true, 2),
        // A `Retry-After` that does not parse still says "refused for now": the backoff's wait.
        (json!({ "status": 503, "retry_after": "soon" }), true, 2),
        (json!({ "status": 503, "times": 3 }), false, 1),
        (json!({ "status": 500, "times": 3 }), false, 1),
        (
            json!({ "status": 502, "retry_after": "1", "times": 3 }),
            false,
            1,
        ),
        (json!({ "body": "abort", "times": 3 }), false, 1),
    ];
    for (fault, succeeds, requests) in cases {
        let creator = session("creator", json!({})).await;
        let mut fault = fault;
        fault["path"] = json!("/file/emails");
        creator.fault(json!([fault.clone()])).await;
        let outcome = creator.client().request_export(ExportKind::Emails).await;
        assert_eq!(outcome.is_ok(), succeeds, "{fault}: {outcome:?}");
        assert_eq!(
            creator.count("POST /file/emails").await,
            requests,
            "{fault}"
        );
    }
}

#[wasm_bindgen_test]
async fn retry_after_as_an_http_date_is_waited_out() {
    let creator = session("creator", json!({})).await;
    let date: String = js_sys::Date::new(&JsValue::from(now() + 2500.0))
        .to_utc_string()
        .into();
    creator
        .fault(json!([{ "path": "/user", "status": 503, "retry_after": date }]))
        .await;
    let started = now();
    creator.client().user().await.unwrap();
    let waited = now() - started;
    // An HTTP-date has whole seconds: the wait is 1.5 to 2.5 s.
    assert!(waited >= 1400.0, "waited only {waited} ms for {date}");
    assert_eq!(creator.count("GET /user").await, 2);
}

#[wasm_bindgen_test]
async fn a_retry_after_sent_twice_is_waited_out_by_its_first_value() {
    // A header the server sent twice reaches the client joined: "1, 1".
    for value in ["1, 1", "1,1", "soon, 1"] {
        let creator = session("creator", json!({})).await;
        creator
            .fault(json!([{ "path": "/user", "status": 503, "retry_after": value }]))
            .await;
        let started = now();
        creator.client().user().await.unwrap();
        let waited = now() - started;
        // The backoff's first wait is at most 300 ms: a wait of about 1 s is Retry-After's.
        assert!(waited >= 900.0, "{value:?}: waited only {waited} ms");
        assert_eq!(creator.count("GET /user").await, 2, "{value:?}");
    }
}

#[wasm_bindgen_test]
async fn a_304_is_an_error_answer_not_a_redirect() {
    let not_modified = js_fn("() => Promise.resolve(new Response(null, { status: 304 }))");
    let fake = FakeFetch::install(move |_, _| {
        not_modified
            .unchecked_ref::<js_sys::Function>()
            .call0(&JsValue::UNDEFINED)
            .unwrap()
    });
    let error = client_with(CANARY, |b| b.max_retries(0))
        .user()
        .await
        .unwrap_err();
    drop(fake);
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Http, Some(304)),
        "{error}"
    );
    assert!(!error.message().contains("redirect"), "{error}");
}

#[wasm_bindgen_test]
async fn a_304_from_the_api_is_an_error_answer() {
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 304 }]))
        .await;
    let error = creator.client().user().await.unwrap_err();
    assert_eq!(
        (error.kind(), error.status()),
        (ErrorKind::Http, Some(304)),
        "{error}"
    );
    assert!(!error.message().contains("redirect"), "{error}");
    assert_eq!(creator.count("GET /user").await, 1, "not retried");
}

#[wasm_bindgen_test]
async fn answers_the_api_marks_cacheable_are_never_served_from_the_cache() {
    // A browser keeps an answer with `Cache-Control: max-age` and serves the next request from
    // it, unless the request says `no-store`: the second call must reach the API, and an
    // export's polls must too, when the "not ready" 404 says it may be kept ten minutes.
    let creator = session("creator", json!({ "export_delay_ms": 1500 })).await;
    let cacheable = json!({ "Cache-Control": "max-age=600" });
    creator
        .fault(json!([
            { "path": "/user", "times": 2, "headers": cacheable },
            { "path": "/file/link", "times": 20, "status": 404, "headers": cacheable },
        ]))
        .await;
    let client = creator.client();
    client.user().await.unwrap();
    client.user().await.unwrap();
    assert_eq!(creator.count("GET /user").await, 2);
    let outcome = client
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(250))
        .timeout(Duration::from_millis(2500))
        .await;
    assert_eq!(outcome.unwrap_err().kind(), ErrorKind::ExportTimeout);
    let polls = creator.count("GET /file/link").await;
    assert!(polls >= 4, "only {polls} polls reached the API");
}

#[wasm_bindgen_test]
fn a_record_with_a_byte_order_mark_parses_as_get_user_reads_it() {
    let with_bom = format!("\u{feff}{SAMPLE}");
    let parsed = parse_user(JsValue::from_str(&with_bom)).unwrap();
    let plain = parse_user(JsValue::from_str(SAMPLE)).unwrap();
    assert_eq!(stringify(&parsed), stringify(&plain));
}

#[wasm_bindgen_test]
async fn polls_have_a_floor_and_grow() {
    let creator = session("creator", json!({ "export_delay_ms": 60_000 })).await;
    let error = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(1))
        .timeout(Duration::from_millis(2_000))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ExportTimeout);
    // 250 ms, then 375, 562, 843 …: a handful of polls in 2 s, not hundreds.
    let polls = creator.count("GET /file/link").await;
    assert!((3..=10).contains(&polls), "{polls} polls in 2 s");
}

#[wasm_bindgen_test]
async fn an_export_polls_once_more_before_giving_up() {
    // Ready after 1 s; polls at 0 and 0.8 s; the next wait (1.2 s) would pass the 1.6 s
    // limit, so the last poll comes at 1.1 s, and finds the file.
    let creator = session("creator", json!({ "export_delay_ms": 1_000 })).await;
    let csv = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(800))
        .timeout(Duration::from_millis(1_600))
        .await
        .unwrap();
    assert!(csv.contains('@'));
    assert_eq!(creator.count("GET /file/link").await, 3);
}

#[wasm_bindgen_test]
async fn deadlines_and_elapsed_times_ignore_wall_clock_jumps() {
    // The file is ready after 2 s. Polls wait 250, 375, 562 and 843 ms (the schedule grows
    // while the export's deadline, 20 s away, leaves room): 4 or 5 polls. Were the time left
    // measured on the wall clock, the jump would leave none, and polls would come at the
    // 250 ms floor: 8 or more.
    let creator = session("creator", json!({ "export_delay_ms": 2000 })).await;
    let jump: Rc<RefCell<Option<WallClockJump>>> = Rc::default();
    let elapsed = Rc::new(RefCell::new(Vec::new()));
    let outcome = creator
        .client()
        .export_csv(ExportKind::Emails)
        .poll_interval(Duration::from_millis(250))
        .timeout(Duration::from_millis(20_000))
        .on_progress({
            let (jump, elapsed) = (jump.clone(), elapsed.clone());
            move |p| {
                elapsed.borrow_mut().push(p.elapsed_ms);
                // The wall clock jumps an hour ahead once the export has started.
                jump.borrow_mut()
                    .get_or_insert_with(|| WallClockJump::ahead(3_600_000.0));
            }
        })
        .await;
    drop(jump.borrow_mut().take());
    assert!(outcome.is_ok(), "{outcome:?}");
    let elapsed = elapsed.borrow().clone();
    assert!(elapsed.len() >= 3, "{elapsed:?}");
    assert!(
        elapsed.iter().all(|&ms| ms < 10_000),
        "elapsed times followed the wall clock: {elapsed:?}"
    );
    let polls = creator.count("GET /file/link").await;
    assert!(
        (3..=6).contains(&polls),
        "{polls} polls: the schedule followed the wall clock"
    );
}

#[wasm_bindgen_test]
async fn a_dropped_call_leaves_no_timer_behind() {
    // Every runtime: timers counted as the module sets and clears them (`setTimeout` replaced
    // by a counting one); Node also shows them itself (a pending one keeps a process running).
    let timers = TimerCount::install();
    let creator = session("creator", json!({})).await;
    creator
        .fault(json!([{ "path": "/user", "status": 503, "retry_after": "5" }]))
        .await;
    let client = creator.client();
    let mut call = std::future::IntoFuture::into_future(client.user());
    let mut pause = Box::pin(sleep(500));
    // Runs the call until it waits out Retry-After, then stops polling it.
    std::future::poll_fn(|cx| {
        assert!(call.as_mut().poll(cx).is_pending(), "the call ended");
        pause.as_mut().poll(cx)
    })
    .await;
    let (waiting, node_waiting) = (timers.active(), node_timers());
    drop(call);
    let (after, node_after) = (timers.active(), node_timers());
    drop(timers);
    // The call's deadline and its Retry-After wait are both gone.
    assert!(
        waiting >= 2 && after == waiting - 2,
        "{waiting} timers while waiting, {after} after the drop"
    );
    if let (Some(waiting), Some(after)) = (node_waiting, node_after) {
        assert!(
            waiting >= after + 2,
            "Node: {waiting} timers while waiting, {after} after"
        );
    }
}

#[wasm_bindgen(inline_js = "
export function countTimers() {
  const set = globalThis.setTimeout, clear = globalThis.clearTimeout;
  const active = new Set();
  globalThis.setTimeout = (handler, ms, ...rest) => {
    const id = set((...args) => { active.delete(id); handler(...args); }, ms, ...rest);
    active.add(id);
    return id;
  };
  globalThis.clearTimeout = (id) => { active.delete(id); clear(id); };
  return { active: () => active.size, restore: () => { globalThis.setTimeout = set; globalThis.clearTimeout = clear; } };
}")]
extern "C" {
    #[wasm_bindgen(js_name = countTimers)]
    fn count_timers() -> JsValue;
}

/// `setTimeout` and `clearTimeout` replaced by ones that count the timers pending, until dropped.
struct TimerCount(JsValue);

impl TimerCount {
    fn install() -> Self {
        TimerCount(count_timers())
    }

    fn active(&self) -> u32 {
        let active: js_sys::Function = Reflect::get(&self.0, &"active".into())
            .unwrap()
            .unchecked_into();
        active.call0(&JsValue::UNDEFINED).unwrap().as_f64().unwrap() as u32
    }
}

impl Drop for TimerCount {
    fn drop(&mut self) {
        let restore: js_sys::Function = Reflect::get(&self.0, &"restore".into())
            .unwrap()
            .unchecked_into();
        restore.call0(&JsValue::UNDEFINED).unwrap();
    }
}

#[wasm_bindgen_test]
async fn a_dropped_call_aborts_its_fetch() {
    // A replaced fetch that never answers and keeps the signal it was handed.
    let signals: Rc<RefCell<Vec<web_sys::AbortSignal>>> = Rc::default();
    let fake = FakeFetch::install({
        let signals = signals.clone();
        move |_request, init| {
            let signal = Reflect::get(&init, &"signal".into()).unwrap();
            signals.borrow_mut().push(signal.unchecked_into());
            Promise::new(&mut |_, _| {}).into()
        }
    });
    let client = client_with(CANARY, |b| b.base_url(SANDBOX));
    let mut call = std::future::IntoFuture::into_future(client.user());
    let mut pause = Box::pin(sleep(100));
    std::future::poll_fn(|cx| {
        assert!(call.as_mut().poll(cx).is_pending(), "the call ended");
        pause.as_mut().poll(cx)
    })
    .await;
    let sent = signals.borrow().first().cloned();
    let aborted_before = sent.as_ref().map(|s| s.aborted());
    drop(call);
    drop(fake);
    assert_eq!(
        aborted_before,
        Some(false),
        "positive control: fetch was called, not yet aborted"
    );
    assert!(
        sent.unwrap().aborted(),
        "dropping the call left its fetch running"
    );
}
