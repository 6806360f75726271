//! The records of the public endpoints (pools, one pool, featured scores, rewards, stats) and
//! the path arguments of every call, checked before anything is sent.
//!
//! Amounts are integers in ACS base units (6 decimals): `u64` here, `bigint` in JavaScript,
//! exact to the unit. The rules of [`crate::model`] hold: a missing or `null` field is its empty
//! value (`""`, `false`, `0`, an empty list), an unknown field is ignored, a wrongly typed one
//! fails the answer.
//!
//! Each record has a field table (`*_FIELDS`) that `src/json.js` shapes the JS API's records
//! from, in one pass over the parsed answer, instead of a round trip through these structs; a
//! test holds every table to its struct's serde names and types.

use serde::{Deserialize, Serialize};

use crate::error::{self, Error};
use crate::model::or_default;

/// A pool as `GET /pools` lists it: the fields of [`crate::OwnedPool`] plus its categories,
/// minimum lock, total locked and the stakers' part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Pool {
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
    /// The creator's website (not checked).
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
    /// Comma-separated categories, e.g. `"NFT,Community"`.
    #[serde(deserialize_with = "or_default")]
    pub category_name: String,
    /// When the pool was created (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub created_at: String,
    /// When the pool was last updated (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub updated_at: String,
    /// The minimum lock, in base units.
    #[serde(deserialize_with = "or_default")]
    pub minimum: u64,
    /// All that is locked in the pool, in base units.
    #[serde(deserialize_with = "or_default")]
    pub total_staked: u64,
    /// The stakers' part (`50` in the docs' sample; presumably percent).
    #[serde(deserialize_with = "or_default")]
    pub stakers_part: u32,
}

/// [`Pool`]'s field table.
pub(crate) const POOL_FIELDS: &str = "Pubkey:s Name:s Benefits:s Description:s Website:s Email:s LogoImageURL:s HeroImageURL:s ProfileImageURL:s UserPubkey:s CollectEmails:b DisplayFE:b CategoryName:s CreatedAt:s UpdatedAt:s Minimum:a TotalStaked:a StakersPart:u";

/// A pool's featured scores, as `GET /pools/featured` lists them (in the featured order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
#[allow(missing_docs)]
pub struct FeaturedPool {
    /// The pool's address (base58).
    #[serde(deserialize_with = "or_default")]
    pub pool: String,
    #[serde(deserialize_with = "or_default")]
    pub locked_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub users_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub weekly_locked_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub weekly_users_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub weekly_locked_growth_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub weekly_user_growth_score: i64,
    #[serde(deserialize_with = "or_default")]
    pub featured_pools_fixed_position: i64,
    #[serde(deserialize_with = "or_default")]
    pub randomness_offset: i64,
}

/// [`FeaturedPool`]'s field table.
pub(crate) const FEATURED_POOL_FIELDS: &str = "Pool:s LockedScore:i UsersScore:i WeeklyLockedScore:i WeeklyUsersScore:i WeeklyLockedGrowthScore:i WeeklyUserGrowthScore:i FeaturedPoolsFixedPosition:i RandomnessOffset:i";

/// A pool's rewards, as `GET /pools/rewards` lists them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PoolRewards {
    /// The pool's address (base58).
    #[serde(deserialize_with = "or_default")]
    pub pool: String,
    /// All rewards, in base units.
    #[serde(deserialize_with = "or_default")]
    pub total: u64,
    /// The rewards claimed, in base units.
    #[serde(deserialize_with = "or_default")]
    pub claimed: u64,
}

/// [`PoolRewards`]' field table.
pub(crate) const POOL_REWARDS_FIELDS: &str = "Pool:s Total:a Claimed:a";

