//! The stand-in: the documented API, answered from the sandbox's accounts and its own state.
//! It knows no tests: test control ([`crate::testing`]) wraps it and never the other way round.
//!
//! | route | key | answer | file |
//! |---|---|---|---|
//! | `GET /user` | yes | the key owner's record ([`crate::accounts::UserRecord`]) | [`user`] |
//! | `POST /file/{emails,supporters,rewards}` | yes | a JSON string: the export's reference id | [`exports`] |
//! | `GET /file/link/{id}` | yes | 404 until ready, then the CSV (`text/csv; charset=utf-8`) | [`exports`] |
//! | `GET /user/{address}/pools`, `.../pools/forever` | yes | address → amount locked (forever) | [`user_pools`] |
//! | `GET /pools`, `/pools/featured`, `/pools/user_count`, `/pools/locked`, `/pools/rewards` | no | the pool lists | [`pools`] |
//! | `GET /pool/{address}` | no | one pool, with its e-mail subscriptions | [`pool`] |
//! | `GET /token/supply/{total,circulating}` | no | plain text, a decimal number | [`token`] |
//! | `GET /stats/{kind}` | no | `{"UntilDate", "Vals"}`, 30 days | [`stats`] |
//! | `GET /images/{logo,hero,profile}.svg` | no | the creator pool's images | [`images`] |
//!
//! The pools are a deterministic [`universe`] of `--pools N`. Everything else is `404
//! {"error":"not_found",...}`, a known path with another method `405`.
//!
//! Adding an endpoint: a handler in its own file (with its state, if it keeps any), a line in
//! [`router`]. A route that needs a key takes an [`Identity`](crate::keys::Identity) argument,
//! which [`identity::authenticate`] verified once for the whole request; a public one takes none.
//! CORS, the `Host` check and `nosniff` are the origin's, added around it in `main.rs`.

mod exports;
pub mod identity;
mod images;
mod json;
mod pool;
mod pools;
mod stats;
mod token;
pub mod universe;
mod user;
mod user_pools;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use axum::routing::{get, post};
use axum::Router;

pub use identity::Authentication;

use crate::error;

/// The stand-in's state; each handler takes only its part ([`FromRef`]).
#[derive(Clone)]
pub struct StandIn {
    origin: ApiOrigin,
    exports: Arc<exports::Exports>,
    universe: Arc<universe::Universe>,
}

/// `http://<ip>:<port>` of the API origin, as clients reach it: records point their images
/// there.
#[derive(Clone)]
pub struct ApiOrigin(pub Arc<str>);

impl StandIn {
    /// The stand-in served at `origin`, whose exports take `export_delay` (`--export-delay-ms`)
    /// unless a key asks otherwise, with a universe of `pools` pools (`--pools`).
    pub fn new(origin: &str, export_delay: Duration, pools: u32) -> Self {
        StandIn {
            origin: ApiOrigin(origin.into()),
            exports: Arc::new(exports::Exports::new(export_delay)),
            universe: Arc::new(universe::Universe::new(pools)),
        }
    }
}

impl FromRef<StandIn> for ApiOrigin {
    fn from_ref(stand_in: &StandIn) -> Self {
        stand_in.origin.clone()
    }
}

impl FromRef<StandIn> for Arc<exports::Exports> {
    fn from_ref(stand_in: &StandIn) -> Self {
        stand_in.exports.clone()
    }
}

impl FromRef<StandIn> for Arc<universe::Universe> {
    fn from_ref(stand_in: &StandIn) -> Self {
        stand_in.universe.clone()
    }
}

/// The documented routes and the pool images. They expect an [`Authentication`] in every
/// request: serve them behind [`identity::authenticate`].
pub fn router(stand_in: StandIn) -> Router {
    Router::new()
        .route("/user", get(user::user))
        .route("/file/{kind}", post(exports::request))
        .route("/file/link/{id}", get(exports::link))
        .route("/user/{address}/pools", get(user_pools::current))
        .route("/user/{address}/pools/forever", get(user_pools::forever))
        .route("/pools", get(pools::list))
        .route("/pools/featured", get(pools::featured))
        .route("/pools/user_count", get(pools::user_count))
        .route("/pools/locked", get(pools::locked))
        .route("/pools/rewards", get(pools::rewards))
        .route("/pool/{address}", get(pool::details))
        .route("/token/supply/total", get(token::total))
        .route("/token/supply/circulating", get(token::circulating))
        .route("/stats/{kind}", get(stats::stats))
        .route("/images/{name}", get(images::serve))
        .method_not_allowed_fallback(error::method_not_allowed)
        .fallback(error::not_found)
        .with_state(stand_in)
}
