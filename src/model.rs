//! The API's records, in its own words and wire names.
//!
//! Decoding is tolerant, as the API documents neither which fields may be missing nor whether
//! new ones get added: unknown fields are ignored, and a documented field that is missing or
//! `null` takes its empty value (`""`, `false`, or `None` for [`User::owned_pool`]) instead of
//! failing the whole record; a field of the wrong type (a number where the docs show a string)
//! fails it. Dates are kept as the RFC 3339 text the API sends.
//!
//! These serde derives are the one schema of the records: the Rust API decodes the API's JSON
//! with them (through serde-wasm-bindgen, from the value `JSON.parse` made), and the JS API
//! returns what they serialise.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{self, Error};

/// The key owner's user record, as `GET /user` returns it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct User {
    /// Whether e-mail auto-subscription is enabled.
    #[serde(deserialize_with = "or_default")]
    pub enabled_email_auto_subs: bool,
    /// The user's wallet: a base58 Solana address.
    #[serde(deserialize_with = "or_default")]
    pub pubkey: String,
    /// The user's role, e.g. `"admin"`.
    #[serde(deserialize_with = "or_default")]
    pub role: String,
    /// The creator's pool; `None` for a user without one.
    pub owned_pool: Option<OwnedPool>,
    /// The display name, e.g. `"7Q34...5Gqx"`.
    #[serde(deserialize_with = "or_default")]
    pub username: String,
    /// When the user was created (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub created_at: String,
    /// When the user was last updated (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub updated_at: String,
}

/// A creator's pool and the metadata the Hub shows for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct OwnedPool {
    /// The pool's address (base58).
    #[serde(deserialize_with = "or_default")]
    pub pubkey: String,
    /// The pool's name.
    #[serde(deserialize_with = "or_default")]
    pub name: String,
    /// What supporters get.
    #[serde(deserialize_with = "or_default")]
    pub benefits: String,
    /// The pool's description.
    #[serde(deserialize_with = "or_default")]
    pub description: String,
    /// The creator's website (not checked: render as a link only if it is a safe URL).
    #[serde(deserialize_with = "or_default")]
    pub website: String,
    /// The contact e-mail.
    #[serde(deserialize_with = "or_default")]
    pub email: String,
    /// The logo's URL (not checked).
    #[serde(rename = "LogoImageURL", deserialize_with = "or_default")]
    pub logo_image_url: String,
    /// The hero image's URL (not checked).
    #[serde(rename = "HeroImageURL", deserialize_with = "or_default")]
    pub hero_image_url: String,
    /// The profile image's URL (not checked).
    #[serde(rename = "ProfileImageURL", deserialize_with = "or_default")]
    pub profile_image_url: String,
    /// The owner's wallet (base58).
    #[serde(deserialize_with = "or_default")]
    pub user_pubkey: String,
    /// Whether the pool collects supporters' e-mails.
    #[serde(deserialize_with = "or_default")]
    pub collect_emails: bool,
    /// Whether the pool is displayed on the Hub's front end.
    #[serde(rename = "DisplayFE", deserialize_with = "or_default")]
    pub display_fe: bool,
    /// When the pool was created (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub created_at: String,
    /// When the pool was last updated (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub updated_at: String,
}

/// `null` decodes as the type's empty value.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// The three CSV exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    /// The e-mails of all supporters (`POST /file/emails`).
    Emails,
    /// The supporters report (`POST /file/supporters`).
    Supporters,
    /// The rewards report (`POST /file/rewards`).
    Rewards,
}

impl ExportKind {
    /// Every export, in the order the docs list them.
    pub const ALL: [ExportKind; 3] = [
        ExportKind::Emails,
        ExportKind::Supporters,
        ExportKind::Rewards,
    ];

    /// The name used in the path and by the JS API: `"emails"`, `"supporters"` or `"rewards"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Emails => "emails",
            ExportKind::Supporters => "supporters",
            ExportKind::Rewards => "rewards",
        }
    }
}

impl fmt::Display for ExportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        ExportKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| {
                error::invalid_argument(
                    "the export kind must be \"emails\", \"supporters\" or \"rewards\"",
                )
            })
    }
}

/// The longest export reference id accepted, in characters.
pub const MAX_REFERENCE_ID_LEN: usize = 128;

