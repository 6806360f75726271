//! The pool, token and stats endpoints: shapes as documented, public paths without a key, the
//! user-pools paths with one, exact amounts beyond 2^53, determinism, `--pools N`.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{allow_origin, Sandbox};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const TWO_POW_53: u64 = 1 << 53;
const CREATOR_POOL: &str = "Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f";
const USER_WALLET: &str = "AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv";
const CREATOR_WALLET: &str = "6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi";
const STATS_KINDS: [&str; 7] = [
    "postitive_stake",
    "active_users",
    "cumulative_stake",
    "locked_users",
    "locked_delta",
    "total_creators",
    "subscription",
];

/// The fields of the documented samples (`samples/*.json` beside the API document).
const POOL_ITEM_FIELDS: &[&str] = &[
    "Pubkey",
    "Name",
    "Benefits",
    "Website",
    "Email",
    "LogoImageURL",
    "HeroImageURL",
    "ProfileImageURL",
    "UserPubkey",
    "CollectEmails",
    "DisplayFE",
    "CategoryName",
    "CreatedAt",
    "UpdatedAt",
    "Minimum",
    "TotalStaked",
    "StakersPart",
];
const FEATURED_FIELDS: &[&str] = &[
    "Pool",
    "LockedScore",
    "UsersScore",
    "WeeklyLockedScore",
    "WeeklyUsersScore",
    "WeeklyLockedGrowthScore",
    "WeeklyUserGrowthScore",
    "FeaturedPoolsFixedPosition",
    "RandomnessOffset",
];
const POOL_DETAILS_FIELDS: &[&str] = &[
    "Pubkey",
    "Website",
    "Email",
    "LogoImageURL",
    "HeroImageURL",
    "ProfileImageURL",
    "UserPubkey",
    "EmailSubscriptions",
    "FeaturedPoolsFixedPosition",
    "CollectEmails",
    "DisplayFE",
    "CategoryName",
    "Motivation",
    "Showcases",
    "CreatedAt",
    "UpdatedAt",
];
const SUBSCRIPTION_FIELDS: &[&str] = &["UserPubkey", "PoolPubkey", "CreatedAt", "UpdatedAt"];

/// Every public path (the documented examples send no key).
fn public_paths() -> Vec<String> {
    let mut paths: Vec<String> = [
        "/pools",
        "/pools/featured",
        "/pools/user_count",
        "/pools/locked",
        "/pools/rewards",
        "/token/supply/total",
        "/token/supply/circulating",
    ]
    .map(str::to_owned)
    .to_vec();
    paths.push(format!("/pool/{CREATOR_POOL}"));
    paths.extend(STATS_KINDS.map(|kind| format!("/stats/{kind}")));
    paths
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

fn is_address(text: &str) -> bool {
    const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    (32..=44).contains(&text.len()) && text.chars().all(|c| BASE58.contains(c))
}

fn is_date(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| OffsetDateTime::parse(text, &Rfc3339).is_ok())
}

