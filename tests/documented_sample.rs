//! The documented sample record (`tests/fixtures/user.sample.json`, copied from the API's docs)
//! through the crate's serde derives: every value as documented, and back to the same JSON. A
//! native test beside the crate, not in it: the packaged crate ships `src/` only.
#![cfg(not(target_arch = "wasm32"))]

use access_creator_api::{OwnedPool, User};

const SAMPLE: &str = include_str!("../tests/fixtures/user.sample.json");

#[test]
fn documented_sample_parses_to_its_values() {
    let user: User = serde_json::from_str(SAMPLE).unwrap();
    let pool = OwnedPool {
        pubkey: "2hQSDVwJLbtwHzi3CKj8pmiQzLyfKZs5ZDhT1QZdHXv3".into(),
        name: "Telegram".into(),
        benefits: "".into(),
        description: "Telegram test pool".into(),
        website: "https://accessprotocol.co".into(),
        email: "ladi@accessprotocol.co".into(),
        logo_image_url:
            "https://ap-staging.fra1.digitaloceanspaces.com/d8760345-fdf1-11ed-bd11-8e0f9ac77f3d"
                .into(),
        hero_image_url:
            "https://ap-staging.fra1.digitaloceanspaces.com/d87bf5d3-fdf1-11ed-bd11-8e0f9ac77f3d"
                .into(),
        profile_image_url:
            "https://ap-staging.fra1.digitaloceanspaces.com/d8677cc6-fdf1-11ed-bd11-8e0f9ac77f3d"
                .into(),
        user_pubkey: "7Q34nmDP1srbYSQJH5b43heZpPtsssiRZa17hLnx5Gqx".into(),
        collect_emails: false,
        display_fe: true,
        created_at: "2023-05-29T09:24:27.966677+02:00".into(),
        updated_at: "2023-05-29T09:24:27.969427+02:00".into(),
    };
    let expected = User {
        enabled_email_auto_subs: false,
        pubkey: "7Q34nmDP1srbYSQJH5b43heZpPtsssiRZa17hLnx5Gqx".into(),
        role: "admin".into(),
        owned_pool: Some(pool),
        username: "7Q34...5Gqx".into(),
        created_at: "2023-05-29T09:22:52.411033+02:00".into(),
        updated_at: "2023-05-29T09:22:52.411033+02:00".into(),
    };
    assert_eq!(user, expected);
}

#[test]
fn serializes_back_to_the_documented_wire_names() {
    let user: User = serde_json::from_str(SAMPLE).unwrap();
    let again: serde_json::Value = serde_json::to_value(&user).unwrap();
    let documented: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    assert_eq!(again, documented);
}

#[test]
fn unknown_fields_are_ignored() {
    let mut value: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    value["Shiny"] = serde_json::json!({"new": [1, 2, 3]});
    value["OwnedPool"]["Tier"] = serde_json::json!(7);
    let user: User = serde_json::from_value(value).unwrap();
    assert_eq!(user.username, "7Q34...5Gqx");
    assert_eq!(user.owned_pool.unwrap().name, "Telegram");
}
