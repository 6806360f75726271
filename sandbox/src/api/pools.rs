//! The public pool lists: `GET /pools`, `/pools/featured`, `/pools/user_count`,
//! `/pools/locked` and `/pools/rewards`, from the [`Universe`]. No key needed.
//!
//! Field names and order follow the documented samples (`samples/pools*.json`); amounts are
//! integers in base units. Every list holds every pool of the universe, in its order, except
//! `/pools/featured`: the pools shown on the front end (`DisplayFE`), in the featured order.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::json::{answer, Object};
use super::universe::Universe;
use super::ApiOrigin;

/// One item of `GET /pools`: the `OwnedPool` fields plus `CategoryName`, `Minimum`,
/// `TotalStaked` and `StakersPart`. `Description` is left out for some pools, as the
/// documented sample leaves it out.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct PoolItem<'a> {
    pubkey: &'a str,
    name: String,
    benefits: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    website: String,
    email: String,
    #[serde(rename = "LogoImageURL")]
    logo_image_url: String,
    #[serde(rename = "HeroImageURL")]
    hero_image_url: String,
    #[serde(rename = "ProfileImageURL")]
    profile_image_url: String,
    user_pubkey: &'a str,
    collect_emails: bool,
    #[serde(rename = "DisplayFE")]
    display_fe: bool,
    category_name: String,
    created_at: String,
    updated_at: String,
    minimum: u64,
    total_staked: u64,
    stakers_part: u64,
}

/// `GET /pools`: every pool.
pub async fn list(
    State(universe): State<Arc<Universe>>,
    State(origin): State<ApiOrigin>,
) -> Response {
    let items: Vec<PoolItem> = universe
        .pools()
        .iter()
        .map(|pool| {
            let text = pool.text(&origin.0);
            PoolItem {
                pubkey: &pool.address,
                name: text.name,
                benefits: text.benefits,
                description: text.description,
                website: text.website,
                email: text.email,
                logo_image_url: text.logo_image_url,
                hero_image_url: text.hero_image_url,
                profile_image_url: text.profile_image_url,
                user_pubkey: &pool.owner,
                collect_emails: pool.collect_emails,
                display_fe: pool.display_fe,
                category_name: text.category_name,
                created_at: text.created_at,
                updated_at: text.updated_at,
                minimum: pool.minimum,
                total_staked: pool.total_staked(),
                stakers_part: pool.stakers_part,
            }
        })
        .collect();
    answer(&items)
}

/// One item of `GET /pools/featured` (all integers, as in the sample).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FeaturedItem<'a> {
    pool: &'a str,
    locked_score: u64,
    users_score: u64,
    weekly_locked_score: u64,
    weekly_users_score: u64,
    weekly_locked_growth_score: u64,
    weekly_user_growth_score: u64,
    featured_pools_fixed_position: u32,
    randomness_offset: u64,
}

/// `GET /pools/featured`: the featured pools' scores, in the featured order.
pub async fn featured(State(universe): State<Arc<Universe>>) -> Response {
    let items: Vec<FeaturedItem> = universe
        .featured()
        .map(|pool| FeaturedItem {
            pool: &pool.address,
            locked_score: pool.locked_score(),
            users_score: pool.users_score(),
            weekly_locked_score: pool.weekly[0],
            weekly_users_score: pool.weekly[1],
            weekly_locked_growth_score: pool.weekly[2],
            weekly_user_growth_score: pool.weekly[3],
            featured_pools_fixed_position: pool.fixed_position,
            randomness_offset: pool.randomness_offset,
        })
        .collect();
    answer(&items)
}

/// `GET /pools/user_count`: pool address → supporters.
pub async fn user_count(State(universe): State<Arc<Universe>>) -> Response {
    let counts: Vec<(&str, u64)> = universe
        .pools()
        .iter()
        .map(|pool| (pool.address.as_str(), pool.users))
        .collect();
    answer(&Object(&counts))
}

/// `GET /pools/locked`: pool address → amount locked now.
pub async fn locked(State(universe): State<Arc<Universe>>) -> Response {
    let amounts: Vec<(&str, u64)> = universe
        .pools()
        .iter()
        .map(|pool| (pool.address.as_str(), pool.locked))
        .collect();
    answer(&Object(&amounts))
}

/// One item of `GET /pools/rewards`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct RewardsItem<'a> {
    pool: &'a str,
    total: u64,
    claimed: u64,
}

/// `GET /pools/rewards`: every pool's rewards, total and claimed.
pub async fn rewards(State(universe): State<Arc<Universe>>) -> Response {
    let items: Vec<RewardsItem> = universe
        .pools()
        .iter()
        .map(|pool| RewardsItem {
            pool: &pool.address,
            total: pool.rewards_total,
            claimed: pool.rewards_claimed,
        })
        .collect();
    answer(&items)
}
