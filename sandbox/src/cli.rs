//! Command-line flags.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::Parser;

/// A local stand-in of the Access Protocol creator API, with the demo page.
#[derive(Debug, Parser)]
#[command(
    name = "sandbox",
    version,
    about = "A local stand-in of the Access Protocol creator API, with the demo page",
    long_about = "A local stand-in of the Access Protocol creator API, with the demo page.\n\n\
        Serves two origins: the API origin (GET /user, POST /file/{emails,supporters,rewards}, \
        GET /file/link/{id}, exactly as documented) and the demo origin (the demo page and the \
        wasm package). On start it prints the URLs of both and three demo keys (sandbox only: \
        they are signed with a public secret and work nowhere else). Per-request log lines \
        (`METHOD path status`, never headers) go to stderr. Stop with Ctrl-C or SIGTERM."
)]
pub struct Cli {
    /// IP address both origins listen on (0.0.0.0 listens on all interfaces; the printed URLs then use 127.0.0.1)
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub bind: IpAddr,

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

    /// Enable the /__sandbox/* test control endpoints on the API origin (minting test-session
    /// keys, fault injection, request counters) and the demo origin's /__sandbox/landing.
    /// Off by default: without it those paths are 404. For automated tests only
    #[arg(long)]
    pub test_control: bool,

    /// Do not print a log line per request
    #[arg(long)]
    pub quiet: bool,
}
