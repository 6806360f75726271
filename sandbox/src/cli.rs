//! Command-line flags.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::origins::{self, Upstream};
use crate::{demo, host};

/// A local stand-in of the Access Protocol creator API, with the demo page.
#[derive(Debug, Parser)]
#[command(
    name = "sandbox",
    version,
    about = "A local stand-in of the Access Protocol creator API, with the demo page",
    long_about = "A local stand-in of the Access Protocol creator API, with the demo page.\n\n\
        Serves two origins: the API origin (the sixteen documented paths: GET /user, POST \
        /file/{emails,supporters,rewards}, GET /file/link/{id}, GET /user/{address}/pools[/forever], \
        and the public GET /pools..., /pool/{address}, /token/supply/..., /stats/{kind}) and the demo origin (the demo page and the \
        wasm package). On start it prints the URLs of both and three demo keys (sandbox only: \
        they are signed with a public secret and work nowhere else). With --upstream, the demo \
        origin also forwards the documented calls to a real API (proxy mode). Per-request log \
        lines (`METHOD path status`, never headers) go to stderr. Stop with Ctrl-C or SIGTERM."
)]
pub struct Cli {
    /// IP address both origins listen on (0.0.0.0 listens on all interfaces; the printed URLs then use 127.0.0.1)
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Allow --test-control or --upstream while listening beyond loopback (--bind other than a
    /// loopback address)
    ///
    /// Refused by default: with --test-control anyone who can reach the port can mint keys and
    /// inject faults; with --upstream the proxy would carry other people's requests with the
    /// keys they send. With this flag the sandbox starts anyway, and says so on stderr.
    #[arg(long)]
    pub allow_remote: bool,

    /// Also answer requests addressed to this name (or IP address), on either origin's port;
    /// repeatable
    ///
    /// Both origins answer only requests whose Host is 127.0.0.1, localhost or [::1] on their
    /// own port (and the --bind address when it is a specific one), so that a web page whose
    /// name is made to resolve to this machine (DNS rebinding) cannot use them; anything else
    /// is 421. When other machines reach the sandbox by a name, name it here.
    #[arg(long, value_name = "HOST", value_parser = host::parse_public_host)]
    pub public_host: Vec<String>,

    /// Port of the API origin; 0 picks any free port (the start line tells which)
    #[arg(long, value_name = "PORT", default_value_t = 8081)]
    pub api_port: u16,

    /// Port of the demo origin (demo page, /pkg/, /sandbox.json); 0 picks any free port
    #[arg(long, value_name = "PORT", default_value_t = 8080)]
    pub demo_port: u16,

    /// Do not serve the demo origin (only the API)
    #[arg(long)]
    pub no_demo: bool,

    /// Directory served at / on the demo origin (the demo page, with its index.html)
    #[arg(long, value_name = "DIR", default_value = "www")]
    pub www: PathBuf,

    /// Directory served at /pkg/ on the demo origin (the wasm-pack output)
    #[arg(long, value_name = "DIR", default_value = "pkg")]
    pub pkg: PathBuf,

    /// How long, in milliseconds, an export takes to become ready after POST /file/{kind}
    /// (until then GET /file/link/{id} answers 404, as the docs describe)
    #[arg(long, value_name = "MS", default_value_t = 1500)]
    pub export_delay_ms: u64,

    /// How many pools the API serves (GET /pools and the other pool lists): 1 to 100000
    ///
    /// Always the same pools: pool i is the same whatever N (the demo creator's pool is the
    /// 18th, or the last of a smaller universe).
    #[arg(long, value_name = "N", default_value_t = crate::api::universe::DEFAULT_POOLS,
          value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::api::universe::MAX_POOLS)))]
    pub pools: u32,

    /// Enable the /__sandbox/* test control endpoints on the API origin (minting test-session
    /// keys, fault injection, request counters, a closed port) and, on the demo origin,
    /// /__sandbox/landing, CSP violation reports (the CSP gains `report-uri
    /// /__sandbox/csp-reports`; GET there lists the reports, DELETE clears them), the proxy's
    /// counters and a delay of /pkg/. Off by default: without it those paths are 404. For
    /// automated tests only: they take JSON only and answer CORS to loopback pages only
    #[arg(long)]
    pub test_control: bool,

    /// Proxy mode: also forward the documented API calls from the demo origin to this API
    /// (e.g. https://go-api.accessprotocol.co), so the demo page works with a real key
    ///
    /// The demo origin then serves the documented calls under /upstream (GET /upstream/user,
    /// POST /upstream/file/{emails,supporters,rewards}, GET /upstream/pools, ...) and forwards
    /// each to the same path of URL over HTTPS; the page calls them on its own origin, so it
    /// works even if the real API does not allow cross-origin calls from a local page.
    /// /sandbox.json and the start lines name the proxy's base URL.
    ///
    /// Trade-off: the key you paste then passes through this local process (on your own
    /// machine) on its way to the API. The proxy forwards only those documented calls, only to
    /// URL, with only the Authorization (never on a public call), Content-Type and Accept headers
    /// of the page's request (never cookies, Origin, Referer or the browser's User-Agent), plus its own Host,
    /// Content-Length (on a POST) and a fixed User-Agent; it follows no redirects, keeps nothing
    /// and logs only `METHOD path status`.
    /// Anything else under /upstream is 404 and goes nowhere.
    ///
    /// URL must be https:, or http: on a loopback host (127.0.0.1, [::1], localhost; for tests;
    /// the demo page may then also load images from that origin).
    #[arg(
        long,
        value_name = "URL",
        value_parser = parse_upstream,
        conflicts_with = "no_demo"
    )]
    pub upstream: Option<Upstream>,

    /// In proxy mode: how long, in milliseconds, the upstream may take to answer (then 504), and
    /// the longest pause while streaming its body
    #[arg(long, value_name = "MS", default_value_t = demo::DEFAULT_UPSTREAM_TIMEOUT_MS)]
    pub upstream_timeout_ms: u64,

    /// In proxy mode: how long, in milliseconds, the whole upstream answer (head and body) may
    /// take; a body still streaming then is cut off (the client sees a dropped connection), so a
    /// trickling upstream cannot hold a connection for ever
    #[arg(long, value_name = "MS", default_value_t = demo::DEFAULT_UPSTREAM_TOTAL_TIMEOUT_MS)]
    pub upstream_total_timeout_ms: u64,

    /// Also allow the demo page to fetch from ORIGIN (its CSP connect-src), for an API at a
    /// custom base URL; repeatable
    ///
    /// The demo page may always fetch from its own origin (and so the proxy), the sandbox API
    /// and https://go-api.accessprotocol.co. ORIGIN is https://host[:port], or http: on a
    /// loopback host; an http: ORIGIN is also allowed for images (https: images are allowed
    /// anyway).
    #[arg(long, value_name = "ORIGIN", value_parser = origins::parse_origin)]
    pub connect_src: Vec<String>,

    /// Do not print a log line per request
    #[arg(long)]
    pub quiet: bool,
}

