//! The sandbox's fixed accounts and their `GET /user` records in the documented wire format.
//!
//! Field names and order follow `user.sample.json` from the API docs: PascalCase (as the Go
//! backend sends them), dates in RFC 3339 with fractional seconds and an offset.

use serde::{Deserialize, Serialize};

/// One of the sandbox's built-in accounts. Every key the sandbox accepts names one of them in
/// its `sub` claim (by [`Account::pubkey`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Account {
    /// A creator with a realistic pool, modelled on the documented example.
    Creator,
    /// A user without a pool: `"OwnedPool": null`, cannot export.
    User,
    /// A creator whose pool strings and URLs are hostile, for testing renderers.
    Hostile,
}

impl Account {
    /// Every account, in the order the start lines and `/sandbox.json` list them.
    pub const ALL: [Account; 3] = [Account::Creator, Account::User, Account::Hostile];

    /// A human label for the demo page's key picker.
    pub fn label(self) -> &'static str {
        match self {
            Account::Creator => "Creator with a pool",
            Account::User => "User without a pool",
            Account::Hostile => "Hostile strings and URLs, for testing renderers",
        }
    }

    /// The description printed after the demo key on stdout (`demo key: <jwt>  (<this>; sandbox only)`).
    pub fn start_line_note(self) -> &'static str {
        match self {
            Account::Creator => "creator with a pool",
            Account::User => "user without a pool",
            Account::Hostile => "hostile strings and URLs, for testing renderers",
        }
    }

    /// The account's wallet address (base58), which is also the `sub` claim of its keys.
    pub fn pubkey(self) -> &'static str {
        match self {
            Account::Creator => "6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi",
            Account::User => "AUH6c4QLMr2qQr9N5Kkpz5astDM9gBNroXCSxQiFTGQv",
            Account::Hostile => "DYougPS3ao5Ticdy5bFcKKcXgSjHVJ2yuwaMgxHpPoQr",
        }
    }

    /// The account whose wallet address is `pubkey`, if any.
    pub fn from_pubkey(pubkey: &str) -> Option<Account> {
        Account::ALL.into_iter().find(|a| a.pubkey() == pubkey)
    }

    /// Whether the account owns a pool (and may therefore request exports).
    pub fn has_pool(self) -> bool {
        !matches!(self, Account::User)
    }

    /// The account's `GET /user` record. `api_origin` (e.g. `http://127.0.0.1:8081`) is where the
    /// sandbox serves the creator's images, so the demo works offline.
    pub fn record(self, api_origin: &str) -> UserRecord {
        let pubkey = self.pubkey().to_owned();
        match self {
            Account::Creator => UserRecord {
                enabled_email_auto_subs: true,
                username: abbreviate(&pubkey),
                owned_pool: Some(PoolRecord {
                    pubkey: "Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f".into(),
                    name: "Orbit Notes".into(),
                    benefits:
                        "Early access to every article\nThe source code behind each deep dive\n\
                               A monthly live Q&A for supporters"
                            .into(),
                    description: "Weekly deep dives into Solana tooling, written by a working \
                                  engineer. Supporters keep the newsletter free for everyone and \
                                  get drafts a week before they go out."
                        .into(),
                    website: "https://orbitnotes.example.com".into(),
                    email: "hello@orbitnotes.example.com".into(),
                    logo_image_url: format!("{api_origin}/images/logo.svg"),
                    hero_image_url: format!("{api_origin}/images/hero.svg"),
                    profile_image_url: format!("{api_origin}/images/profile.svg"),
                    user_pubkey: pubkey.clone(),
                    collect_emails: true,
                    display_fe: true,
                    created_at: "2024-02-14T10:31:07.512338+01:00".into(),
                    updated_at: "2024-06-03T18:02:44.090151+02:00".into(),
                }),
                pubkey,
                role: "admin".into(),
                created_at: "2024-02-14T10:28:51.774102+01:00".into(),
                updated_at: "2024-02-14T10:28:51.774102+01:00".into(),
            },
            Account::User => UserRecord {
                enabled_email_auto_subs: false,
                username: abbreviate(&pubkey),
                owned_pool: None,
                pubkey,
                role: "user".into(),
                created_at: "2024-03-01T08:15:00.104529+01:00".into(),
                updated_at: "2024-03-01T08:15:00.104529+01:00".into(),
            },
            Account::Hostile => UserRecord {
                enabled_email_auto_subs: false,
                username: "<img src=x onerror=alert('username')>".into(),
                owned_pool: Some(PoolRecord {
                    pubkey: "B1rADWGjAKbZYVHMYhS5ZKyMbqFB65vmNNxUXdgFBoh3".into(),
                    name: "<img src=x onerror=alert(1)>".into(),
                    benefits: "\"><svg onload=alert(1)>\n<a href=\"javascript:alert(1)\">claim</a>"
                        .into(),
                    description:
                        "<script>alert(1)</script> Every string of this pool tries to run \
                                  script if a renderer treats it as HTML."
                            .into(),
                    website: "javascript:alert(document.domain)".into(),
                    email: "\"><script>alert(1)</script>@example.com".into(),
                    logo_image_url: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' \
                                     onload='alert(1)'><rect width='10' height='10'/></svg>"
                        .into(),
                    hero_image_url: "http://203.0.113.7/hero.png".into(),
                    profile_image_url: "javascript:alert(1)".into(),
                    user_pubkey: pubkey.clone(),
                    collect_emails: true,
                    display_fe: true,
                    created_at: "2024-04-01T00:00:00.000001+00:00".into(),
                    updated_at: "2024-04-01T00:00:00.000001+00:00".into(),
                }),
                pubkey,
                role: "admin".into(),
                created_at: "2024-04-01T00:00:00.000001+00:00".into(),
                updated_at: "2024-04-01T00:00:00.000001+00:00".into(),
            },
        }
    }
}

