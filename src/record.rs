//! Records to and from JS objects, field by field.
//!
//! The API's JSON is parsed by the engine's `JSON.parse`; this module reads the documented
//! fields from the parsed object and builds the plain objects the JS API returns. It does what
//! the serde derives in [`crate::model`] describe (same names, same tolerance: unknown fields
//! ignored, a missing or `null` field empty, a wrongly typed one an error), by hand, because
//! generic serde code costs the wasm module more than half its size.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use crate::error::{self, Error};
use crate::model::{Pool, User};
use crate::options::ExportProgress;

/// Reads the fields of a parsed JSON object.
struct Fields<'a>(&'a JsValue);

impl Fields<'_> {
    /// The field's value, or `None` when missing or `null`.
    fn get(&self, name: &str) -> Option<JsValue> {
        let value = Reflect::get(self.0, &JsValue::from_str(name)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    fn string(&self, name: &str) -> Result<String, Error> {
        match self.get(name) {
            None => Ok(String::new()),
            Some(value) => value.as_string().ok_or_else(wrong_type),
        }
    }

    fn flag(&self, name: &str) -> Result<bool, Error> {
        match self.get(name) {
            None => Ok(false),
            Some(value) => value.as_bool().ok_or_else(wrong_type),
        }
    }
}

fn wrong_type() -> Error {
    error::invalid_response("the user record does not have the documented field types")
}

fn is_object(value: &JsValue) -> bool {
    value.is_object() && !js_sys::Array::is_array(value)
}

/// Decodes `GET /user`'s parsed JSON.
pub(crate) fn user_from_js(value: &JsValue) -> Result<User, Error> {
    if !is_object(value) {
        return Err(error::invalid_response("the answer is not a JSON object"));
    }
    let f = Fields(value);
    let owned_pool = match f.get("OwnedPool") {
        None => None,
        Some(pool) if is_object(&pool) => Some(pool_from_js(&pool)?),
        Some(_) => return Err(wrong_type()),
    };
    Ok(User {
        enabled_email_auto_subs: f.flag("EnabledEmailAutoSubs")?,
        pubkey: f.string("Pubkey")?,
        role: f.string("Role")?,
        owned_pool,
        username: f.string("Username")?,
        created_at: f.string("CreatedAt")?,
        updated_at: f.string("UpdatedAt")?,
    })
}

fn pool_from_js(value: &JsValue) -> Result<Pool, Error> {
    let f = Fields(value);
    Ok(Pool {
        pubkey: f.string("Pubkey")?,
        name: f.string("Name")?,
        benefits: f.string("Benefits")?,
        description: f.string("Description")?,
        website: f.string("Website")?,
        email: f.string("Email")?,
        logo_image_url: f.string("LogoImageURL")?,
        hero_image_url: f.string("HeroImageURL")?,
        profile_image_url: f.string("ProfileImageURL")?,
        user_pubkey: f.string("UserPubkey")?,
        collect_emails: f.flag("CollectEmails")?,
        display_fe: f.flag("DisplayFE")?,
        created_at: f.string("CreatedAt")?,
        updated_at: f.string("UpdatedAt")?,
    })
}

/// The type of a documented field.
#[derive(Clone, Copy)]
enum Type {
    Text,
    Flag,
    Pool,
}

/// `User`'s fields in the documented order.
const USER_FIELDS: [(&str, Type); 7] = [
    ("EnabledEmailAutoSubs", Type::Flag),
    ("Pubkey", Type::Text),
    ("Role", Type::Text),
    ("OwnedPool", Type::Pool),
    ("Username", Type::Text),
    ("CreatedAt", Type::Text),
    ("UpdatedAt", Type::Text),
];

/// `Pool`'s fields in the documented order.
const POOL_FIELDS: [(&str, Type); 14] = [
    ("Pubkey", Type::Text),
    ("Name", Type::Text),
    ("Benefits", Type::Text),
    ("Description", Type::Text),
    ("Website", Type::Text),
    ("Email", Type::Text),
    ("LogoImageURL", Type::Text),
    ("HeroImageURL", Type::Text),
    ("ProfileImageURL", Type::Text),
    ("UserPubkey", Type::Text),
    ("CollectEmails", Type::Flag),
    ("DisplayFE", Type::Flag),
    ("CreatedAt", Type::Text),
    ("UpdatedAt", Type::Text),
];

thread_local! {
    /// The field names as JS strings, made once instead of at every record.
    static NAMES: [Vec<JsValue>; 2] = [
        USER_FIELDS.iter().map(|(name, _)| JsValue::from_str(name)).collect(),
        POOL_FIELDS.iter().map(|(name, _)| JsValue::from_str(name)).collect(),
    ];
}

/// The record the JS API returns: a new plain object with exactly the documented fields, in
/// their order, each the parsed value itself (strings are not copied through wasm memory), a
/// missing or `null` one empty. Agrees with [`user_from_js`] on what is an error.
pub(crate) fn user_object(value: &JsValue) -> Result<JsValue, Error> {
    if !is_object(value) {
        return Err(error::invalid_response("the answer is not a JSON object"));
    }
    NAMES.with(|[user, pool]| object(value, &USER_FIELDS, user, pool))
}

fn object(
    value: &JsValue,
    fields: &[(&str, Type)],
    names: &[JsValue],
    pool_names: &[JsValue],
) -> Result<JsValue, Error> {
    let out = Object::new();
    for ((_, kind), name) in fields.iter().zip(names) {
        let field = Reflect::get(value, name).unwrap_or(JsValue::UNDEFINED);
        let missing = field.is_undefined() || field.is_null();
        let field = match kind {
            Type::Text if missing => JsValue::from_str(""),
            Type::Text if field.is_string() => field,
            Type::Flag if missing => JsValue::FALSE,
            Type::Flag if field.as_bool().is_some() => field,
            Type::Pool if missing => JsValue::NULL,
            Type::Pool if is_object(&field) => {
                object(&field, &POOL_FIELDS, pool_names, pool_names)?
            }
            _ => return Err(wrong_type()),
        };
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&out, name, &field);
    }
    Ok(out.into())
}

