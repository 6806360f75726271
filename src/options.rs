//! Options of the client, of one call and of an export, with their defaults and checks.

use std::rc::Rc;
use std::time::Duration;

use web_sys::AbortSignal;

use crate::error::{self, Error};
use crate::model::ExportKind;
use crate::text::cat;

/// The production API.
pub const DEFAULT_BASE_URL: &str = "https://go-api.accessprotocol.co";
/// The default deadline of a call (all its attempts and waits), and of each request an export
/// makes.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a request is retried by default.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default cap on a downloaded CSV.
pub const DEFAULT_MAX_CSV_BYTES: u64 = 128 * 1024 * 1024;
/// The default cap on a JSON answer other than `GET /user`'s (lists of pools, stats, `get`).
pub const DEFAULT_MAX_JSON_BYTES: u64 = 64 * 1024 * 1024;
/// The default first wait between two polls of an export (the docs suggest 1 s).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The default deadline of a whole export: request, waiting and download.
pub const DEFAULT_EXPORT_TIMEOUT: Duration = Duration::from_secs(120);

/// The longest timer the JS runtimes keep (a 32-bit signed count of milliseconds).
pub(crate) const MAX_TIMER_MS: u64 = i32::MAX as u64;
/// The largest `max_csv_bytes`: 2^29 - 24, V8's longest string in UTF-16 units (Firefox and
/// Safari hold longer ones). A UTF-8 text never has more UTF-16 units than bytes, so a CSV within
/// this cap always fits in a JS string.
pub const MAX_CSV_BYTES_LIMIT: u64 = (1 << 29) - 24;
/// The most retries a client may be configured with.
pub(crate) const MAX_RETRIES_LIMIT: u32 = 10;

/// Options of one call, as the request builders and the JS API collect them.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallOptions {
    /// The call's deadline, covering every attempt; the client's timeout when `None`.
    pub timeout: Option<Duration>,
    /// Cancels the call when it aborts. (Dropping the future cancels it too.)
    pub signal: Option<AbortSignal>,
    /// Told of each step (`onEvent`); the client's when `None`.
    pub on_event: Option<js_sys::Function>,
}

/// A callback told of each phase and poll of an export.
pub(crate) type ProgressCallback = Rc<dyn Fn(&ExportProgress)>;

/// Options of a whole export.
#[derive(Clone)]
pub(crate) struct ExportOptions {
    /// The deadline of the whole export (`DEFAULT_EXPORT_TIMEOUT` when `None`) and its signal.
    pub call: CallOptions,
    /// The deadline of each request; the client's timeout when `None`.
    pub request_timeout: Option<Duration>,
    /// The first wait between two polls; later waits grow by half up to 5 s.
    pub poll_interval: Duration,
    /// Called at each phase and poll.
    pub on_progress: Option<ProgressCallback>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            call: CallOptions::default(),
            request_timeout: None,
            poll_interval: DEFAULT_POLL_INTERVAL,
            on_progress: None,
        }
    }
}

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("call", &self.call)
            .field("request_timeout", &self.request_timeout)
            .field("poll_interval", &self.poll_interval)
            .field("on_progress", &self.on_progress.as_ref().map(|_| "Fn"))
            .finish()
    }
}

/// Where an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportPhase {
    /// Asking the API to prepare the file (`POST /file/{kind}`).
    Requesting,
    /// Polling `GET /file/link/{id}`, which answers 404 until the file is ready.
    Waiting,
    /// The file is ready and its body is being read.
    Downloading,
    /// The CSV has arrived.
    Done,
}

impl ExportPhase {
    /// The name the JS API reports: `"requesting"`, `"waiting"`, `"downloading"` or `"done"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportPhase::Requesting => "requesting",
            ExportPhase::Waiting => "waiting",
            ExportPhase::Downloading => "downloading",
            ExportPhase::Done => "done",
        }
    }
}

/// A report of an export's progress.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportProgress {
    /// Which export.
    pub kind: ExportKind,
    /// Where it is.
    pub phase: ExportPhase,
    /// How many times the file has been asked for so far (0 while requesting).
    pub attempt: u32,
    /// The reference id, once the API gave it.
    pub reference_id: Option<String>,
    /// Milliseconds since the export started.
    pub elapsed_ms: u64,
}