/// One pool, as `GET /pool/{address}` returns it: its metadata and its e-mail subscriptions.
/// The documented sample has `Pubkey: ""` and no `Name`, `Description` or `Benefits`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct PoolDetails {
    /// The pool's address (base58; `""` in the docs' sample).
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
    /// The creator's website (not checked).
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
    /// Who subscribed to the pool's e-mails.
    #[serde(deserialize_with = "or_default")]
    pub email_subscriptions: Vec<EmailSubscription>,
    /// The pool's fixed place among the featured pools.
    #[serde(deserialize_with = "or_default")]
    pub featured_pools_fixed_position: i64,
    /// Whether the pool collects supporters' e-mails.
    #[serde(deserialize_with = "or_default")]
    pub collect_emails: bool,
    /// Whether the pool is displayed on the Hub's front end.
    #[serde(rename = "DisplayFE", deserialize_with = "or_default")]
    pub display_fe: bool,
    /// Comma-separated categories.
    #[serde(deserialize_with = "or_default")]
    pub category_name: String,
    /// The creator's motivation, e.g. `"artist"`.
    #[serde(deserialize_with = "or_default")]
    pub motivation: String,
    /// A URL of the creator's showcases (not checked).
    #[serde(deserialize_with = "or_default")]
    pub showcases: String,
    /// When the pool was created (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub created_at: String,
    /// When the pool was last updated (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub updated_at: String,
}

/// [`PoolDetails`]' field table.
pub(crate) const POOL_DETAILS_FIELDS: &str = "Pubkey:s Name:s Benefits:s Description:s Website:s Email:s LogoImageURL:s HeroImageURL:s ProfileImageURL:s UserPubkey:s EmailSubscriptions:[UserPubkey:s,PoolPubkey:s,CreatedAt:s,UpdatedAt:s] FeaturedPoolsFixedPosition:i CollectEmails:b DisplayFE:b CategoryName:s Motivation:s Showcases:s CreatedAt:s UpdatedAt:s";

/// A supporter's subscription to a pool's e-mails.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailSubscription {
    /// The supporter's wallet (base58).
    #[serde(deserialize_with = "or_default")]
    pub user_pubkey: String,
    /// The pool's address (base58).
    #[serde(deserialize_with = "or_default")]
    pub pool_pubkey: String,
    /// When the subscription was made (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub created_at: String,
    /// When it was last updated (RFC 3339).
    #[serde(deserialize_with = "or_default")]
    pub updated_at: String,
}

/// The past 30 days of one statistic (`GET /stats/{kind}`). The docs do not show the element
/// type of `Vals`, so they are JavaScript values as [`crate::Client::get`] decodes them: what
/// `JSON.parse` gives, with integers beyond ±(2^53 − 1) as `BigInt`s.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The last day covered (RFC 3339).
    pub until_date: String,
    /// One value per day, oldest first.
    pub vals: js_sys::Array,
}

/// [`Stats`]' field table: the date, and the values as decoded (a list the table does not look
/// into).
pub(crate) const STATS_FIELDS: &str = "UntilDate:s Vals:*";

/// Which token supply `GET /token/supply/{which}` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Supply {
    /// All ACS in existence.
    Total,
    /// The ACS in circulation.
    Circulating,
}

impl Supply {
    /// The name in the path and in the JS API: `"total"` or `"circulating"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Supply::Total => "total",
            Supply::Circulating => "circulating",
        }
    }

    pub(crate) fn parse(which: &str) -> Result<Supply, Error> {
        match which {
            "total" => Ok(Supply::Total),
            "circulating" => Ok(Supply::Circulating),
            _ => Err(error::invalid_argument(
                "the token supply must be \"total\" or \"circulating\"",
            )),
        }
    }
}

/// The stats kinds the docs list (the first spelled so in the docs).
pub const STATS_KINDS: [&str; 7] = [
    "postitive_stake",
    "active_users",
    "cumulative_stake",
    "locked_users",
    "locked_delta",
    "total_creators",
    "subscription",
];

/// Whether `address` can be a Solana address: 32 to 44 characters of the base58 alphabet.
/// Nothing else goes into a path, so an address never needs escaping.
pub fn is_address(address: &str) -> bool {
    (32..=44).contains(&address.len())
        && address
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'0' | b'O' | b'I' | b'l'))
}

