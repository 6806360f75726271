//! The eleven endpoints beside `/user` and the exports: each call's answer against the sandbox
//! (through both APIs), amounts beyond 2^53 exact against the body's own digits, public calls
//! that never carry `Authorization`, keyless clients that refuse keyed calls, and path arguments
//! refused before anything is sent.

use std::collections::BTreeMap;

use access_creator_api::{Pool, PoolDetails, Supply, STATS_KINDS};

use super::*;

/// What every request the client sent carried as `Authorization` (`None`: no header), while
/// it lives; the requests still go to the real `fetch`.
/// Each request's URL and `Authorization`.
type Seen = Vec<(String, Option<String>)>;

struct Recorder {
    seen: Rc<RefCell<Seen>>,
    _fake: FakeFetch,
}

impl Recorder {
    fn install() -> Self {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let log = seen.clone();
        let original: js_sys::Function = Reflect::get(&js_sys::global(), &"fetch".into())
            .unwrap()
            .unchecked_into();
        let fake = FakeFetch::install(move |request, init| {
            // The client's requests are `Request`s; the harness's own control calls are URLs.
            if let Some(request) = request.dyn_ref::<web_sys::Request>() {
                let auth = request.headers().get("authorization").unwrap();
                log.borrow_mut().push((request.url(), auth));
            }
            original
                .call2(&JsValue::UNDEFINED, &request, &init)
                .unwrap()
        });
        Recorder { seen, _fake: fake }
    }

    fn requests(&self) -> Seen {
        self.seen.borrow().clone()
    }
}

/// The base URL of `session` for keyless calls: its faults and counts apply to them.
fn session_base(session: &Session) -> String {
    format!("{SANDBOX}/__sandbox/s/{}", session.id)
}

fn keyless(base: &str) -> AccessClient {
    let options = js_sys::Object::new();
    Reflect::set(&options, &"baseUrl".into(), &base.into()).unwrap();
    AccessClient::new(JsValue::UNDEFINED, options.into()).unwrap()
}

async fn settle(promise: Promise) -> Result<JsValue, (String, String)> {
    JsFuture::from(promise).await.map_err(|e| {
        let (_, kind, _, shown) = js_error_fields(&e);
        (kind, shown)
    })
}

