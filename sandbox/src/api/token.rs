//! `GET /token/supply/total` and `GET /token/supply/circulating`: plain text, a decimal number
//! of ACS with 6 fraction digits, the documented values. No key needed.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The documented total supply.
pub const TOTAL: &str = "86735581885.276672";
/// The documented circulating supply.
pub const CIRCULATING: &str = "30436895695.035919";

/// `GET /token/supply/total`.
pub async fn total() -> Response {
    plain(TOTAL)
}

/// `GET /token/supply/circulating`.
pub async fn circulating() -> Response {
    plain(CIRCULATING)
}

fn plain(text: &'static str) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}
