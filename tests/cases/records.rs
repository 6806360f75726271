//! Records as JS sees them: `parseUser` keeps every documented field in order, fills missing and
//! `null` ones, drops unknown ones, refuses wrong types.

use super::*;

/// `parseUser(doc)` as JSON text, or the kind of the error it threw.
fn parse_user_json(doc: &str) -> Result<String, String> {
    parse_user(doc.into())
        .map(|user| stringify(&user))
        .map_err(|thrown| js_error_fields(&thrown).1)
}

#[wasm_bindgen_test]
fn records_keep_every_documented_field_value_and_order() {
    // The documented sample comes back as the very same JSON text: every field, its value,
    // the documented order.
    assert_eq!(parse_user_json(SAMPLE).unwrap(), SAMPLE.trim());
}

#[wasm_bindgen_test]
fn records_fill_missing_and_null_fields_and_drop_unknown_ones() {
    let empty_pool: Value = serde_json::from_str(SAMPLE).unwrap();
    let user_names: Vec<String> = empty_pool.as_object().unwrap().keys().cloned().collect();
    let pool_names: Vec<String> = empty_pool["OwnedPool"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let names = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };

    for doc in ["{}", r#"{"OwnedPool": null}"#] {
        let user: Value = serde_json::from_str(&parse_user_json(doc).unwrap()).unwrap();
        let mut sorted = names(&user);
        sorted.sort();
        let mut expected = user_names.clone();
        expected.sort();
        assert_eq!(sorted, expected, "{doc}");
        assert_eq!(user["OwnedPool"], Value::Null, "{doc}: no pool is null");
        assert_eq!(user["Pubkey"], json!(""), "{doc}");
        assert_eq!(user["EnabledEmailAutoSubs"], json!(false), "{doc}");
    }

    let doc = json!({
        "Username": null,
        "EnabledEmailAutoSubs": null,
        "Shiny": {"new": [1, 2]},
        "OwnedPool": {"Name": "Solo", "DisplayFE": null, "CollectEmails": true, "Tier": 3.5},
    })
    .to_string();
    let user: Value = serde_json::from_str(&parse_user_json(&doc).unwrap()).unwrap();
    assert_eq!(user["Username"], json!(""));
    assert_eq!(user["EnabledEmailAutoSubs"], json!(false));
    assert_eq!(names(&user), user_names, "unknown fields are dropped");
    assert_eq!(names(&user["OwnedPool"]), pool_names);
    assert_eq!(user["OwnedPool"]["Name"], json!("Solo"));
    assert_eq!(user["OwnedPool"]["DisplayFE"], json!(false));
    assert_eq!(user["OwnedPool"]["CollectEmails"], json!(true));
    assert_eq!(user["OwnedPool"]["Website"], json!(""));
}

#[wasm_bindgen_test]
fn wrong_types_and_arrays_are_invalid_responses() {
    for doc in [
        r#"{"Pubkey": 5}"#,
        r#"{"Pubkey": 5.25}"#,
        r#"{"Role": {}}"#,
        r#"{"CreatedAt": true}"#,
        r#"{"EnabledEmailAutoSubs": "yes"}"#,
        r#"{"EnabledEmailAutoSubs": 1}"#,
        r#"{"OwnedPool": "none"}"#,
        r#"{"OwnedPool": 0}"#,
        r#"{"OwnedPool": true}"#,
        r#"{"OwnedPool": []}"#,
        r#"{"OwnedPool": [{"Name": "x"}]}"#,
        r#"{"OwnedPool": {"Name": ["a"]}}"#,
        r#"{"OwnedPool": {"DisplayFE": "true"}}"#,
        "[]",
        "[{}]",
        "null",
        "\"user\"",
        "1",
        "true",
        "<html></html>",
        "",
    ] {
        assert_eq!(
            parse_user_json(doc).unwrap_err(),
            "invalid_response",
            "{doc}"
        );
    }
    assert_eq!(
        parse_user(JsValue::from(5)).map_err(|e| js_error_fields(&e).1),
        Err("invalid_argument".to_owned())
    );
}
