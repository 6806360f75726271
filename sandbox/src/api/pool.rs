//! `GET /pool/{address}`: one pool's data with its e-mail subscriptions. No key needed.
//!
//! The shape is the documented sample's (`samples/pool.json`), field for field and in its
//! order: `Pubkey` is `""` and there is no `Name`, `Description` or `Benefits`, as there. The
//! sandbox's guesses, since the docs are silent: an address that is no pool is `404
//! {"error":"not_found",...}`, and a path segment that is no address (not 32 to 44 base58
//! characters) is `400 {"error":"bad_request",...}`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::json::answer;
use super::universe::{is_address, Universe};
use super::ApiOrigin;
use crate::error::ApiError;

/// The answer of `GET /pool/{address}`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PoolDetails<'a> {
    pubkey: &'a str,
    website: String,
    email: String,
    #[serde(rename = "LogoImageURL")]
    logo_image_url: String,
    #[serde(rename = "HeroImageURL")]
    hero_image_url: String,
    #[serde(rename = "ProfileImageURL")]
    profile_image_url: String,
    user_pubkey: &'a str,
    email_subscriptions: Vec<EmailSubscription<'a>>,
    featured_pools_fixed_position: u32,
    collect_emails: bool,
    #[serde(rename = "DisplayFE")]
    display_fe: bool,
    category_name: String,
    motivation: String,
    showcases: String,
    created_at: String,
    updated_at: String,
}

/// One of `EmailSubscriptions`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EmailSubscription<'a> {
    user_pubkey: String,
    pool_pubkey: &'a str,
    created_at: String,
    updated_at: String,
}

/// The address of a path, or the 400 answer.
pub fn address(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    match path {
        Ok(Path(address)) if is_address(&address) => Ok(address),
        _ => Err(ApiError::bad_request(
            "the address is not a base58 public key (32 to 44 characters)",
        )),
    }
}

/// `GET /pool/{address}`.
pub async fn details(
    State(universe): State<Arc<Universe>>,
    State(origin): State<ApiOrigin>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let address = match address(path) {
        Ok(address) => address,
        Err(error) => return error.into_response(),
    };
    let Some(pool) = universe.pool(&address) else {
        return ApiError::not_found("no such pool").into_response();
    };
    let text = pool.text(&origin.0);
    let email_subscriptions = pool
        .subscriptions()
        .into_iter()
        .map(|s| EmailSubscription {
            user_pubkey: s.user_pubkey,
            pool_pubkey: &pool.address,
            created_at: s.created_at,
            updated_at: s.updated_at,
        })
        .collect();
    answer(&PoolDetails {
        pubkey: "",
        website: text.website,
        email: text.email,
        logo_image_url: text.logo_image_url,
        hero_image_url: text.hero_image_url,
        profile_image_url: text.profile_image_url,
        user_pubkey: &pool.owner,
        email_subscriptions,
        featured_pools_fixed_position: pool.fixed_position,
        collect_emails: pool.collect_emails,
        display_fe: pool.display_fe,
        category_name: text.category_name,
        motivation: text.motivation,
        showcases: text.showcases,
        created_at: text.created_at,
        updated_at: text.updated_at,
    })
}
