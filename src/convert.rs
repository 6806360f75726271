//! Records across the JS boundary, through serde-wasm-bindgen and the serde derives of
//! [`crate::model`] and [`crate::options`]: one schema, no hand-written field lists.
//!
//! Conversion is separate from I/O: the client hands over the value `JSON.parse` made, and
//! gets back a typed record or an [`Error`] of kind `invalid_response`, never a bare string.

use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::JsValue;

use crate::error::{self, Error};
use crate::model::User;

/// How records are written for JS: plain objects, `None` as `null` (not `undefined`), as a user
/// of a JSON API expects.
const SERIALIZER: Serializer = Serializer::json_compatible();

/// Decodes `GET /user`'s parsed JSON.
///
/// # Errors
/// `invalid_response` when the value is not a JSON object (an array included), or a documented
/// field has the wrong type.
pub(crate) fn user_from_js(value: JsValue) -> Result<User, Error> {
    // serde-wasm-bindgen's `deserialize_struct` takes any JS object, an array too.
    if !value.is_object() || js_sys::Array::is_array(&value) {
        return Err(error::invalid_response("the answer is not a JSON object"));
    }
    let pool = js_sys::Reflect::get(&value, &"OwnedPool".into()).unwrap_or(JsValue::NULL);
    if js_sys::Array::is_array(&pool) {
        return Err(error::invalid_response(
            "the user record does not have the documented field types",
        ));
    }
    serde_wasm_bindgen::from_value(value).map_err(|_| {
        error::invalid_response("the user record does not have the documented field types")
    })
}

/// A record as the plain JS object the `.d.ts` describes.
///
/// # Errors
/// `invalid_response` if a number cannot be a JS number (none of our records has one).
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&SERIALIZER)
        .map_err(|_| error::invalid_response("a record could not be converted for JavaScript"))
}
