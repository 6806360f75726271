//! Answering JSON built from borrowed data: a body serialized in the handler, and objects whose
//! keys keep the universe's order.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::ser::{Serialize, Serializer};

use crate::error::ApiError;

/// `200 application/json` with `value` serialized (integers exact, as `serde_json` writes `u64`).
pub fn answer(value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(_) => ApiError::internal("could not serialize the answer").into_response(),
    }
}

/// A JSON object of these keys and values, in this order.
pub struct Object<'a, V>(pub &'a [(&'a str, V)]);

impl<V: Serialize> Serialize for Object<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}