impl Cli {
    /// What listening beyond loopback would expose, if anything: `--test-control` and
    /// `--upstream` only make sense on this machine.
    pub fn remote_exposure(&self) -> Option<String> {
        // Not the client's loopback rule for host names (`access_creator_api::is_loopback_host`):
        // the question is whether other machines can reach a socket bound to this address, which
        // the address's own class answers (127.0.0.0/8, ::1; the same set of addresses).
        if self.bind.is_loopback() {
            return None;
        }
        let sensitive: Vec<&str> = [
            (self.test_control, "--test-control"),
            (self.upstream.is_some(), "--upstream"),
        ]
        .into_iter()
        .filter_map(|(on, flag)| on.then_some(flag))
        .collect();
        (!sensitive.is_empty()).then(|| sensitive.join(" and "))
    }
}

fn parse_upstream(text: &str) -> Result<Upstream, String> {
    text.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults the README gives: the two ports, the export delay, the proxy's limits.
    #[test]
    fn defaults_are_the_documented_ones() {
        let cli = Cli::parse_from(["sandbox"]);
        assert_eq!(cli.bind.to_string(), "127.0.0.1");
        assert_eq!((cli.api_port, cli.demo_port), (8081, 8080));
        assert_eq!(cli.export_delay_ms, 1_500);
        assert_eq!(cli.upstream_timeout_ms, 60_000);
        assert_eq!(cli.upstream_total_timeout_ms, 5 * 60_000);
        assert!(!cli.test_control && !cli.quiet && cli.upstream.is_none());
    }
}
