//! `GET /user/{address}/pools` and `GET /user/{address}/pools/forever`: pool address → amount
//! the wallet `{address}` has locked in it now, or locked forever. The key is needed (401
//! without, as for `GET /user`).
//!
//! The sandbox's guesses, since the docs are silent: any valid key may ask about any wallet;
//! the demo accounts' wallets have locks (the user's, like the documented sample, include a
//! `0`), any other wallet `{}`; a path segment that is no address is `400
//! {"error":"bad_request",...}`.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::json::{answer, Object};
use super::pool::address;
use super::universe::Universe;
use crate::keys::Identity;

/// `GET /user/{address}/pools`.
pub async fn current(
    _identity: Identity,
    State(universe): State<Arc<Universe>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    locks(&universe, path, false)
}

/// `GET /user/{address}/pools/forever`.
pub async fn forever(
    _identity: Identity,
    State(universe): State<Arc<Universe>>,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    locks(&universe, path, true)
}

fn locks(
    universe: &Universe,
    path: Result<Path<String>, PathRejection>,
    forever: bool,
) -> Response {
    match address(path) {
        Ok(wallet) => answer(&Object(&universe.locks(&wallet, forever))),
        Err(error) => error.into_response(),
    }
}
