//! `cargo xtask bench`: size, start-up, per-call and export benchmarks in headless Chromium
//! against a local sandbox (tests/bench/run.mjs measures and reports).

use crate::process::{self, command, root};
use crate::sandbox::{self, Sandbox};
use crate::{demo, tools};

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("bench: unknown option `{other}`"));
    }
    tools::ensure_test_tools()?;
    demo::build_package()?;
    sandbox::build_release()?;
    let sandbox = Sandbox::start_release(&[
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--test-control",
        "--quiet",
        "--www",
        "tests/bench",
    ])?;
    let bench_url = sandbox
        .demo_url
        .clone()
        .ok_or("the sandbox serves no demo origin")?;
    process::run(
        "run the benchmarks",
        command("node")
            .arg("tests/bench/run.mjs")
            .env("BENCH_URL", bench_url)
            .env("API_URL", &sandbox.api_url)
            .env("PKG_DIR", root().join("pkg")),
    )
}