pub(crate) fn checked_address(address: &str) -> Result<&str, Error> {
    if is_address(address) {
        Ok(address)
    } else {
        Err(error::invalid_argument(
            "an address is 32 to 44 characters of the base58 alphabet",
        ))
    }
}

/// A stats kind: one the docs list, or any other word of 1 to 64 lowercase letters and `_`
/// (for kinds the API may add).
pub(crate) fn checked_stats_kind(kind: &str) -> Result<&str, Error> {
    if (1..=64).contains(&kind.len()) && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
        Ok(kind)
    } else {
        Err(error::invalid_argument(
            "a stats kind is a word of lowercase letters and _ (e.g. \"active_users\")",
        ))
    }
}

/// A path for [`crate::Client::get`]: it starts with one `/`, stays on the base URL (no scheme,
/// no `//`, no backslash, no `.` or `..` segment, written plainly or percent-encoded, no encoded
/// `/` or `\\`), and holds only the characters a URL's path and query may hold (a `%` only
/// before two hex digits; no `#`). Checked byte by byte: core's string searchers and slicing
/// would bring their panic formatting into the module.
pub(crate) fn checked_path(path: &str) -> Result<&str, Error> {
    let bytes = path.as_bytes();
    let shaped = bytes.first() == Some(&b'/') && bytes.get(1) != Some(&b'/') && bytes.len() <= 2048;
    let mut in_query = false;
    // The current segment: its length in decoded characters, and whether all are dots.
    let (mut length, mut dots) = (0usize, true);
    let mut i = 1;
    let mut ok = shaped;
    while ok && i <= bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b'/');
        if !in_query && (b == b'/' || b == b'?') {
            if dots && (length == 1 || length == 2) {
                ok = false;
            }
            (length, dots) = (0, true);
            in_query = b == b'?';
            i += 1;
            continue;
        }
        let mut decoded = b;
        if b == b'%' {
            let hex = |at: usize| bytes.get(at).and_then(|h| (*h as char).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                (Some(high), Some(low)) => decoded = (high * 16 + low) as u8,
                _ => ok = false,
            }
            // An encoded slash or backslash makes a segment the server may split again.
            if decoded == b'/' || decoded == b'\\' {
                ok = false;
            }
            i += 2;
        } else if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b)) {
            ok = false;
        }
        length += 1;
        dots &= decoded == b'.';
        i += 1;
    }
    if ok {
        Ok(path)
    } else {
        Err(error::invalid_argument(
            "a path starts with one /, stays on the base URL (no //, \\, . or .. segment) and has only URL characters",
        ))
    }
}

