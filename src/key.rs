//! The API key: normalisation, validation and local (unverified) decoding.
//!
//! The key is a JWT that never expires, so it is handled as a secret: [`ApiKey`]'s `Debug` prints
//! `[REDACTED]`, it has no `Display`, and no error built here mentions its content.

use std::fmt;

use crate::error::{self, Error};

/// The longest key accepted, in bytes. Real keys are a few hundred bytes.
const MAX_KEY_BYTES: usize = 8 * 1024;

/// A normalised Access API key: surrounding whitespace and a pasted `Bearer ` prefix removed,
/// checked to have the shape of a JWT.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Normalises and checks a key as pasted by a person.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidKey`](crate::ErrorKind::InvalidKey) when what is left is not three
    /// non-empty base64url parts joined by dots (no spaces, control or non-ASCII characters).
    pub fn parse(raw: &str) -> Result<Self, Error> {
        let key = normalize(raw);
        if key.is_empty() {
            return Err(error::invalid_key("the API key is empty"));
        }
        if key.len() > MAX_KEY_BYTES {
            return Err(error::invalid_key(
                "the API key is too long to be an Access API key",
            ));
        }
        if !key.bytes().all(|b| is_base64url(b) || b == b'.') {
            return Err(error::invalid_key(
                "the API key has characters a JWT cannot have (spaces, quotes, line breaks or non-ASCII)",
            ));
        }
        let parts: Vec<&str> = key.split('.').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(error::invalid_key(
                "the API key is not a JWT (three parts joined by dots)",
            ));
        }
        if parts.iter().any(|p| p.len() % 4 == 1) {
            return Err(error::invalid_key(
                "the API key is not a JWT (a part is not base64url)",
            ));
        }
        Ok(ApiKey(key.to_owned()))
    }

    /// The key itself, for the `Authorization` header only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Decodes the key's header and claims locally, **without verifying** the signature.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidKey`](crate::ErrorKind::InvalidKey) when the header or the claims are
    /// not base64url-encoded UTF-8.
    pub fn decode(&self) -> Result<DecodedKey, Error> {
        let mut parts = self.0.split('.');
        let mut part = |what: &'static str| {
            parts
                .next()
                .and_then(base64url_decode)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| error::invalid_key(what))
        };
        Ok(DecodedKey {
            header: part("the API key's header is not base64url-encoded text")?,
            claims: part("the API key's claims are not base64url-encoded text")?,
        })
    }
}

/// What a client can be made with: a key as text (`&str`, `String`), normalised and checked when
/// the client is built, or an [`ApiKey`] checked already.
pub trait IntoApiKey {
    /// The checked key.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidKey`](crate::ErrorKind::InvalidKey) as [`ApiKey::parse`].
    fn into_api_key(self) -> Result<ApiKey, Error>;
}

impl IntoApiKey for &str {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        ApiKey::parse(self)
    }
}

impl IntoApiKey for String {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        ApiKey::parse(&self)
    }
}

impl IntoApiKey for &String {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        ApiKey::parse(self)
    }
}

impl IntoApiKey for ApiKey {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        Ok(self)
    }
}

impl IntoApiKey for &ApiKey {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        Ok(self.clone())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([REDACTED])")
    }
}

/// A key's header and claims as JSON text, decoded locally and not verified.
///
/// The claims are not secret on their own (anyone holding the key can read them), but they are
/// not proof of anything either: only the API can tell whether a key is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedKey {
    /// The JOSE header, as JSON text (for example `{"alg":"HS256","typ":"JWT"}`).
    pub header: String,
    /// The claims, as JSON text.
    pub claims: String,
}

/// Removes what copying a key tends to bring along: surrounding whitespace, byte-order marks
/// and zero-width characters (web pages and chat apps add them), and one `Bearer` prefix (any
/// case) followed by spaces or tabs.
fn normalize(raw: &str) -> &str {
    let trimmed = trim(raw);
    match (trimmed.get(..6), trimmed.get(6..)) {
        (Some(prefix), Some(rest))
            if prefix.eq_ignore_ascii_case("bearer") && rest.starts_with([' ', '\t']) =>
        {
            trim(rest)
        }
        _ => trimmed,
    }
}