/// Checks a base URL: `https:`, or `http:` on a loopback host (`localhost`, `[::1]` or
/// `127.x.x.x`); no user info, query or fragment; a host of ASCII letters, digits, `-`, `_` and
/// `.` (an IDN in its punycode form), or an IP address; a port from 0 to 65535. In wasm, the
/// runtime's own URL parser must also take it (`new URL`), so every URL a call builds from it
/// is one `fetch` takes.
/// Returns it without a trailing slash, scheme and host in lower case.
pub(crate) fn base_url(raw: &str) -> Result<String, Error> {
    let bad = |why: &'static str| error::invalid_argument(why);
    let url = raw.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("the base URL has spaces or control characters"));
    }
    let (scheme, rest) = url
        .split_once(':')
        .and_then(|(scheme, rest)| Some((scheme, rest.strip_prefix("//")?)))
        .ok_or_else(|| bad("the base URL must be an absolute https: URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    if rest.contains(['?', '#']) {
        return Err(bad("the base URL cannot have a query or a fragment"));
    }
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| split(rest, i));
    if authority.is_empty() || authority.contains('@') {
        return Err(bad("the base URL must name a host, without user info"));
    }
    let authority = authority.to_ascii_lowercase();
    let host = host_of(&authority).ok_or_else(|| {
        bad("the base URL's host or port is not valid (a host is ASCII letters, digits, -, _ and ., or an IP address; a port is 0 to 65535)")
    })?;
    match scheme.as_str() {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => {
            return Err(bad(
                "the base URL must use https: (http: is allowed only on a loopback host)",
            ))
        }
        _ => return Err(bad("the base URL must be an https: URL")),
    }
    let normal = cat(&[
        scheme.as_str(),
        "://",
        &authority,
        path.trim_end_matches('/'),
    ]);
    if !runtime_takes(&normal) {
        return Err(bad("the base URL is not a valid URL"));
    }
    Ok(normal)
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = URL)]
    type Url;
    #[wasm_bindgen(constructor, js_class = URL, catch)]
    fn new(url: &str) -> Result<Url, wasm_bindgen::JsValue>;
}

/// Whether the runtime's URL parser takes `url` (natively, where no call can be made: yes).
fn runtime_takes(url: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    return Url::new(url).is_ok();
    #[cfg(not(target_arch = "wasm32"))]
    return !url.is_empty();
}

/// `s` split before byte `i`, a char boundary (checked without `str` slicing's panic path,
/// whose formatting code would otherwise be in the module).
fn split(s: &str, i: usize) -> (&str, &str) {
    (s.get(..i).unwrap_or(s), s.get(i..).unwrap_or(""))
}

/// The host of `host[:port]`, or `None` when the host or the port is not valid.
fn host_of(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let end = bracketed.find(']')?;
        let address = bracketed.get(..end)?;
        if !address.contains(':')
            || !address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return None;
        }
        (authority.get(..end + 2)?, bracketed.get(end + 1..)?)
    } else {
        let (host, port) = match authority.rfind(':') {
            Some(i) => split(authority, i),
            None => (authority, ""),
        };
        let name_ok = host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !name_ok || host.split('.').any(str::is_empty) {
            return None;
        }
        (host, port)
    };
    let port_ok = port.is_empty()
        || port.strip_prefix(':').is_some_and(|p| {
            !p.is_empty()
                && p.len() <= 5
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= 65_535)
        });
    (!host.is_empty() && port_ok).then_some(host)
}

/// Whether `host` (as a URL names it, in lower case: no port, IPv6 in brackets) is a loopback
/// host: `localhost`, `[::1]` or a literal `127.x.x.x` address. The client allows `http:` only
/// there; the sandbox asks the same question of its flags and of the pages it serves.
///
/// Not `*.localhost`: browsers resolve those to loopback themselves, but Node's resolver may ask
/// DNS, which could send the key in cleartext to a remote host.
///
/// ```
/// use access_creator_api::is_loopback_host;
///
/// assert!(is_loopback_host("127.0.0.1") && is_loopback_host("[::1]"));
/// assert!(!is_loopback_host("api.localhost") && !is_loopback_host("192.168.1.10"));
/// ```
pub fn is_loopback_host(host: &str) -> bool {
    if host == "localhost" || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok())
}

