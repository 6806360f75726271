//! `cargo xtask bench`: size, start-up, per-call, list and export benchmarks in headless
//! Chromium (and the list rows in Node too) against local sandboxes (tests/bench/run.mjs
//! measures and reports).

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::process::{self, command, root};
use crate::sandbox::{self, Sandbox};
use crate::{demo, tools};

/// `tests/bench/slow_api.py`, a slower server for the per-call rows, stopped when dropped.
struct SlowApi {
    child: Child,
    url: String,
}

impl SlowApi {
    fn start() -> Result<SlowApi, String> {
        let mut child = command("python3")
            .arg(root().join("tests/bench/slow_api.py"))
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("start tests/bench/slow_api.py: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .map_err(|e| format!("read slow_api.py's output: {e}"))?;
        let url = first
            .trim()
            .strip_prefix("slow api: ")
            .ok_or_else(|| format!("slow_api.py said {first:?}, not its URL"))?
            .to_owned();
        Ok(SlowApi { child, url })
    }
}

impl Drop for SlowApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pool counts of the list rows besides the main sandbox's 200 (`--pools`).
const LIST_POOLS: [u32; 2] = [2_000, 20_000];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("bench: unknown option `{other}`"));
    }
    tools::ensure_test_tools()?;
    demo::build_package()?;
    sandbox::build_release()?;
    // The page with json-bigint and lossless-json beside it, served from its own origin.
    let www = root().join("target/bench/www");
    process::run(
        "lay out the bench page (tests/bench/vendor.mjs)",
        command("node").arg("tests/bench/vendor.mjs").arg(&www),
    )?;
    let slow = SlowApi::start()?;
    // The list rows: an API-only sandbox per pool count beyond the main one's 200.
    let lists = LIST_POOLS
        .iter()
        .map(|pools| {
            Sandbox::start_release(&[
                "--api-port",
                "0",
                "--no-demo",
                "--quiet",
                "--pools",
                &pools.to_string(),
            ])
        })
        .collect::<Result<Vec<_>, _>>()?;
    // The bench page may call the slower server and those sandboxes too (the demo origin's CSP
    // names them).
    let www = www.to_string_lossy();
    let mut flags = vec![
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--test-control",
        "--quiet",
        "--pools",
        "200",
        "--www",
        &www,
        "--connect-src",
        &slow.url,
    ];
    for list in &lists {
        flags.extend(["--connect-src", &list.api_url]);
    }
    let sandbox = Sandbox::start_release(&flags)?;
    let pools_apis = std::iter::once(format!("\"200\":\"{}\"", sandbox.api_url))
        .chain(
            LIST_POOLS
                .iter()
                .zip(&lists)
                .map(|(pools, list)| format!("\"{pools}\":\"{}\"", list.api_url)),
        )
        .collect::<Vec<_>>()
        .join(",");
    let bench_url = sandbox
        .demo_url
        .clone()
        .ok_or("the sandbox serves no demo origin")?;
    process::run(
        "run the benchmarks",
        command("node")
            .arg("tests/bench/run.mjs")
            .env("BENCH_COMMIT", measured_commit())
            .env("BENCH_URL", bench_url)
            .env("API_URL", &sandbox.api_url)
            .env("SLOW_API_URL", &slow.url)
            .env("POOLS_APIS", format!("{{{pools_apis}}}"))
            .env("PKG_DIR", root().join("pkg")),
    )
}

/// The commit the benchmark measures, as the report names it: `HEAD`'s short hash, and whether
/// the working tree had changes on top of it.
fn measured_commit() -> String {
    let git = |args: &[&str]| process::output("git", args).map(|out| out.trim().to_owned());
    match (
        git(&["rev-parse", "--short=10", "HEAD"]),
        git(&["status", "--porcelain"]),
    ) {
        (Some(head), Some(changes)) if changes.is_empty() => format!("commit {head}"),
        (Some(head), Some(_)) => format!("commit {head} with uncommitted changes"),
        _ => "an unknown commit (no git)".to_owned(),
    }
}

/// `docs/performance.md` links the committed benchmark run (`docs/bench.md`) instead of
/// pasting it, and that run names a commit of this repository (its first line:
/// `Measured <date> at commit <hash> …`).
pub fn check_committed_run() -> Result<String, String> {
    let run = process::read("docs/bench.md")?;
    let story = process::read("docs/performance.md")?;
    if !story.contains("](bench.md)") {
        return Err("docs/performance.md does not link bench.md".to_owned());
    }
    let measured = run.lines().next().unwrap_or_default();
    let commit = measured
        .split_once(" at commit ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .ok_or_else(|| format!("docs/bench.md names no commit: `{measured}`"))?;
    let object = format!("{commit}^{{commit}}");
    if process::output("git", &["cat-file", "-e", &object]).is_none() {
        return Err(format!(
            "docs/bench.md names commit {commit}, which this repository does not have"
        ));
    }
    Ok(measured.chars().take(60).collect::<String>() + "…")
}