/// Status, content type and body text of `GET path`.
async fn fetch(sandbox: &Sandbox, path: &str, key: Option<&str>) -> (u16, String, String) {
    let response = sandbox.get(path, key).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn json(sandbox: &Sandbox, path: &str) -> Value {
    let (status, content_type, body) = fetch(sandbox, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    assert_eq!(content_type, "application/json", "{path}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An amount: a JSON integer that fits a `u64` (never a float).
fn amount(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("not an integer amount: {value}"))
}

#[tokio::test]
async fn public_paths_answer_without_a_key_and_the_same_with_one() {
    let sandbox = Sandbox::start();
    let (key, _) = sandbox.session("creator", serde_json::json!({})).await;
    for path in public_paths() {
        let response = sandbox.get(&path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(allow_origin(&response).as_deref(), Some("*"), "{path}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        let keyless = response.text().await.unwrap();
        for key in [sandbox.key("user"), key.as_str()] {
            let (status, _, keyed) = fetch(&sandbox, &path, Some(key)).await;
            assert_eq!(status, 200, "{path} with a key");
            assert_eq!(keyed, keyless, "{path}: the key changes nothing");
        }
        // A key that is no key does not matter either: public paths never look at it.
        let (status, _, _) = fetch(&sandbox, &path, Some("not-a-key")).await;
        assert_eq!(status, 200, "{path} with a wrong key");
    }
    // The preflight of a keyed call names Authorization, as for /user.
    let response = sandbox
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/user/{USER_WALLET}/pools", sandbox.api),
        )
        .header("origin", "https://app.example.com")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(allow_origin(&response).as_deref(), Some("*"));
}

#[tokio::test]
async fn lists_have_the_documented_shapes() {
    let sandbox = Sandbox::start();
    let pools = json(&sandbox, "/pools").await;
    let pools = pools.as_array().expect("an array");
    assert_eq!(pools.len(), 200, "the default universe");
    let mut without_description = 0;
    let mut addresses = BTreeSet::new();
    for pool in pools {
        let mut fields = keys(pool);
        if !fields.remove("Description") {
            without_description += 1;
        }
        assert_eq!(fields, set(POOL_ITEM_FIELDS), "{pool}");
        for name in ["Pubkey", "UserPubkey"] {
            assert!(is_address(pool[name].as_str().unwrap()), "{pool}");
        }
        for name in ["CreatedAt", "UpdatedAt"] {
            assert!(is_date(&pool[name]), "{pool}");
        }
        for name in ["CollectEmails", "DisplayFE"] {
            assert!(pool[name].is_boolean());
        }
        for name in ["Name", "Benefits", "Website", "Email", "CategoryName"] {
            assert!(pool[name].is_string());
        }
        assert!(amount(&pool["Minimum"]) >= 100_000_000);
        assert!(amount(&pool["TotalStaked"]) > 0);
        assert!((1..=100).contains(&amount(&pool["StakersPart"])));
        addresses.insert(pool["Pubkey"].as_str().unwrap().to_owned());
    }
    assert_eq!(addresses.len(), 200, "distinct addresses");
    assert!(
        (1..200).contains(&without_description),
        "some pools leave Description out, as the sample does"
    );

    let featured = json(&sandbox, "/pools/featured").await;
    let featured = featured.as_array().unwrap();
    assert!(featured.len() > 100 && featured.len() <= 200);
    for item in featured {
        assert_eq!(keys(item), set(FEATURED_FIELDS), "{item}");
        assert!(addresses.contains(item["Pool"].as_str().unwrap()));
        for name in &FEATURED_FIELDS[1..] {
            amount(&item[*name]);
        }
    }
    let positions: Vec<u64> = featured
        .iter()
        .map(|item| amount(&item["FeaturedPoolsFixedPosition"]))
        .take(4)
        .collect();
    assert_eq!(positions, [1, 2, 3, 0], "fixed positions lead");

    for path in ["/pools/user_count", "/pools/locked"] {
        let map = json(&sandbox, path).await;
        let map = map.as_object().unwrap();
        assert_eq!(map.len(), 200, "{path}");
        for (address, value) in map {
            assert!(addresses.contains(address), "{path}: {address}");
            amount(value);
        }
    }
    let rewards = json(&sandbox, "/pools/rewards").await;
    for item in rewards.as_array().unwrap() {
        assert_eq!(keys(item), set(&["Pool", "Total", "Claimed"]));
        assert!(amount(&item["Claimed"]) <= amount(&item["Total"]));
    }

    for (path, documented) in [
        ("/token/supply/total", "86735581885.276672"),
        ("/token/supply/circulating", "30436895695.035919"),
    ] {
        let (status, content_type, body) = fetch(&sandbox, path, None).await;
        assert_eq!(status, 200);
        assert_eq!(content_type, "text/plain; charset=utf-8");
        assert_eq!(body, documented);
    }

    for kind in STATS_KINDS {
        let stats = json(&sandbox, &format!("/stats/{kind}")).await;
        assert_eq!(keys(&stats), set(&["UntilDate", "Vals"]));
        assert_eq!(stats["UntilDate"], "2024-11-30T00:00:00Z");
        let vals = stats["Vals"].as_array().unwrap();
        assert_eq!(vals.len(), 30, "{kind}");
        assert!(vals.iter().all(|v| v.is_i64()), "{kind}: integers");
    }
}

#[tokio::test]
async fn the_creator_pool_is_the_owned_pool_of_the_user_record() {
    let sandbox = Sandbox::start();
    let user: Value = sandbox
        .get("/user", Some(sandbox.key("creator")))
        .await
        .json()
        .await
        .unwrap();
    let owned = &user["OwnedPool"];
    assert_eq!(owned["Pubkey"], CREATOR_POOL);
    let pools = json(&sandbox, "/pools").await;
    let listed = pools
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["Pubkey"] == CREATOR_POOL)
        .expect("the creator's pool is listed");
    for (name, value) in owned.as_object().unwrap() {
        assert_eq!(&listed[name], value, "{name}");
    }
    let user_count = json(&sandbox, "/pools/user_count").await;
    assert_eq!(user_count[CREATOR_POOL], 417);

    let details = json(&sandbox, &format!("/pool/{CREATOR_POOL}")).await;
    assert_eq!(
        keys(&details),
        set(POOL_DETAILS_FIELDS),
        "the sample's fields"
    );
    assert_eq!(details["Pubkey"], "", "as in the documented sample");
    assert_eq!(details["UserPubkey"], CREATOR_WALLET);
    assert_eq!(details["Website"], owned["Website"]);
    let subscriptions = details["EmailSubscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 14);
    for subscription in subscriptions {
        assert_eq!(keys(subscription), set(SUBSCRIPTION_FIELDS));
        assert_eq!(subscription["PoolPubkey"], CREATOR_POOL);
        assert!(is_date(&subscription["CreatedAt"]) && is_date(&subscription["UpdatedAt"]));
    }
    assert!(subscriptions.iter().any(|s| s["UserPubkey"] == USER_WALLET));
}

#[tokio::test]
async fn amounts_beyond_two_pow_53_are_exact_integers_in_the_text() {
    let sandbox = Sandbox::start();
    let (_, _, locked) = fetch(&sandbox, "/pools/locked", None).await;
    // 2^53 + 1, which a JavaScript number reads as 2^53.
    assert!(locked.contains(":9007199254740993,"), "{locked:.200}");
    assert!(locked.contains(":9183426551200007,"));
    let beyond = |text: &str, path: &str| -> usize {
        let value: Value = serde_json::from_str(text).unwrap();
        let mut found = 0;
        let mut stack = vec![&value];
        while let Some(value) = stack.pop() {
            match value {
                Value::Array(items) => stack.extend(items),
                Value::Object(map) => stack.extend(map.values()),
                Value::Number(n) => {
                    assert!(n.is_i64() || n.is_u64(), "{path}: {n} is not an integer");
                    if n.as_u64().is_some_and(|n| n > TWO_POW_53) {
                        assert!(text.contains(&n.as_u64().unwrap().to_string()));
                        found += 1;
                    }
                }
                _ => {}
            }
        }
        found
    };
    assert_eq!(beyond(&locked, "/pools/locked"), 2);
    for (path, at_least) in [
        ("/pools", 2),
        ("/pools/rewards", 2),
        ("/stats/cumulative_stake", 30),
    ] {
        let (_, _, text) = fetch(&sandbox, path, None).await;
        assert!(beyond(&text, path) >= at_least, "{path}");
        assert!(!text.contains("e+") && !text.contains(".0,"), "{path}");
    }
    let delta = json(&sandbox, "/stats/locked_delta").await;
    assert!(
        delta["Vals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v.as_i64() < Some(0)),
        "the daily change is sometimes negative"
    );
}

#[tokio::test]
async fn answers_are_deterministic() {
    let first = Sandbox::start();
    let second = Sandbox::start();
    let mut paths = public_paths();
    paths.push(format!("/user/{USER_WALLET}/pools"));
    paths.push(format!("/user/{USER_WALLET}/pools/forever"));
    for path in paths {
        let key = Some(first.key("user"));
        let (_, _, a) = fetch(&first, &path, key).await;
        let (_, _, again) = fetch(&first, &path, key).await;
        let (_, _, b) = fetch(&second, &path, Some(second.key("user"))).await;
        assert_eq!(a, again, "{path}");
        // Image URLs point at each sandbox's own origin.
        assert_eq!(
            a.replace(&first.api, "API"),
            b.replace(&second.api, "API"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn user_pools_need_the_key() {
    let sandbox = Sandbox::start();
    for tail in ["pools", "pools/forever"] {
        let path = format!("/user/{USER_WALLET}/{tail}");
        let response = sandbox.get(&path, None).await;
        assert_eq!(response.status(), 401, "{path}");
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        assert_eq!(allow_origin(&response).as_deref(), Some("*"));
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"], "unauthorized");
        let (status, _, _) = fetch(&sandbox, &path, Some("not-a-key")).await;
        assert_eq!(status, 401);
        // A bad address without a key is still 401 first.
        let (status, _, _) = fetch(&sandbox, &format!("/user/x/{tail}"), None).await;
        assert_eq!(status, 401);
    }

    // Any valid key may ask about any wallet (a guess).
    for key in [sandbox.key("creator"), sandbox.key("user")] {
        let (status, content_type, text) =
            fetch(&sandbox, &format!("/user/{USER_WALLET}/pools"), Some(key)).await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        let locks: Value = serde_json::from_str(&text).unwrap();
        let locks = locks.as_object().unwrap();
        assert_eq!(locks.len(), 4, "{text}");
        assert_eq!(locks[CREATOR_POOL], 25_000_000_000u64);
        assert!(locks.values().any(|v| v == 0), "a zero, as in the sample");
        assert!(locks.keys().all(|a| is_address(a)));
    }
    let forever: Value = sandbox
        .get(
            &format!("/user/{USER_WALLET}/pools/forever"),
            Some(sandbox.key("user")),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(forever[CREATOR_POOL], 2_200_000_000u64);
    assert_eq!(forever.as_object().unwrap().len(), 3);

    // Another wallet has no locks; a malformed address is 400.
    let key = Some(sandbox.key("user"));
    let (status, _, text) = fetch(
        &sandbox,
        "/user/11111111111111111111111111111111/pools",
        key,
    )
    .await;
    assert_eq!((status, text.as_str()), (200, "{}"));
    for bad in ["x", "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", &"1".repeat(45)] {
        let (status, _, text) = fetch(&sandbox, &format!("/user/{bad}/pools"), key).await;
        assert_eq!(status, 400, "{bad}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["error"], "bad_request");
    }
}

#[tokio::test]
async fn unknown_pools_kinds_and_paths() {
    let sandbox = Sandbox::start();
    let expect = |status: u16, error: &'static str| {
        move |(s, t, body): (u16, String, String)| {
            assert_eq!(s, status, "{body}");
            assert_eq!(t, "application/json");
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["error"], error);
            assert!(body["message"].is_string());
        }
    };
    expect(404, "not_found")(fetch(&sandbox, "/pool/11111111111111111111111111111111", None).await);
    expect(400, "bad_request")(fetch(&sandbox, "/pool/not-an-address", None).await);
    for path in [
        "/stats/positive_stake",
        "/stats/unknown",
        "/token/supply/other",
        "/token/supply",
        "/pools/other",
        "/pool",
    ] {
        expect(404, "not_found")(fetch(&sandbox, path, None).await);
    }
    let response = sandbox.post("/pools", None).await;
    assert_eq!(response.status(), 405);
}

/// `sandbox --pools N`: 1 to 100000; the creator's pool is always there.
#[tokio::test]
async fn the_pools_flag_is_bounded() {
    for (n, expected) in [("1", 1usize), ("100000", 100_000)] {
        let mut args = common::TEST_ARGS.to_vec();
        args.extend(["--pools", n, "--quiet"]);
        let sandbox = Sandbox::start_with(&args);
        let counts = json(&sandbox, "/pools/user_count").await;
        assert_eq!(counts.as_object().unwrap().len(), expected);
        assert_eq!(counts[CREATOR_POOL], 417);
        let details = json(&sandbox, &format!("/pool/{CREATOR_POOL}")).await;
        assert_eq!(details["UserPubkey"], CREATOR_WALLET);
        if expected == 1 {
            let pools = json(&sandbox, "/pools").await;
            assert_eq!(pools[0]["Pubkey"], CREATOR_POOL);
        }
    }
    for bad in ["0", "100001", "-1", "many"] {
        let output = Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .arg(format!("--pools={bad}"))
            .args(["--api-port", "0", "--no-demo"])
            .output()
            .unwrap();
        assert!(!output.status.success(), "--pools {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--pools"), "{stderr}");
    }
}
