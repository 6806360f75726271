//! `cargo xtask test`: install what is missing, then run every test and summarise.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::process::{command, root};
use crate::sandbox::{self, Sandbox};
use crate::{bench, changelog, consumers, crate_package, demo, names, size, tarball, tools, types};

/// One line of the closing summary.
struct Outcome {
    name: String,
    passed: bool,
    detail: String,
    seconds: f64,
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("test: unknown option `{other}`"));
    }
    let started = Instant::now();
    tools::ensure_test_tools()?;
    let mut outcomes = Vec::new();

    outcomes.push(step(
        "native: cargo test --workspace",
        command("cargo").args(["test", "--workspace"]),
    ));

    demo::build_package()?;
    outcomes.push(check(
        "types: built .d.ts = tests/access_creator_api.d.ts",
        types::check,
    ));
    outcomes.push(check(
        "types: npm/index.d.ts = what npm/index.js exports",
        types::check_entry,
    ));
    outcomes.push(check("size: release .wasm within its budget", size::check));
    outcomes.push(check("names: one package name everywhere", names::check));
    outcomes.push(check(
        "docs: docs/bench.md names a commit, linked",
        bench::check_committed_run,
    ));
    // The npm tarball (`cargo xtask pack`), installed where the consumers below use it.
    let packed = check("pack: npm tarball in tests/consumers", consumers::prepare);
    let run_consumers = packed.passed;
    outcomes.push(packed);
    outcomes.push(check(
        "package: tarball files = expected list",
        tarball::check_files,
    ));
    outcomes.push(check(
        "package: metadata and licences are true",
        tarball::check_metadata,
    ));
    outcomes.push(check("package: publint on the tarball", tarball::publint));
    outcomes.push(check("package: attw on the tarball", tarball::attw));
    outcomes.push(check(
        "crate: package = expected list, and builds",
        crate_package::check_files,
    ));
    outcomes.push(check(
        "crate: cargo doc for wasm32, no warnings",
        crate_package::check_docs,
    ));
    outcomes.push(check(
        "changelog: newest version = Cargo.toml's",
        changelog::check,
    ));

    sandbox::build()?;
    // A second sandbox stands in for the real API behind the demo server's proxy mode.
    let upstream = Sandbox::start(&["--api-port", "0", "--no-demo", "--quiet"])?;
    let mut flags = vec![
        "--api-port",
        "0",
        "--demo-port",
        "0",
        "--quiet",
        "--upstream",
        &upstream.api_url,
    ];
    flags.extend(sandbox::TEST_FLAGS);
    let sandbox = Sandbox::start(&flags)?;
    println!("== sandbox for the wasm tests: {}", sandbox.api_url);
    // The commands a user types (README, Tests), with this run's sandbox and the browser each
    // must run in (the suites check it, and check the scope their file names).
    let wasm = |name: &str, args: &[&str], browser: &str, suites: &'static [&'static str]| {
        let mut cmd = command("wasm-pack");
        cmd.arg("test")
            .args(args)
            .env("ACCESS_API_SANDBOX", &sandbox.api_url)
            .env("ACCESS_API_EXPECT_BROWSER", browser);
        step_expecting(name, &mut cmd, suites)
    };
    const BROWSER_SUITES: &[&str] = &["tests/browser.rs", "tests/worker.rs"];
    outcomes.push(wasm(
        "wasm: Chrome (page and dedicated worker)",
        &["--headless", "--chrome"],
        "chrome",
        BROWSER_SUITES,
    ));
    outcomes.push(wasm(
        "wasm: Firefox (page and dedicated worker)",
        &["--headless", "--firefox"],
        "firefox",
        BROWSER_SUITES,
    ));
    outcomes.push(check(
        "wasm: Node, no sandbox: one line, at once",
        without_sandbox,
    ));
    outcomes.push(wasm("wasm: Node", &["--node"], "node", &["tests/node.rs"]));
    let demo_url = sandbox.demo_url.clone().unwrap_or_default();
    for browser in ["chromium", "firefox"] {
        let mut cmd = command("node");
        cmd.args(["tests/e2e/run.mjs", browser])
            .env("DEMO_URL", &demo_url)
            .env("API_URL", &sandbox.api_url);
        outcomes.push(step(&format!("e2e: demo page in {browser}"), &mut cmd));
    }
    if run_consumers {
        for (consumer, name) in consumers::CONSUMERS {
            outcomes.push(step(name, &mut consumers::command(consumer, &sandbox)));
        }
    }
    drop(sandbox);
    drop(upstream);

    println!("\n== summary ({:.0} s)", started.elapsed().as_secs_f64());
    for outcome in &outcomes {
        let mark = if outcome.passed { "ok  " } else { "FAIL" };
        println!(
            "  {mark} {:<44} {:>6.1} s  {}",
            outcome.name, outcome.seconds, outcome.detail
        );
    }
    let (passed, failed): (Vec<_>, Vec<_>) = outcomes.iter().partition(|o| o.passed);
    println!("{} passed, {} failed", passed.len(), failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} test step(s) failed", failed.len()))
    }
}

