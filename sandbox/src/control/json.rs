//! The JSON bodies of the control endpoints.

use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::redact::redact;

/// Parses a JSON body; the error message (serde's, which may quote input) is redacted.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::bad_request(format!("invalid request body: {}", redact(&e.to_string())))
    })
}