/// A duration in whole milliseconds, checked to be one a JavaScript timer holds: 1 ms to
/// 2,147,483,647 ms. There is no "no timeout". The one check of every timeout and wait, for
/// both APIs; `what` names the setting in words that fit both.
///
/// # Errors
/// `invalid_argument` for a duration outside that range.
pub(crate) fn checked_ms(duration: Duration, what: &str) -> Result<u64, Error> {
    let ms = duration.as_millis();
    if (1..=u128::from(MAX_TIMER_MS)).contains(&ms) {
        Ok(ms as u64)
    } else {
        Err(error::invalid_argument(cat(&[
            what,
            " must be from 1 to 2147483647 ms",
        ])))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for (given, kept) in [
            (
                "https://go-api.accessprotocol.co",
                "https://go-api.accessprotocol.co",
            ),
            (
                "https://go-api.accessprotocol.co/",
                "https://go-api.accessprotocol.co",
            ),
            (
                " HTTPS://Papi.AccessProtocol.co ",
                "https://papi.accessprotocol.co",
            ),
            (
                "https://example.com:8443/api/",
                "https://example.com:8443/api",
            ),
            ("http://127.0.0.1:8081", "http://127.0.0.1:8081"),
            ("http://127.1.2.3", "http://127.1.2.3"),
            ("http://localhost:3000/proxy", "http://localhost:3000/proxy"),
            ("http://[::1]:8081", "http://[::1]:8081"),
            ("https://[2001:db8::1]:443", "https://[2001:db8::1]:443"),
            ("https://example.com:65535", "https://example.com:65535"),
            ("https://xn--mnchen-3ya.de", "https://xn--mnchen-3ya.de"),
            ("https://my_proxy.internal", "https://my_proxy.internal"),
        ] {
            assert_eq!(base_url(given).unwrap(), kept, "{given}");
        }
    }

    #[test]
    fn refuses_everything_else() {
        for given in [
            "",
            "go-api.accessprotocol.co",
            "http://go-api.accessprotocol.co",
            "http://192.168.1.10:8081",
            "http://127.0.0.1.evil.com",
            "http://localhost.evil.com",
            "http://api.localhost",
            "http://localhost.:8081",
            "http://127.0.0.1.:8081",
            "http://[::2]",
            "ftp://example.com",
            "javascript:alert(1)",
            "https://",
            "https://user:pass@example.com",
            "https://example.com/?q=1",
            "https://example.com/#x",
            "https://example.com:port",
            "https://exa mple.com",
            "https://example.com:",
            "https://example.com:99999",
            "https://example.com:65536",
            "https://[not-an-address]",
            "https://[::1",
            "https://exa%zzmple.com",
            "https://exa%41mple.com",
            "https://münchen.de",
            "https://example..com",
            "https://.example.com",
        ] {
            let error = base_url(given).unwrap_err();
            assert_eq!(error.kind(), crate::ErrorKind::InvalidArgument, "{given}");
        }
    }

    #[test]
    fn timeouts_are_checked() {
        assert_eq!(checked_ms(Duration::from_millis(1500), "t").unwrap(), 1500);
        assert_eq!(
            checked_ms(Duration::from_millis(MAX_TIMER_MS), "t").unwrap(),
            MAX_TIMER_MS
        );
        for bad in [
            Duration::ZERO,
            Duration::from_micros(999),
            Duration::from_millis(MAX_TIMER_MS + 1),
            Duration::MAX,
        ] {
            let error = checked_ms(bad, "the timeout").unwrap_err();
            assert_eq!(
                error.to_string(),
                "the timeout must be from 1 to 2147483647 ms"
            );
        }
    }

    proptest! {
        #[test]
        /// An accepted base URL is already in its normal form (checking it again keeps it), with
        /// a scheme, no trailing slash and no whitespace.
        fn accepted_base_urls_are_normal(raw in "\\PC{0,60}|(https?)://[a-zA-Z0-9.:\\[\\]/-]{0,30}") {
            if let Ok(url) = base_url(&raw) {
                prop_assert!(url.starts_with("https://") || url.starts_with("http://"));
                prop_assert!(!url.ends_with('/'), "{}", url);
                prop_assert!(!url.chars().any(char::is_whitespace));
                prop_assert_eq!(base_url(&url).ok(), Some(url.clone()));
            }
        }
    }
}