/// Runs one test command, echoing its output and counting the tests it reports. A step fails
/// when the command fails, when any test fails, or when it ran no test at all (a test binary
/// that skips itself must not pass silently).
fn step(name: &str, command: &mut Command) -> Outcome {
    step_expecting(name, command, &[])
}

/// [`step`], which also fails when one of the test binaries `suites` (as cargo names them:
/// `Running tests/browser.rs (…)`) ran no test: tests counted for other binaries (doc-tests, a
/// skipped suite) do not keep a step green.
fn step_expecting(name: &str, command: &mut Command, suites: &[&str]) -> Outcome {
    println!("\n== {name}");
    let started = Instant::now();
    let result = (|| {
        // One pipe for both streams: cargo says which binary runs on stderr, the test
        // runners report on stdout.
        let (reader, writer) = std::io::pipe().map_err(|e| format!("pipe: {e}"))?;
        let writer_too = writer.try_clone().map_err(|e| format!("pipe: {e}"))?;
        let mut child = command
            .stdout(writer)
            .stderr(writer_too)
            .spawn()
            .map_err(|e| format!("could not start: {e}"))?;
        // The command keeps the write ends it was given until they are replaced: without this,
        // the pipe would never reach its end.
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let (mut passed, mut failed) = (0u64, 0u64);
        let mut binary = String::new();
        let mut per_suite = vec![0u64; suites.len()];
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            println!("{line}");
            let line = line.trim();
            if let Some(name) = cargo_binary(line) {
                binary = name.to_owned();
            } else if line.starts_with("Doc-tests ") {
                binary = "doc-tests".to_owned();
            } else if let Some(rest) = line.strip_prefix("test result: ") {
                passed += count(rest, "passed");
                failed += count(rest, "failed");
                if let Some(i) = suites.iter().position(|suite| *suite == binary) {
                    per_suite[i] += count(rest, "passed");
                }
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        let mut detail = format!("{passed} passed, {failed} failed");
        for (suite, n) in suites.iter().zip(&per_suite) {
            detail.push_str(&format!("; {suite}: {n}"));
        }
        if !status.success() || failed > 0 {
            Err(detail)
        } else if passed == 0 || per_suite.contains(&0) {
            Err(format!("ran no test ({detail})"))
        } else {
            Ok(detail)
        }
    })();
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(detail) => Outcome {
            name: name.to_owned(),
            passed: true,
            detail,
            seconds,
        },
        Err(detail) => Outcome {
            name: name.to_owned(),
            passed: false,
            detail,
            seconds,
        },
    }
}