/// Whether `text` is the token supply's form: a decimal number, digits with an optional
/// fraction (`86735581885.276672`), at most 64 characters.
pub(crate) fn is_decimal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (mut digits, mut dot) = (0, false);
    for &b in bytes {
        match b {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot && digits > 0 => (dot, digits) = (true, 0),
            _ => return false,
        }
    }
    digits > 0 && bytes.len() <= 64
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::Value;

    /// The table of `T`, as `src/json.js` reads it, from `T`'s serde names and the types of its
    /// default's fields; amounts are the `u64` fields named in `amounts`.
    fn table_of<T: Serialize + Default>(amounts: &[&str], unsigned: &[&str]) -> String {
        let Value::Object(fields) = serde_json::to_value(T::default()).unwrap() else {
            panic!("not a struct")
        };
        fields
            .into_iter()
            .map(|(name, value)| {
                let ty = match value {
                    Value::String(_) => "s".to_owned(),
                    Value::Bool(_) => "b".to_owned(),
                    Value::Number(_) if amounts.contains(&name.as_str()) => "a".to_owned(),
                    Value::Number(_) if unsigned.contains(&name.as_str()) => "u".to_owned(),
                    Value::Number(_) => "i".to_owned(),
                    Value::Array(_) => {
                        let inner = sorted(&table_of::<EmailSubscription>(&[], &[]));
                        format!("[{}]", inner.replace(' ', ","))
                    }
                    other => panic!("{name}: {other}"),
                };
                format!("{name}:{ty}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The fields of a table, sorted (serde_json's map sorts the struct's fields).
    fn sorted(table: &str) -> String {
        let mut fields: Vec<&str> = table.split(' ').collect();
        fields.sort_unstable();
        fields.join(" ")
    }

    #[test]
    fn every_field_table_is_its_struct() {
        let sub = sorted(&table_of::<EmailSubscription>(&[], &[])).replace(' ', ",");
        let details = POOL_DETAILS_FIELDS.replace(
            "[UserPubkey:s,PoolPubkey:s,CreatedAt:s,UpdatedAt:s]",
            &format!("[{sub}]"),
        );
        let cases = [
            (
                table_of::<Pool>(&["Minimum", "TotalStaked"], &["StakersPart"]),
                POOL_FIELDS.to_owned(),
            ),
            (
                table_of::<FeaturedPool>(&[], &[]),
                FEATURED_POOL_FIELDS.to_owned(),
            ),
            (
                table_of::<PoolRewards>(&["Total", "Claimed"], &[]),
                POOL_REWARDS_FIELDS.to_owned(),
            ),
            (table_of::<PoolDetails>(&[], &[]), details),
        ];
        for (from_struct, table) in cases {
            assert_eq!(sorted(&from_struct), sorted(&table));
        }
    }

    #[test]
    fn the_documented_samples_decode() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/samples/");
        let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        let pools: Vec<Pool> = serde_json::from_str(&read("pools.json")).unwrap();
        assert_eq!(pools[0].total_staked, 30_939_662_300_000);
        assert_eq!(pools[0].stakers_part, 50);
        let pool: PoolDetails = serde_json::from_str(&read("pool.json")).unwrap();
        assert_eq!(pool.pubkey, "");
        assert_eq!(pool.email_subscriptions.len(), 1);
        let rewards: Vec<PoolRewards> = serde_json::from_str(&read("pools-rewards.json")).unwrap();
        assert_eq!(rewards[0].total, 240_439_918_997_178);
        let featured: Vec<FeaturedPool> =
            serde_json::from_str(&read("pools-featured.json")).unwrap();
        assert_eq!(featured[0].featured_pools_fixed_position, 1);
        assert!(is_decimal(read("token-supply-total.txt").trim_end()));
    }

    #[test]
    fn path_arguments() {
        assert!(is_address("2hgUBN2BH175iB7vkfGEQUbrFf6XH7LmhVd95LBMsXrw"));
        for bad in [
            "",
            "../user",
            "a/b",
            "%2e%2e",
            "2hgUBN2BH175iB7vkfGEQUbrFf6XH7Lm0Vd95LBMsXrw",
        ] {
            assert!(!is_address(bad), "{bad}");
        }
        assert!(checked_stats_kind("active_users").is_ok());
        assert!(checked_stats_kind("new_kind").is_ok());
        for bad in ["", "Active", "a/b", "../x", "%2e", "a-b"] {
            assert!(checked_stats_kind(bad).is_err(), "{bad}");
        }
        for good in [
            "/pools",
            "/stats/active_users?x=1&y=%20",
            "/",
            "/a/b.c/d..e",
        ] {
            assert!(checked_path(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "pools",
            "//evil.example/x",
            "/a\\b",
            "/../user",
            "/a/./b",
            "/a/%2e%2e/b",
            "/a/%2E/b",
            "https://evil.example/",
            "/a#b",
            "/a b",
            "/a%zz",
            "/a%2fb",
            "/é",
        ] {
            assert!(checked_path(bad).is_err(), "{bad}");
        }
        assert!(is_decimal("86735581885.276672"));
        assert!(is_decimal("0"));
        for bad in ["", ".5", "5.", "-1", "1e5", "<html>", "1.2.3", " 1"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }
}