/// Builds a plain object field by field.
struct Builder(Object);

impl Builder {
    fn new() -> Self {
        Builder(Object::new())
    }

    fn set(self, name: &str, value: impl Into<JsValue>) -> Self {
        // Setting a data property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(name), &value.into());
        self
    }

    fn build(self) -> JsValue {
        self.0.into()
    }
}

/// `{ kind, phase, attempt, referenceId, elapsedMs }`, as `ExportProgress` in the .d.ts.
pub(crate) fn progress_to_js(progress: &ExportProgress) -> JsValue {
    let reference_id = progress
        .reference_id
        .as_deref()
        .map_or(JsValue::NULL, JsValue::from_str);
    Builder::new()
        .set("kind", progress.kind.as_str())
        .set("phase", progress.phase.as_str())
        .set("attempt", progress.attempt)
        .set("referenceId", reference_id)
        .set("elapsedMs", progress.elapsed_ms as f64)
        .build()
}

/// The hand-written conversions agree with the serde derives, which the native tests check
/// against the documented sample.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    const SAMPLE: &str = include_str!("../tests/fixtures/user.sample.json");

    fn parse(text: &str) -> JsValue {
        js_sys::JSON::parse(text).unwrap()
    }

    fn documents() -> Vec<String> {
        let sample: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        let with = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut doc = sample.clone();
            edit(&mut doc);
            doc.to_string()
        };
        vec![
            SAMPLE.to_owned(),
            with(&|d| d["OwnedPool"] = serde_json::Value::Null),
            with(&|d| {
                d.as_object_mut().unwrap().remove("OwnedPool");
            }),
            with(&|d| {
                d["Username"] = serde_json::Value::Null;
                d["OwnedPool"]["DisplayFE"] = serde_json::Value::Null;
                d.as_object_mut().unwrap().remove("Role");
                d["OwnedPool"].as_object_mut().unwrap().remove("Website");
            }),
            with(&|d| {
                d["NewField"] = serde_json::json!({"nested": [1, 2]});
                d["OwnedPool"]["Extra"] = serde_json::json!(3.5);
            }),
            "{}".to_owned(),
        ]
    }

    #[wasm_bindgen_test]
    fn decoding_agrees_with_the_serde_derives() {
        for doc in documents() {
            let by_serde: User = serde_json::from_str(&doc).unwrap();
            assert_eq!(user_from_js(&parse(&doc)).unwrap(), by_serde, "{doc}");
        }
    }

    #[wasm_bindgen_test]
    fn wrong_types_are_invalid_responses_as_with_serde() {
        for doc in [
            r#"{"Pubkey": 5}"#,
            r#"{"EnabledEmailAutoSubs": "yes"}"#,
            r#"{"OwnedPool": "none"}"#,
            r#"{"OwnedPool": {"Name": ["a"]}}"#,
        ] {
            assert!(serde_json::from_str::<User>(doc).is_err(), "{doc}");
            let error = user_from_js(&parse(doc)).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidResponse, "{doc}");
        }
        for doc in ["[]", "null", "\"user\"", "1"] {
            assert_eq!(
                user_from_js(&parse(doc)).unwrap_err().kind(),
                crate::ErrorKind::InvalidResponse
            );
        }
    }

    #[wasm_bindgen_test]
    fn js_objects_agree_with_the_serde_derives() {
        for doc in documents() {
            let user: User = serde_json::from_str(&doc).unwrap();
            let object = user_object(&parse(&doc)).unwrap();
            let text: String = js_sys::JSON::stringify(&object).unwrap().into();
            // Same fields, same values, same order as the derives write them.
            assert_eq!(text, serde_json::to_string(&user).unwrap(), "{doc}");
        }
        for doc in [
            r#"{"Pubkey": 5}"#,
            r#"{"OwnedPool": {"Name": ["a"]}}"#,
            "[]",
            "null",
        ] {
            let error = user_object(&parse(doc)).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidResponse, "{doc}");
        }
    }
}