/// Runs a check done in-process; `Ok` and `Err` carry the detail for the summary.
fn check(name: &str, check: impl FnOnce() -> Result<String, String>) -> Outcome {
    println!("\n== {name}");
    let started = Instant::now();
    let result = check();
    let seconds = started.elapsed().as_secs_f64();
    let passed = result.is_ok();
    let detail = result.unwrap_or_else(|e| e);
    Outcome {
        name: name.to_owned(),
        passed,
        detail,
        seconds,
    }
}

/// The line every case that needs a sandbox fails with when none answers.
const NO_SANDBOX_LINE: &str = "start it with `cargo xtask sandbox`";

/// `wasm-pack test --node`, as typed, with nothing listening at the sandbox's address (a port
/// bound and closed again): see [`judge_without_sandbox`].
fn without_sandbox() -> Result<String, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|e| format!("a free port: {e}"))?
        .port();
    let mut wasm_pack = command("wasm-pack");
    wasm_pack
        .args(["test", "--node"])
        .env("ACCESS_API_SANDBOX", format!("http://127.0.0.1:{port}"))
        .env("ACCESS_API_EXPECT_BROWSER", "node");
    // Both streams into one file, so cargo's `Running …` lines (stderr) stay in order with the
    // runner's results (stdout). Not a pipe: Node writes to a pipe asynchronously, and the
    // runner, exiting on failure, lost its last lines (the result line among them).
    let log = root().join("target/no-sandbox.log");
    let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let file_too = file
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    wasm_pack
        .stdout(file)
        .stderr(file_too)
        .status()
        .map_err(|e| format!("could not start wasm-pack: {e}"))?;
    let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    // The suite's own output says `test result: FAILED` (failing is what this step expects),
    // which a reader of a passing run must not mistake for a failure: it stays in its log.
    let judged = judge_without_sandbox(&text);
    println!(
        "  {} (the suite's output: {})",
        match &judged {
            Ok(detail) => format!("as expected: {detail}"),
            Err(why) => format!("NOT as expected: {why}"),
        },
        log.strip_prefix(root()).unwrap_or(&log).display()
    );
    judged
}

/// The Node suite's output without a sandbox is right when the cases that need none passed, and
/// every other one failed with the one line naming `cargo xtask sandbox` (no `unwrap_failed`
/// trace), all of them within a second each.
fn judge_without_sandbox(text: &str) -> Result<String, String> {
    let mut binary = "";
    let mut result = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = cargo_binary(line) {
            binary = name;
        } else if let Some(rest) = line.strip_prefix("test result: ") {
            if binary == "tests/node.rs" {
                result = Some(rest);
            }
        }
    }
    let result = result.ok_or("tests/node.rs reported no result")?;
    let (passed, failed) = (count(result, "passed"), count(result, "failed"));
    let seconds: f64 = result
        .rsplit_once("finished in ")
        .and_then(|(_, time)| time.trim_end_matches('s').parse().ok())
        .ok_or_else(|| format!("no time in `{result}`"))?;
    let failed_lines = text
        .lines()
        .filter(|l| l.trim_end().ends_with("... FAIL"))
        .count() as u64;
    let told = text.matches(NO_SANDBOX_LINE).count() as u64;
    let detail = format!(
        "{passed} passed without one; {failed} failed, {told} with the line, in {seconds:.2} s"
    );
    if passed == 0 || failed == 0 || failed_lines != failed {
        Err(format!("expected passes and failures: {detail}"))
    } else if told != failed || text.contains("unwrap_failed") {
        Err(format!("not every failure is the one line: {detail}"))
    } else if seconds >= failed as f64 {
        Err(format!("slower than a second a case: {detail}"))
    } else {
        Ok(detail)
    }
}

/// The test binary of cargo's `Running tests/browser.rs (target/…)` line; not of the
/// wasm-bindgen runner's own `Running headless tests in Chrome on …`.
fn cargo_binary(line: &str) -> Option<&str> {
    line.strip_prefix("Running ")
        .and_then(|running| running.split_once(" ("))
        .filter(|(_, artifact)| artifact.ends_with(')'))
        .map(|(name, _)| name)
}