async fn raw_text(url: &str) -> String {
    let init = RequestInit::new();
    let response: web_sys::Response = JsFuture::from(control_fetch(url, &init))
        .await
        .unwrap()
        .unchecked_into();
    JsFuture::from(response.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap()
}

/// The `"key":digits` pairs of a flat JSON object's text, as written.
fn integer_pairs(text: &str) -> Vec<(String, String)> {
    text.trim_matches(|c| c == '{' || c == '}')
        .split(',')
        .filter_map(|pair| {
            let (key, value) = pair.split_once(':')?;
            Some((
                key.trim().trim_matches('"').to_owned(),
                value.trim().to_owned(),
            ))
        })
        .collect()
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap()
}

/// The wallet of a sandbox account, from its `/user`.
async fn wallet(session: &Session) -> (String, Option<String>) {
    let user = session.client().user().await.unwrap();
    (user.pubkey, user.owned_pool.map(|pool| pool.pubkey))
}

#[wasm_bindgen_test]
async fn public_calls_work_without_a_key_and_never_send_one() {
    let creator = session("creator", json!({})).await;
    let (_, pool) = wallet(&creator).await;
    let pool = pool.expect("the creator has a pool");
    let recorder = Recorder::install();
    let without = keyless(SANDBOX);
    let with = js_client(&creator.key);
    assert!(!without.has_key());
    assert!(with.has_key());
    for client in [&without, &with] {
        let calls: Vec<(&str, Promise)> = vec![
            ("getPools", client.get_pools(JsValue::UNDEFINED)),
            (
                "getFeaturedPools",
                client.get_featured_pools(JsValue::UNDEFINED),
            ),
            (
                "getPoolUserCounts",
                client.get_pool_user_counts(JsValue::UNDEFINED),
            ),
            (
                "getPoolLockedAmounts",
                client.get_pool_locked_amounts(JsValue::UNDEFINED),
            ),
            (
                "getPoolRewards",
                client.get_pool_rewards(JsValue::UNDEFINED),
            ),
            (
                "getPool",
                client.get_pool(pool.clone().into(), JsValue::UNDEFINED),
            ),
            (
                "getTokenSupply",
                client.get_token_supply("total".into(), JsValue::UNDEFINED),
            ),
            (
                "getTokenSupply",
                client.get_token_supply("circulating".into(), JsValue::UNDEFINED),
            ),
            (
                "get",
                client.get("/pools/user_count".into(), JsValue::UNDEFINED),
            ),
        ];
        for (name, call) in calls {
            let value = settle(call)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(!value.is_undefined() && !value.is_null(), "{name}");
        }
        for kind in STATS_KINDS {
            let stats = settle(client.get_stats(kind.into(), JsValue::UNDEFINED))
                .await
                .unwrap_or_else(|e| panic!("getStats({kind}): {e:?}"));
            assert_eq!(
                js_sys::Array::from(&get(&stats, "Vals")).length(),
                30,
                "{kind}"
            );
        }
    }
    let requests = recorder.requests();
    assert_eq!(requests.len(), 2 * (9 + STATS_KINDS.len()));
    for (url, auth) in &requests {
        // `assert!`, not `assert_eq!`: a failure must not print the header it found.
        assert!(auth.is_none(), "{url} carried an Authorization header");
    }
    // The keyed calls send it, and `get` only when asked.
    let (user_wallet, _) = wallet(&session("user", json!({})).await).await;
    settle(with.get_user_pools(user_wallet.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let options = js_sys::Object::new();
    Reflect::set(&options, &"sendKey".into(), &true.into()).unwrap();
    settle(with.get("/user".into(), options.into()))
        .await
        .unwrap();
    let requests = recorder.requests();
    let bearer = format!("Bearer {}", creator.key);
    for (url, auth) in &requests[requests.len() - 2..] {
        assert!(
            auth.as_deref() == Some(bearer.as_str()),
            "{url} did not carry the key"
        );
    }
}

#[wasm_bindgen_test]
async fn a_keyless_client_refuses_keyed_calls_and_sends_nothing() {
    let user = session("user", json!({})).await;
    let (user_wallet, _) = wallet(&user).await;
    let recorder = Recorder::install();
    let client = keyless(SANDBOX);
    let options = js_sys::Object::new();
    Reflect::set(&options, &"sendKey".into(), &true.into()).unwrap();
    let calls: Vec<(&str, Promise)> = vec![
        ("getUser", client.get_user(JsValue::UNDEFINED)),
        (
            "getUserPools",
            client.get_user_pools(user_wallet.clone().into(), JsValue::UNDEFINED),
        ),
        (
            "getUserForeverPools",
            client.get_user_forever_pools(user_wallet.clone().into(), JsValue::UNDEFINED),
        ),
        (
            "requestExport",
            client.request_export("emails".into(), JsValue::UNDEFINED),
        ),
        (
            "downloadExport",
            client.download_export("abc".into(), JsValue::UNDEFINED),
        ),
        (
            "exportCsv",
            client.export_csv("rewards".into(), JsValue::UNDEFINED),
        ),
        ("get sendKey", client.get("/user".into(), options.into())),
    ];
    for (name, call) in calls {
        let (kind, shown) = settle(call).await.expect_err(name);
        assert_eq!(kind, "invalid_key", "{name}: {shown}");
        assert!(shown.contains("needs the API key"), "{name}: {shown}");
    }
    let rust = Client::public_builder().base_url(SANDBOX).build().unwrap();
    assert!(!rust.has_key());
    assert_eq!(rust.user().await.unwrap_err().kind(), ErrorKind::InvalidKey);
    assert_eq!(
        rust.user_pools(&user_wallet).await.unwrap_err().kind(),
        ErrorKind::InvalidKey
    );
    assert_eq!(
        rust.get::<Value>("/user")
            .with_key()
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidKey
    );
    assert_eq!(
        recorder.requests(),
        vec![],
        "a keyed call from a keyless client sent a request"
    );
}

#[wasm_bindgen_test]
async fn amounts_beyond_2_53_are_exact_to_the_unit() {
    sandbox_answers().await;
    const SAFE: u64 = (1 << 53) - 1;
    let text = raw_text(&format!("{SANDBOX}/pools/locked")).await;
    let pairs = integer_pairs(&text);
    let big: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(_, digits)| digits.parse::<u64>().unwrap() > SAFE)
        .collect();
    assert!(
        big.len() >= 2,
        "the sandbox serves amounts beyond 2^53: {text:.200}"
    );

    let client = keyless(SANDBOX);
    let locked = settle(client.get_pool_locked_amounts(JsValue::UNDEFINED))
        .await
        .unwrap();
    let untyped = settle(client.get("/pools/locked".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let rust: BTreeMap<String, u64> = Client::public_builder()
        .base_url(SANDBOX)
        .build()
        .unwrap()
        .pool_locked_amounts()
        .await
        .unwrap();
    assert_eq!(rust.len(), pairs.len());
    for (address, digits) in &pairs {
        for value in [get(&locked, address), get(&untyped, address)] {
            if digits.parse::<u64>().unwrap() > SAFE || value.is_bigint() {
                assert!(value.is_bigint(), "{address}: {value:?}");
                assert_eq!(
                    String::from(js_sys::BigInt::from(value.clone()).to_string(10).unwrap()),
                    *digits
                );
            } else {
                assert_eq!(
                    value.as_f64(),
                    Some(digits.parse::<f64>().unwrap()),
                    "{address}"
                );
            }
        }
        // The typed call gives a bigint for every amount, small ones too.
        assert!(get(&locked, address).is_bigint(), "{address}");
        assert_eq!(rust[address].to_string(), *digits);
    }

    // A list's amounts too: the pools whose TotalStaked is beyond 2^53, as the text has them.
    let pools_text = raw_text(&format!("{SANDBOX}/pools")).await;
    let pools = settle(client.get_pools(JsValue::UNDEFINED)).await.unwrap();
    let pools = js_sys::Array::from(&pools);
    let mut exact = 0;
    for pool in pools.iter() {
        let staked = get(&pool, "TotalStaked");
        let digits = String::from(js_sys::BigInt::from(staked).to_string(10).unwrap());
        assert!(
            pools_text.contains(&format!("\"TotalStaked\":{digits},")),
            "{digits}"
        );
        if digits.parse::<u64>().unwrap() > SAFE {
            exact += 1;
        }
        assert!(get(&pool, "Minimum").is_bigint());
        assert!(get(&pool, "StakersPart").as_f64().is_some());
    }
    assert!(exact >= 2, "pools beyond 2^53: {exact}");
    let typed: Vec<Pool> = Client::public_builder()
        .base_url(SANDBOX)
        .build()
        .unwrap()
        .pools()
        .await
        .unwrap();
    assert_eq!(typed.len() as u32, pools.length());
    assert!(typed.iter().filter(|pool| pool.total_staked > SAFE).count() >= 2);

    // Stats: cumulative stake beyond 2^53, as bigints among what JSON.parse would give.
    let stats = settle(client.get_stats("cumulative_stake".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let vals = js_sys::Array::from(&get(&stats, "Vals"));
    assert!(
        vals.iter().any(|v| v.is_bigint()),
        "cumulative_stake is beyond 2^53"
    );
}

#[wasm_bindgen_test]
async fn each_call_gives_its_documented_record() {
    let creator = session("creator", json!({})).await;
    let user = session("user", json!({})).await;
    let (user_wallet, _) = wallet(&user).await;
    let (_, pool) = wallet(&creator).await;
    let pool = pool.unwrap();
    let client = js_client(&creator.key);

    let pools = js_sys::Array::from(&settle(client.get_pools(JsValue::UNDEFINED)).await.unwrap());
    assert_eq!(pools.length(), 200);
    let first = pools.get(0);
    let names: Vec<String> = js_sys::Object::keys(first.unchecked_ref::<js_sys::Object>())
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(names.len(), 18, "{names:?}");
    assert!(get(&first, "CollectEmails").as_bool().is_some());
    assert!(pools
        .iter()
        .any(|p| get(&p, "Pubkey").as_string().as_deref() == Some(pool.as_str())));

    let featured = js_sys::Array::from(
        &settle(client.get_featured_pools(JsValue::UNDEFINED))
            .await
            .unwrap(),
    );
    assert!(featured.length() > 0);
    assert!(get(&featured.get(0), "LockedScore").as_f64().is_some());

    let counts = settle(client.get_pool_user_counts(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(get(&counts, &pool).as_f64().is_some_and(|n| n > 0.0));

    let rewards = js_sys::Array::from(
        &settle(client.get_pool_rewards(JsValue::UNDEFINED))
            .await
            .unwrap(),
    );
    assert!(get(&rewards.get(0), "Claimed").is_bigint());

    // One pool: the sandbox answers as the docs' sample does, without `Name`: "" here.
    let details = settle(client.get_pool(pool.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(get(&details, "Name").as_string().as_deref(), Some(""));
    let subscriptions = js_sys::Array::from(&get(&details, "EmailSubscriptions"));
    assert!(subscriptions.length() > 0);
    assert!(get(&subscriptions.get(0), "UserPubkey")
        .as_string()
        .is_some());
    let rust_details: PoolDetails = creator.client().pool(&pool).await.unwrap();
    assert_eq!(
        rust_details.email_subscriptions.len() as u32,
        subscriptions.length()
    );

    let total = settle(client.get_token_supply("total".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let text = raw_text(&format!("{SANDBOX}/token/supply/total")).await;
    assert_eq!(total.as_string().unwrap(), text.trim());
    let rust_total = creator
        .client()
        .token_supply(Supply::Circulating)
        .await
        .unwrap();
    assert_eq!(
        rust_total,
        raw_text(&format!("{SANDBOX}/token/supply/circulating"))
            .await
            .trim()
    );

    let stats = settle(client.get_stats("active_users".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    assert!(get(&stats, "UntilDate").as_string().unwrap().contains('T'));
    let rust_stats = creator.client().stats("active_users").await.unwrap();
    assert_eq!(rust_stats.vals.length(), 30);

    let locks = settle(client.get_user_pools(user_wallet.clone().into(), JsValue::UNDEFINED))
        .await
        .unwrap();
    let values = js_sys::Object::values(locks.unchecked_ref());
    assert!(values.length() > 0 && values.iter().all(|v: JsValue| v.is_bigint()));
    let forever: BTreeMap<String, u64> = creator
        .client()
        .user_forever_pools(&user_wallet)
        .await
        .unwrap();
    assert!(!forever.is_empty());
    assert_eq!(creator.count("GET /user/{address}/pools").await, 1);
}

#[wasm_bindgen_test]
async fn bad_path_arguments_are_refused_before_anything_is_sent() {
    let creator = session("creator", json!({})).await;
    let client = js_client(&creator.key);
    let recorder = Recorder::install();
    for bad in [
        "../user",
        "a/b",
        "%2e%2e",
        "",
        "2hgUBN2BH175iB7vkfGEQUbrFf6XH7Lm0Vd95LBMsXrw",
    ] {
        for call in [
            client.get_pool(bad.into(), JsValue::UNDEFINED),
            client.get_user_pools(bad.into(), JsValue::UNDEFINED),
            client.get_user_forever_pools(bad.into(), JsValue::UNDEFINED),
        ] {
            let (kind, shown) = settle(call).await.expect_err(bad);
            assert_eq!(kind, "invalid_argument", "{bad}: {shown}");
        }
    }
    for (name, call) in [
        ("pool 42", client.get_pool(42.into(), JsValue::UNDEFINED)),
        (
            "supply all",
            client.get_token_supply("all".into(), JsValue::UNDEFINED),
        ),
        (
            "supply ../",
            client.get_token_supply("../user".into(), JsValue::UNDEFINED),
        ),
        (
            "stats ../x",
            client.get_stats("../x".into(), JsValue::UNDEFINED),
        ),
        (
            "stats Active",
            client.get_stats("Active".into(), JsValue::UNDEFINED),
        ),
        (
            "stats empty",
            client.get_stats("".into(), JsValue::UNDEFINED),
        ),
        (
            "stats a/b",
            client.get_stats("a/b".into(), JsValue::UNDEFINED),
        ),
        (
            "get //",
            client.get("//evil.example/x".into(), JsValue::UNDEFINED),
        ),
        ("get ..", client.get("/../user".into(), JsValue::UNDEFINED)),
        (
            "get %2e",
            client.get("/a/%2e%2e/user".into(), JsValue::UNDEFINED),
        ),
        (
            "get scheme",
            client.get("https://evil.example/".into(), JsValue::UNDEFINED),
        ),
        (
            "get backslash",
            client.get("/a\\b".into(), JsValue::UNDEFINED),
        ),
        (
            "get relative",
            client.get("pools".into(), JsValue::UNDEFINED),
        ),
        ("get number", client.get(1.into(), JsValue::UNDEFINED)),
    ] {
        let (kind, shown) = settle(call).await.expect_err(name);
        assert_eq!(kind, "invalid_argument", "{name}: {shown}");
    }
    let rust = creator.client();
    assert_eq!(
        rust.pool("../user").await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        rust.stats("a/b").await.unwrap_err().kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        rust.get::<Value>("//evil.example")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidArgument
    );
    assert_eq!(recorder.requests(), vec![]);
}

#[wasm_bindgen_test]
async fn public_calls_are_retried_capped_and_checked_like_get_user() {
    let session = session("creator", json!({})).await;
    let base = session_base(&session);
    let client = keyless(&base);
    // A 503 then the answer: retried, as every GET is.
    session
        .fault(json!([{ "path": "/pools/rewards", "status": 503, "times": 1 }]))
        .await;
    settle(client.get_pool_rewards(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(session.count("GET /pools/rewards").await, 2);
    // An HTML page instead of the supply's text, or of a list: invalid_response.
    session
        .fault(json!([{ "path": "/token/supply/total", "body": "html" }]))
        .await;
    let (kind, _) = settle(client.get_token_supply("total".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(kind, "invalid_response");
    // Plain text that is not a decimal number.
    session
        .fault(json!([{ "path": "/token/supply/circulating", "text": "about 30 billion" }]))
        .await;
    let (kind, _) = settle(client.get_token_supply("circulating".into(), JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(kind, "invalid_response");
    // A wrongly typed amount fails the list; a 401 on a public path is the server's answer.
    session
        .fault(json!([{ "path": "/pools/locked", "text": "{\"a\":-1}" }]))
        .await;
    let (kind, shown) = settle(client.get_pool_locked_amounts(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(kind, "invalid_response", "{shown}");
    session
        .fault(json!([{ "path": "/pools/locked", "text": "{\"a\":1.5}" }]))
        .await;
    let (kind, _) = settle(client.get_pool_locked_amounts(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(kind, "invalid_response");
    // The JSON cap is counted as the body arrives.
    let small = {
        let options = js_sys::Object::new();
        Reflect::set(&options, &"baseUrl".into(), &base.clone().into()).unwrap();
        Reflect::set(&options, &"maxJsonBytes".into(), &1000.into()).unwrap();
        AccessClient::new(JsValue::NULL, options.into()).unwrap()
    };
    let (kind, _) = settle(small.get_pools(JsValue::UNDEFINED))
        .await
        .unwrap_err();
    assert_eq!(kind, "too_large");
    settle(small.get_token_supply("total".into(), JsValue::UNDEFINED))
        .await
        .unwrap();
}