/// `7Q34nmDP...5Gqx` → `7Q34...5Gqx`, the way the Hub abbreviates a wallet as a username.
fn abbreviate(pubkey: &str) -> String {
    let head: String = pubkey.chars().take(4).collect();
    let tail: String = pubkey
        .chars()
        .skip(pubkey.chars().count().saturating_sub(4))
        .collect();
    format!("{head}...{tail}")
}

/// The `GET /user` response body. Field order is the documented one.
#[derive(Debug, Serialize)]
pub struct UserRecord {
    #[serde(rename = "EnabledEmailAutoSubs")]
    pub enabled_email_auto_subs: bool,
    #[serde(rename = "Pubkey")]
    pub pubkey: String,
    #[serde(rename = "Role")]
    pub role: String,
    #[serde(rename = "OwnedPool")]
    pub owned_pool: Option<PoolRecord>,
    #[serde(rename = "Username")]
    pub username: String,
    #[serde(rename = "CreatedAt")]
    pub created_at: String,
    #[serde(rename = "UpdatedAt")]
    pub updated_at: String,
}

/// The `OwnedPool` object of a [`UserRecord`]. Field order is the documented one.
#[derive(Debug, Serialize)]
pub struct PoolRecord {
    #[serde(rename = "Pubkey")]
    pub pubkey: String,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "Benefits")]
    pub benefits: String,
    #[serde(rename = "Description")]
    pub description: String,
    #[serde(rename = "Website")]
    pub website: String,
    #[serde(rename = "Email")]
    pub email: String,
    #[serde(rename = "LogoImageURL")]
    pub logo_image_url: String,
    #[serde(rename = "HeroImageURL")]
    pub hero_image_url: String,
    #[serde(rename = "ProfileImageURL")]
    pub profile_image_url: String,
    #[serde(rename = "UserPubkey")]
    pub user_pubkey: String,
    #[serde(rename = "CollectEmails")]
    pub collect_emails: bool,
    #[serde(rename = "DisplayFE")]
    pub display_fe: bool,
    #[serde(rename = "CreatedAt")]
    pub created_at: String,
    #[serde(rename = "UpdatedAt")]
    pub updated_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE58: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    #[test]
    fn pubkeys_look_like_base58_addresses_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for account in Account::ALL {
            let record = account.record("http://127.0.0.1:8081");
            let mut keys = vec![record.pubkey.clone()];
            if let Some(pool) = &record.owned_pool {
                keys.push(pool.pubkey.clone());
                assert_eq!(pool.user_pubkey, record.pubkey);
            }
            for key in keys {
                assert!((32..=44).contains(&key.len()), "{key}");
                assert!(key.chars().all(|c| BASE58.contains(c)), "{key}");
                assert!(seen.insert(key));
            }
            assert_eq!(Account::from_pubkey(account.pubkey()), Some(account));
        }
    }

    #[test]
    fn creator_record_matches_the_documented_shape() {
        let json = serde_json::to_string(&Account::Creator.record("http://h:1")).unwrap();
        assert!(
            json.starts_with(r#"{"EnabledEmailAutoSubs":true,"Pubkey":"6anb"#),
            "{json}"
        );
        assert!(json.contains(r#""Username":"6anb...8Zhi""#));
        assert!(json.contains(r#""LogoImageURL":"http://h:1/images/logo.svg""#));
        assert!(json.contains(r#""DisplayFE":true"#));
        let json = serde_json::to_string(&Account::User.record("http://h:1")).unwrap();
        assert!(json.contains(r#""OwnedPool":null"#));
    }
}