/// The number before `word` in a `test result:` line ("ok. 12 passed; 0 failed; ...").
fn count(line: &str, word: &str) -> u64 {
    line.split(';')
        .find_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(word)
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run's output, cut down: cargo's lines, the runner's, the failures' messages.
    fn run(node_result: &str, failures: &[&str]) -> String {
        let mut text = String::from(
            "     Running tests/browser.rs (target/wasm32-unknown-unknown/debug/deps/browser-1.wasm)\n\
             test result: ok. 0 passed; 0 failed; finished in 0.01s\n\
             \x20    Running tests/node.rs (target/wasm32-unknown-unknown/debug/deps/node-1.wasm)\n\
             test cases::user::options_are_checked ... ok\n",
        );
        for (i, message) in failures.iter().enumerate() {
            text.push_str(&format!("test cases::user::case_{i} ... FAIL\n"));
            text.push_str(&format!(
                "    panicked at tests/cases/mod.rs:75:5:\n    {message}\n"
            ));
        }
        text + node_result + "\n"
    }

    #[test]
    fn without_a_sandbox_every_failure_must_be_the_one_line_and_fast() {
        let line = "no sandbox answers at http://127.0.0.1:1: start it with `cargo xtask sandbox` (see the README's Tests section)";
        let good = run(
            "test result: FAILED. 1 passed; 2 failed; 0 ignored; finished in 0.13s",
            &[line, line],
        );
        assert!(judge_without_sandbox(&good).is_ok(), "{good}");
        // A failure for another reason (an assertion after retries).
        let other = run(
            "test result: FAILED. 1 passed; 2 failed; finished in 0.13s",
            &[
                line,
                "assertion `left == right` failed\n  left: Network\n right: Unauthorized",
            ],
        );
        assert!(judge_without_sandbox(&other).is_err());
        // Slow: a case waited for its deadline.
        let slow = run(
            "test result: FAILED. 1 passed; 2 failed; finished in 31.00s",
            &[line, line],
        );
        assert!(judge_without_sandbox(&slow).is_err());
        // Everything passed (the suite did not look for a sandbox), or nothing did.
        assert!(judge_without_sandbox(&run(
            "test result: ok. 3 passed; 0 failed; finished in 0.1s",
            &[]
        ))
        .is_err());
        assert!(judge_without_sandbox(&run(
            "test result: FAILED. 0 passed; 2 failed; finished in 0.1s",
            &[line, line]
        ))
        .is_err());
        // The Node suite never ran.
        assert!(judge_without_sandbox("error: could not compile").is_err());
    }

    #[test]
    fn counts_come_from_either_runner_s_result_line() {
        let cargo = "ok. 36 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out";
        let wasm = "FAILED. 12 passed; 52 failed; 0 ignored; 0 filtered out; finished in 1.46s";
        assert_eq!((count(cargo, "passed"), count(cargo, "failed")), (36, 0));
        assert_eq!((count(wasm, "passed"), count(wasm, "failed")), (12, 52));
        assert_eq!(count("ok. 4 passed; 0 failed", "passed"), 4);
        assert_eq!(count("something else", "passed"), 0);
    }

    #[test]
    fn only_cargo_s_running_lines_name_a_binary() {
        assert_eq!(
            cargo_binary("Running tests/browser.rs (target/wasm32-unknown-unknown/debug/deps/browser-b4db.wasm)"),
            Some("tests/browser.rs")
        );
        assert_eq!(
            cargo_binary("Running unittests src/lib.rs (target/debug/deps/x-1)"),
            Some("unittests src/lib.rs")
        );
        assert_eq!(
            cargo_binary("Running headless tests in Chrome on `http://127.0.0.1:41701/`"),
            None
        );
        assert_eq!(cargo_binary("test result: ok. 1 passed"), None);
    }
}