/// Whether `id` can be an export's reference id: 1 to [`MAX_REFERENCE_ID_LEN`] characters of
/// `A-Z a-z 0-9 - _` (the documented ids are UUIDs). Nothing else can go into the
/// `/file/link/{id}` path, so it never needs escaping and cannot change the path. The sandbox's
/// proxy forwards exactly these ids.
pub fn is_reference_id(id: &str) -> bool {
    (1..=MAX_REFERENCE_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn owned_pool_null_parses() {
        let user: User = serde_json::from_str(
            r#"{"Pubkey":"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin","Role":"user","OwnedPool":null,"Username":"9xQe...VFin"}"#,
        )
        .unwrap();
        assert_eq!(user.owned_pool, None);
        assert_eq!(user.role, "user");
    }

    #[test]
    fn missing_or_null_fields_take_empty_values() {
        let user: User = serde_json::from_str(
            r#"{"Pubkey":null,"Role":"user","OwnedPool":{"Name":"Solo","DisplayFE":null}}"#,
        )
        .unwrap();
        assert_eq!(user.pubkey, "");
        assert_eq!(user.created_at, "");
        let pool = user.owned_pool.unwrap();
        assert_eq!(pool.name, "Solo");
        assert!(!pool.display_fe);
        assert_eq!(serde_json::from_str::<User>("{}").unwrap(), User::default());
    }

    #[test]
    fn export_kinds_round_trip() {
        for kind in ExportKind::ALL {
            assert_eq!(kind.as_str().parse::<ExportKind>().unwrap(), kind);
        }
        assert_eq!(
            "Emails".parse::<ExportKind>().unwrap_err().kind(),
            crate::ErrorKind::InvalidArgument
        );
    }

    use serde_json::{Map, Value};

    /// A field as the API may send it: a value of its documented type, `null`, or left out
    /// (`None`).
    fn field(value: BoxedStrategy<Value>) -> BoxedStrategy<Option<Value>> {
        prop_oneof![
            6 => value.prop_map(Some),
            1 => Just(Some(Value::Null)),
            1 => Just(None),
        ]
        .boxed()
    }

    fn text() -> BoxedStrategy<Value> {
        "\\PC{0,24}".prop_map(Value::from).boxed()
    }

    fn flag() -> BoxedStrategy<Value> {
        any::<bool>().prop_map(Value::from).boxed()
    }

    /// An object of the given fields (each maybe left out), plus fields the docs do not name.
    fn object(fields: Vec<(&'static str, BoxedStrategy<Option<Value>>)>) -> BoxedStrategy<Value> {
        let (names, values): (Vec<_>, Vec<_>) = fields.into_iter().unzip();
        let unknown = proptest::collection::btree_map("X[a-z]{1,6}", text(), 0..3);
        (values, unknown)
            .prop_map(move |(values, unknown)| {
                let mut object: Map<String, Value> = unknown.into_iter().collect();
                for (name, value) in names.iter().zip(values) {
                    if let Some(value) = value {
                        object.insert((*name).to_owned(), value);
                    }
                }
                Value::Object(object)
            })
            .boxed()
    }

    /// A pool record the client accepts: every documented field of its documented type, `null`
    /// or missing, and unknown fields.
    fn pool_record() -> BoxedStrategy<Value> {
        let strings = [
            "Pubkey",
            "Name",
            "Benefits",
            "Description",
            "Website",
            "Email",
            "LogoImageURL",
            "HeroImageURL",
            "ProfileImageURL",
            "UserPubkey",
            "CreatedAt",
            "UpdatedAt",
        ];
        let mut fields: Vec<_> = strings
            .into_iter()
            .map(|name| (name, field(text())))
            .collect();
        fields.push(("CollectEmails", field(flag())));
        fields.push(("DisplayFE", field(flag())));
        object(fields)
    }

    /// A user record the client accepts (see [`pool_record`]).
    fn user_record() -> BoxedStrategy<Value> {
        let mut fields: Vec<_> = ["Pubkey", "Role", "Username", "CreatedAt", "UpdatedAt"]
            .into_iter()
            .map(|name| (name, field(text())))
            .collect();
        fields.push(("EnabledEmailAutoSubs", field(flag())));
        fields.push(("OwnedPool", field(pool_record())));
        object(fields)
    }

    proptest! {
        #[test]
        /// Every accepted record decodes again, from what it serialises to, to the same record:
        /// decoding loses nothing it keeps. The generator writes only records the client
        /// accepts, so every case reaches the assertion (the `prop_assert!` on the first decode
        /// says so if one does not).
        fn any_record_that_decodes_round_trips(record in user_record()) {
            let text = record.to_string();
            let user = serde_json::from_str::<User>(&text);
            prop_assert!(user.is_ok(), "{} was refused", text);
            let user = user.unwrap();
            let again: User = serde_json::from_str(&serde_json::to_string(&user).unwrap()).unwrap();
            prop_assert_eq!(&again, &user);
            // And what was sent is what was kept.
            prop_assert_eq!(
                user.username.as_str(),
                record.get("Username").and_then(Value::as_str).unwrap_or("")
            );
        }

        #[test]
        fn arbitrary_field_values_decode_as_given(
            name in proptest::option::of("\\PC{0,20}"),
            flag in proptest::option::of(any::<bool>()),
            pool_null in any::<bool>(),
        ) {
            let record = serde_json::json!({
                "Username": name, "EnabledEmailAutoSubs": flag,
                "OwnedPool": if pool_null { serde_json::Value::Null } else { serde_json::json!({"Name": name, "CollectEmails": flag}) },
            });
            let user: User = serde_json::from_value(record).unwrap();
            prop_assert_eq!(user.username, name.clone().unwrap_or_default());
            prop_assert_eq!(user.owned_pool.is_none(), pool_null);
        }
    }
}
