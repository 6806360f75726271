//! `Host` checks of both origins, against DNS rebinding: a page whose name is made to resolve to
//! 127.0.0.1 reaches the sandbox with its own name in `Host`, and would otherwise be same-origin
//! with the demo page (and its proxy) or read the API's test control state.
//!
//! Each origin answers only `127.0.0.1:<its port>`, `localhost:<its port>` and
//! `[::1]:<its port>` (names without case), plus the `--public-host` names and a specific
//! non-loopback `--bind` address on that port. Anything else is
//! `421 {"error":"misdirected_request",...}`, without CORS headers.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The loopback names every origin answers to.
///
/// Not the loopback rule ([`access_creator_api::is_loopback_host`], which takes any
/// `127.x.x.x`): the question here is which names a listener is addressed by. Bound to
/// `127.0.0.1` (the default) it is reached as `127.0.0.1`, `localhost` or `[::1]`, never as
/// `127.0.0.2`, so that name is refused like any other; bound to a specific address, that
/// address is added ([`AllowedHosts::new`]'s `extra`).
const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// The `Host` values one origin answers.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    port: u16,
    /// Lowercase names without a port; IPv6 addresses in brackets.
    names: Vec<String>,
}

impl AllowedHosts {
    /// The loopback names and `extra` (from [`parse_public_host`]), on `port`.
    pub fn new(port: u16, extra: &[String]) -> Self {
        let mut names: Vec<String> = LOOPBACK_NAMES.iter().map(|n| (*n).to_owned()).collect();
        for name in extra {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        AllowedHosts { port, names }
    }

    /// Whether a request with this `Host` value is addressed to this origin. A missing port
    /// means 80.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        let (name, port) = match host.rsplit_once(':') {
            // `[::1]` alone has colons inside the brackets only.
            Some((name, port)) if !port.contains(']') => (name, port.parse::<u16>().ok()),
            _ => (host.as_str(), Some(80)),
        };
        port == Some(self.port) && self.names.iter().any(|allowed| allowed == name)
    }
}

/// Parses a `--public-host` value: a DNS name or an IP address, without a port. IPv6 addresses
/// are kept in brackets, as they appear in `Host`.
///
/// # Errors
///
/// A message saying what is expected.
pub fn parse_public_host(text: &str) -> Result<String, String> {
    let text = text.trim().to_ascii_lowercase();
    let unbracketed = text.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(host_name(ip));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if text.len() <= 253 && text.split('.').all(label_ok) {
        Ok(text)
    } else {
        Err(
            "expected a host name such as sandbox.example.lan or an IP address, without a port"
                .to_owned(),
        )
    }
}

/// How `ip` appears in a `Host` header: `192.168.1.5`, `[fd00::5]`.
pub fn host_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    }
}

/// Middleware: `421` unless the request's `Host` (or, in HTTP/2, its authority) is allowed.
pub async fn check(
    State(allowed): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()));
    if host.is_some_and(|host| allowed.allows(host)) {
        return next.run(request).await;
    }
    ApiError::new(
        StatusCode::MISDIRECTED_REQUEST,
        "misdirected_request",
        "this sandbox answers only requests addressed to 127.0.0.1, localhost or [::1] on its \
         own port (or a name given with --public-host)",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_matched_by_name_and_port() {
        let allowed = AllowedHosts::new(8080, &["sandbox.test".to_owned()]);
        for good in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "sandbox.test:8080",
        ] {
            assert!(allowed.allows(good), "{good}");
        }
        for bad in [
            "127.0.0.1",
            "[::1]",
            "127.0.0.1:8081",
            "127.0.0.1:80800",
            "127.0.0.1:",
            "evil.test:8080",
            "localhost.:8080",
            "127.0.0.1.evil.test:8080",
            "sandbox.test.evil:8080",
            "",
        ] {
            assert!(!allowed.allows(bad), "{bad}");
        }
        let on_80 = AllowedHosts::new(80, &[]);
        assert!(on_80.allows("localhost") && on_80.allows("[::1]") && on_80.allows("localhost:80"));
    }

    #[test]
    fn public_hosts_are_names_or_addresses() {
        assert_eq!(
            parse_public_host("Sandbox.LAN").as_deref(),
            Ok("sandbox.lan")
        );
        assert_eq!(
            parse_public_host("192.168.1.5").as_deref(),
            Ok("192.168.1.5")
        );
        assert_eq!(parse_public_host("fd00::5").as_deref(), Ok("[fd00::5]"));
        assert_eq!(parse_public_host("[fd00::5]").as_deref(), Ok("[fd00::5]"));
        for bad in [
            "",
            "a..b",
            "host:8080",
            "-a.b",
            "a b",
            "*.example",
            "http://a",
        ] {
            assert!(parse_public_host(bad).is_err(), "{bad}");
        }
    }
}
