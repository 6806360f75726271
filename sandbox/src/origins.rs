//! Which URLs and origins the sandbox accepts from its flags: `--upstream` (an [`Upstream`]) and
//! `--connect-src` ([`parse_origin`]): `https:`, or `http:` on a loopback host, the client's own
//! rule for its base URL.

use std::fmt;
use std::str::FromStr;

use reqwest::Url;

/// A validated `--upstream`: `https:` (or `http:` on a loopback host), no credentials, query or
/// fragment; kept without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    base: String,
    /// `http://host:port` of an `http:` (so loopback) upstream.
    http_origin: Option<String>,
    loopback: bool,
}

impl Upstream {
    /// The origin of an `http:` upstream (a loopback one, as tests use): its records' images
    /// live there, and the demo page's CSP allows `https:` images only.
    pub fn http_origin(&self) -> Option<&str> {
        self.http_origin.as_deref()
    }

    /// Whether the upstream's host is a loopback one (then `http:` is allowed, and it is reached
    /// directly, never through `HTTP(S)_PROXY`).
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// `{upstream}{path}`; `path` is one of the documented paths (checked safe characters only).
    pub fn url(&self, path: &str) -> Option<Url> {
        Url::parse(&format!("{}{path}", self.base)).ok()
    }
}

/// The upstream as shown in the start lines and `/sandbox.json`, e.g.
/// `https://go-api.accessprotocol.co`.
impl fmt::Display for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

impl FromStr for Upstream {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        const EXPECTED: &str = "expected an https: URL such as https://go-api.accessprotocol.co \
             (http: only on a loopback host: 127.0.0.1, [::1] or localhost)";
        let url = Url::parse(text.trim()).map_err(|e| format!("not a URL ({e}); {EXPECTED}"))?;
        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(format!(
                    "http: is allowed only on a loopback host, since the API key would cross \
                     the network unencrypted; {EXPECTED}"
                ))
            }
            _ => return Err(EXPECTED.to_owned()),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err("must not contain a user name or password".to_owned());
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err("must not have a query string or fragment".to_owned());
        }
        let base = url.as_str().trim_end_matches('/').to_owned();
        let http_origin = (url.scheme() == "http").then(|| url.origin().ascii_serialization());
        Ok(Upstream {
            base,
            http_origin,
            loopback,
        })
    }
}

/// Whether `url`'s host is a loopback one, by the client's rule
/// ([`access_creator_api::is_loopback_host`]: `localhost`, `[::1]`, `127.x.x.x`).
fn is_loopback(url: &Url) -> bool {
    url.host_str()
        .is_some_and(access_creator_api::is_loopback_host)
}

/// Parses a `--connect-src` value into the origin a CSP names: `https://host[:port]`, or
/// `http://` on a loopback host (what the client accepts as a base URL). A trailing `/` is
/// allowed; a path, query, fragment or credentials are not.
///
/// # Errors
///
/// A message saying what is expected.
pub fn parse_origin(text: &str) -> Result<String, String> {
    const EXPECTED: &str = "expected an origin such as https://api.example.com or \
         http://127.0.0.1:9000 (scheme, host and optional port; http: only on a loopback host)";
    let url = reqwest::Url::parse(text.trim()).map_err(|e| format!("{e}; {EXPECTED}"))?;
    let scheme_ok = match url.scheme() {
        "https" => true,
        "http" => is_loopback(&url),
        _ => false,
    };
    let origin_only = url.username().is_empty()
        && url.password().is_none()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none();
    let origin = url.origin().ascii_serialization();
    // The URL parser lets through host characters such as `;` and `*` that would change the
    // meaning of the CSP; a serialised origin of a real host has none of them.
    let plain = origin
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-:/[]".contains(&b));
    if !scheme_ok || !origin_only || !plain {
        return Err(EXPECTED.to_owned());
    }
    Ok(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstreams_are_https_or_loopback_http() {
        let ok = |text: &str| text.parse::<Upstream>().map(|u| u.to_string());
        assert_eq!(
            ok("https://go-api.accessprotocol.co/").as_deref(),
            Ok("https://go-api.accessprotocol.co")
        );
        assert_eq!(
            ok("https://example.com:8443/api/v1/").as_deref(),
            Ok("https://example.com:8443/api/v1")
        );
        assert_eq!(
            ok("http://127.0.0.1:8081").as_deref(),
            Ok("http://127.0.0.1:8081")
        );
        assert!(ok("http://[::1]:1").is_ok());
        let local: Upstream = "http://localhost:9/api/".parse().unwrap();
        assert_eq!(local.http_origin(), Some("http://localhost:9"));
        let remote: Upstream = "https://go-api.accessprotocol.co".parse().unwrap();
        assert_eq!(remote.http_origin(), None);
        assert!(ok("http://localhost:1").is_ok());
        for bad in [
            "http://example.com",
            "http://10.0.0.1",
            "ftp://127.0.0.1",
            "file:///etc/passwd",
            "go-api.accessprotocol.co",
            "https://user:secret@example.com",
            "https://example.com/?q=1",
            "https://example.com/#x",
            "",
        ] {
            assert!(ok(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn connect_src_values_must_be_origins() {
        assert_eq!(
            parse_origin("https://API.example.com/").as_deref(),
            Ok("https://api.example.com")
        );
        assert_eq!(
            parse_origin("https://api.example.com:443").as_deref(),
            Ok("https://api.example.com")
        );
        assert_eq!(
            parse_origin("http://localhost:9000").as_deref(),
            Ok("http://localhost:9000")
        );
        assert_eq!(
            parse_origin("http://[::1]:9000").as_deref(),
            Ok("http://[::1]:9000")
        );
        for bad in [
            "http://api.example.com",
            "https://api.example.com/v1",
            "https://api.example.com/?x",
            "https://user@api.example.com",
            "https://a.example.com;script-src",
            "https://*.example.com",
            "'unsafe-inline'",
            "api.example.com",
            "data:",
            "ws://127.0.0.1:1",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