/// Trims whitespace and invisible characters: U+FEFF (a byte-order mark or zero-width
/// no-break space) and the zero-width space, non-joiner, joiner and word joiner.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
            )
    })
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Decodes unpadded base64url. `None` on any character outside the alphabet or a bad length.
fn base64url_decode(input: &str) -> Option<Vec<u8>> {
    fn value(b: u8) -> Option<u32> {
        Some(match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32)
    }
    if input.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    for chunk in input.as_bytes().chunks(4) {
        let mut acc = 0u32;
        for &b in chunk {
            acc = (acc << 6) | value(b)?;
        }
        let bits = chunk.len() * 6;
        acc <<= 24 - bits;
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..1 + bits / 8]);
    }
    Some(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use proptest::prelude::*;

    // header {"alg":"HS256","typ":"JWT"}, claims {"sub":"canary"}; the signature spells a canary.
    const CANARY: &str =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnkifQ.Q0FOQVJZLVNJR05BVFVSRS1ET05PVExFQUs";

    #[test]
    fn accepts_pasted_forms() {
        for pasted in [
            CANARY.to_string(),
            format!("  {CANARY}\n"),
            format!("Bearer {CANARY}"),
            format!("\tbearer   {CANARY} "),
            format!("BEARER {CANARY}"),
            format!("Bearer\t{CANARY}"),
            format!("\u{feff}{CANARY}"),
            format!("\u{200b}Bearer {CANARY}\u{200b}"),
            format!("\u{feff}Bearer\t\t{CANARY}\u{2060}\r\n"),
            format!("\u{200c}{CANARY}\u{200d}"),
            format!("\u{200d}\u{200c}\u{200b} {CANARY}"),
        ] {
            assert_eq!(
                ApiKey::parse(&pasted).unwrap().expose(),
                CANARY,
                "{pasted:?}"
            );
        }
    }

    #[test]
    fn rejects_what_cannot_be_a_jwt() {
        for bad in [
            "",
            "   ",
            "Bearer ",
            "abc",
            "a.b",
            "a.b.c.d",
            "a..c",
            "a.b.",
            "ab cd.ef.gh",
            "ab.cd.é",
            "\"abc.def.ghi\"",
            "abc.def.ghi\u{0}",
            "abcde.def.ghi",
            "Bearerabc.def.ghi",
            "abc.def\u{200b}.ghi",
        ] {
            let error = ApiKey::parse(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidKey, "{bad:?}");
        }
    }

    #[test]
    fn errors_and_debug_never_show_the_key() {
        let key = ApiKey::parse(CANARY).unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey([REDACTED])");
        let almost = format!("{CANARY}.extra");
        let error = ApiKey::parse(&almost).unwrap_err();
        let shown = format!("{error} {error:?}");
        for part in CANARY.split('.') {
            assert!(!shown.contains(part), "{shown}");
        }
    }

    #[test]
    fn decodes_header_and_claims() {
        let decoded = ApiKey::parse(CANARY).unwrap().decode().unwrap();
        assert_eq!(decoded.header, r#"{"alg":"HS256","typ":"JWT"}"#);
        assert_eq!(decoded.claims, r#"{"sub":"canary"}"#);
    }

    #[test]
    fn base64url_matches_known_vectors() {
        assert_eq!(base64url_decode("").unwrap(), b"");
        assert_eq!(base64url_decode("Zg").unwrap(), b"f");
        assert_eq!(base64url_decode("Zm8").unwrap(), b"fo");
        assert_eq!(base64url_decode("Zm9v").unwrap(), b"foo");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert!(base64url_decode("Zm9vY").is_none());
        assert!(base64url_decode("Zm+v").is_none());
    }

    fn encode(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let mut acc = 0u32;
            for (i, &b) in chunk.iter().enumerate() {
                acc |= (b as u32) << (16 - 8 * i);
            }
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(acc >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }

    /// A JWT as a person pastes it: three base64url parts (none of a length that base64
    /// cannot have), with what copying brings along around it: whitespace, byte-order marks,
    /// zero-width characters and a `Bearer` prefix in any case. `ApiKey::parse` accepts every
    /// one.
    fn pasted_key() -> impl Strategy<Value = String> {
        let part = "[A-Za-z0-9_-]{1,60}".prop_filter("a base64 length", |p| p.len() % 4 != 1);
        let around = "[ \t\n\r\u{feff}\u{200b}\u{200c}\u{200d}\u{2060}]{0,3}";
        (
            around,
            "((?i)bearer[ \t]{1,2})?",
            part.clone(),
            part.clone(),
            part,
            around,
        )
            .prop_map(|(before, bearer, header, claims, signature, after)| {
                format!("{before}{bearer}{header}.{claims}.{signature}{after}")
            })
    }

    proptest! {
        #[test]
        /// An accepted key is three non-empty parts, and parsing it again keeps it as it is.
        /// Every generated key is accepted (a pasted JWT, see [`pasted_key`]), so every case
        /// reaches the assertions; the `prop_assert!` on `parse` says so if one does not.
        fn accepted_keys_are_normal(raw in pasted_key()) {
            let key = ApiKey::parse(&raw);
            prop_assert!(key.is_ok(), "{:?} was refused", raw);
            let key = key.unwrap();
            prop_assert_eq!(key.expose().split('.').filter(|p| !p.is_empty()).count(), 3);
            prop_assert_eq!(ApiKey::parse(key.expose()).ok(), Some(key.clone()));
            let invisible = ['\u{feff}', '\u{200b}', ' ', '\t'];
            prop_assert!(!key.expose().contains(invisible), "{:?}", key.expose());
            let _ = key.decode();
        }

        /// gloo-net's `RequestBuilder::header` throws (through wasm, leaving the call's promise
        /// pending) on a value a header cannot hold: every key `parse` accepts must make a
        /// valid `Authorization` value (RFC 9110 field-value: visible ASCII, no CR/LF/NUL).
        /// The first input is always accepted ([`pasted_key`]); the second, arbitrary text,
        /// mostly is not, and holds the rule for what little of it is.
        #[test]
        fn every_accepted_key_is_a_valid_header_value(pasted in pasted_key(), raw in any::<String>()) {
            prop_assert!(ApiKey::parse(&pasted).is_ok(), "{:?} was refused", pasted);
            for raw in [pasted, raw] {
                if let Ok(key) = ApiKey::parse(&raw) {
                    let value = format!("Bearer {}", key.expose());
                    prop_assert!(value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()), "{value:?}");
                    prop_assert!(!value.ends_with(' '));
                }
            }
        }

        #[test]
        /// What is left of a pasted key after normalising is the text between the prefix and
        /// the padding, exactly: a key is accepted exactly when that text is one.
        fn pasted_keys_are_the_text_inside(
            pre in "[ \t\u{feff}\u{200b}]{0,3}", bearer in "(Bearer[ \t]{1,2})?",
            body in "[A-Za-z0-9_\\-.é ]{0,40}", post in "[ \n\u{200b}]{0,3}",
        ) {
            let pasted = format!("{pre}{bearer}{body}{post}");
            let inner = body.trim();
            match ApiKey::parse(&pasted) {
                Ok(key) => prop_assert_eq!(key.expose(), inner),
                Err(_) => prop_assert!(ApiKey::parse(inner).is_err() || inner.to_ascii_lowercase().starts_with("bearer")),
            }
        }

        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(base64url_decode(&encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn decode_recovers_encoded_text(header in "\\PC{1,40}", claims in "\\PC{1,80}") {
            let raw = format!("Bearer {}.{}.c2ln", encode(header.as_bytes()), encode(claims.as_bytes()));
            let decoded = ApiKey::parse(&raw).unwrap().decode().unwrap();
            prop_assert_eq!(decoded.header, header);
            prop_assert_eq!(decoded.claims, claims);
        }
    }
}
