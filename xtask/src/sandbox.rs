//! Starting and stopping the sandbox API for the duration of a command, and `cargo xtask
//! sandbox`: the sandbox as the wasm tests expect it by default.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::process::{self, command, root};

/// A running sandbox, stopped when dropped.
pub struct Sandbox {
    child: Child,
    pub api_url: String,
    pub demo_url: Option<String>,
    /// The demo keys, each with the sandbox's note on its account.
    pub demo_keys: Vec<DemoKey>,
}

pub struct DemoKey {
    pub key: String,
    pub note: String,
}

/// Builds the sandbox binary (debug profile, shared with `cargo test`).
pub fn build() -> Result<(), String> {
    process::run(
        "build the sandbox",
        command("cargo").args(["build", "--quiet", "-p", "access-api-sandbox"]),
    )
}

/// Builds the sandbox with the release profile, for benchmarks (its own speed must not dominate).
pub fn build_release() -> Result<(), String> {
    process::run(
        "build the sandbox (release)",
        command("cargo").args(["build", "--quiet", "--release", "-p", "access-api-sandbox"]),
    )
}

/// The flags every test run of the sandbox has: test control on, exports ready after 0.4 s.
pub const TEST_FLAGS: [&str; 3] = ["--test-control", "--export-delay-ms", "400"];

/// `cargo xtask sandbox`: the sandbox on the loopback ports the wasm tests expect by default
/// (API `http://127.0.0.1:8081`, demo page `:8080`), with test control; runs until Ctrl-C.
/// `--pools N` is passed on (how many pools the API serves).
pub fn run(args: &[String]) -> Result<(), String> {
    let pools = match args {
        [] => None,
        [flag, n] if flag == "--pools" => Some(n.as_str()),
        [other, ..] => return Err(format!("sandbox: unknown option `{other}` (try --pools N)")),
    };
    build()?;
    let mut flags = vec!["--api-port", "8081", "--demo-port", "8080"];
    flags.extend(TEST_FLAGS);
    if let Some(pools) = pools {
        flags.extend(["--pools", pools]);
    }
    let sandbox = Sandbox::start(&flags)?;
    println!("  sandbox API: {} (test control on)", sandbox.api_url);
    if let Some(demo) = &sandbox.demo_url {
        println!("  demo page:   {demo}");
    }
    println!(
        "\nsandbox ready for the wasm tests: in another terminal, run\n  \
         wasm-pack test --headless --chrome   (or --firefox, or --node)\nCtrl-C stops it."
    );
    sandbox.wait()
}

impl Sandbox {
    /// Starts the built sandbox with `args` and waits until it prints its URLs and keys.
    pub fn start(args: &[&str]) -> Result<Sandbox, String> {
        Sandbox::start_profile("debug", args)
    }

    /// Starts the sandbox built with `build_release`.
    pub fn start_release(args: &[&str]) -> Result<Sandbox, String> {
        Sandbox::start_profile("release", args)
    }

    fn start_profile(profile: &str, args: &[&str]) -> Result<Sandbox, String> {
        let binary = root().join("target").join(profile).join("sandbox");
        let mut child = command(&binary.to_string_lossy())
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("start the sandbox: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let (mut api_url, mut demo_url, mut demo_keys) = (None, None, Vec::new());
        let serves_demo = !args.contains(&"--no-demo");
        for line in lines.by_ref() {
            let line = line.map_err(|e| format!("read the sandbox's output: {e}"))?;
            if let Some(url) = line.strip_prefix("sandbox api:") {
                api_url = Some(url.trim().to_owned());
            } else if let Some(url) = line.strip_prefix("demo page:") {
                demo_url = Some(url.trim().to_owned());
            } else if let Some(key) = line.strip_prefix("demo key:") {
                let (key, note) = key
                    .trim()
                    .split_once(char::is_whitespace)
                    .unwrap_or((key.trim(), ""));
                let note = note
                    .trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_owned();
                demo_keys.push(DemoKey {
                    key: key.to_owned(),
                    note,
                });
            } else if line == "sandbox ready" {
                break;
            } else {
                println!("{line}");
            }
        }
        // Keep echoing what the sandbox prints (request log lines) without blocking it.
        std::thread::spawn(move || {
            lines
                .map_while(Result::ok)
                .for_each(|line| println!("{line}"))
        });
        let Some(api_url) = api_url else {
            let _ = child.kill();
            return Err("start the sandbox: it exited before printing its URL".to_owned());
        };
        if demo_keys.len() < 2 || (serves_demo && demo_url.is_none()) {
            let _ = child.kill();
            return Err(
                "start the sandbox: it did not print its demo page and demo keys".to_owned(),
            );
        }
        Ok(Sandbox {
            child,
            api_url,
            demo_url,
            demo_keys,
        })
    }

    /// Waits until the sandbox exits (Ctrl-C reaches it with the terminal's process group).
    pub fn wait(mut self) -> Result<(), String> {
        self.child
            .wait()
            .map(|_| ())
            .map_err(|e| format!("sandbox: {e}"))
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
