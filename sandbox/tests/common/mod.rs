//! Shared helpers: start the real `sandbox` binary, talk to it, parse CSV.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The strict CSV parser the sandbox's unit tests use too.
#[path = "../../src/rfc4180.rs"]
mod rfc4180;
#[allow(unused_imports)] // not every test file parses CSV
pub use rfc4180::parse as parse_csv;

/// The flags every test sandbox starts with.
pub const TEST_ARGS: &[&str] = &[
    "--api-port",
    "0",
    "--demo-port",
    "0",
    "--test-control",
    "--export-delay-ms",
    "300",
];

/// The documented example record.
pub const SAMPLE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/user.sample.json"
);

/// A running sandbox process; killed when dropped (also on panic).
pub struct Sandbox {
    child: Child,
    /// `http://127.0.0.1:<port>` of the API origin.
    pub api: String,
    /// `http://127.0.0.1:<port>` of the demo origin, if served.
    pub demo: Option<String>,
    /// The demo keys in start-line order: creator, user, hostile.
    pub demo_keys: Vec<String>,
    /// The start lines exactly as printed, without the final `sandbox ready`.
    pub start_lines: Vec<String>,
    stdout_rest: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    pub http: reqwest::Client,
}

impl Sandbox {
    /// Starts the sandbox with [`TEST_ARGS`].
    pub fn start() -> Self {
        Self::start_with(TEST_ARGS)
    }

    /// Starts the sandbox with `args` and waits for its start lines.
    pub fn start_with(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the sandbox binary");
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr_pipe = child.stderr.take().expect("stderr");
        let stdout_rest = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (lines_tx, lines_rx) = mpsc::channel();
        {
            let stdout_rest = stdout_rest.clone();
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if lines_tx.send(line.clone()).is_err() {
                        let mut rest = stdout_rest.lock().unwrap();
                        rest.push_str(&line);
                        rest.push('\n');
                    }
                }
            });
        }
        {
            let stderr = stderr.clone();
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = stderr_pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    stderr
                        .lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let mut start_lines = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines_rx.recv_timeout(left) {
                Ok(line) if line == "sandbox ready" => break,
                Ok(line) => start_lines.push(line),
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "sandbox did not print its start lines: {start_lines:?}\nstderr: {}",
                        stderr.lock().unwrap()
                    );
                }
            }
        }
        drop(lines_rx); // later stdout lines go to `stdout_rest`
        let value_of = |prefix: &str| {
            start_lines
                .iter()
                .find_map(|l| l.strip_prefix(prefix))
                .map(str::to_owned)
        };
        let api = value_of("sandbox api: ").expect("sandbox api line");
        let demo = value_of("demo page:   ");
        let demo_keys = start_lines
            .iter()
            .filter_map(|l| l.strip_prefix("demo key: "))
            .map(|rest| {
                rest.split_once("  (")
                    .expect("key then two spaces and a note")
                    .0
                    .to_owned()
            })
            .collect();
        Sandbox {
            child,
            api,
            demo,
            demo_keys,
            start_lines,
            stdout_rest,
            stderr,
            http: reqwest::Client::new(),
        }
    }

    /// The demo key of `account` (`"creator"`, `"user"` or `"hostile"`).
    pub fn key(&self, account: &str) -> &str {
        let index = ["creator", "user", "hostile"]
            .iter()
            .position(|a| *a == account)
            .expect("known account");
        &self.demo_keys[index]
    }

    /// `GET {api}{path}` with an optional bearer key.
    pub async fn get(&self, path: &str, key: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.api));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send().await.expect("GET")
    }

    /// `POST {api}{path}` with an optional bearer key and no body.
    pub async fn post(&self, path: &str, key: Option<&str>) -> reqwest::Response {
        let mut request = self
            .http
            .post(format!("{}{path}", self.api))
            .header("content-type", "application/json");
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        request.send().await.expect("POST")
    }

    /// `POST {api}{path}` with a JSON body, returning status and JSON answer.
    pub async fn post_json(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.api))
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON answer"))
    }

    /// A new test session for `account` (with optional extra fields); returns (key, session id).
    pub async fn session(&self, account: &str, extra: Value) -> (String, String) {
        let mut body = json!({ "account": account });
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        let (status, answer) = self.post_json("/__sandbox/keys", body).await;
        assert_eq!(status, 200, "{answer}");
        (
            answer["key"].as_str().unwrap().to_owned(),
            answer["session"].as_str().unwrap().to_owned(),
        )
    }

    /// Queues `faults` (a JSON array) for `session`.
    pub async fn faults(&self, session: &str, faults: Value) {
        let (status, answer) = self
            .post_json(
                "/__sandbox/faults",
                json!({ "session": session, "faults": faults }),
            )
            .await;
        assert_eq!(status, 200, "{answer}");
    }

    /// Asks to queue `fault` for `session` and checks that it is refused (400); the answer.
    pub async fn fault_refused(&self, session: &str, fault: Value) -> Value {
        let (status, answer) = self
            .post_json(
                "/__sandbox/faults",
                json!({ "session": session, "faults": [fault.clone()] }),
            )
            .await;
        assert_eq!(status, 400, "{fault} → {answer}");
        answer
    }

    /// The counters of `session`.
    pub async fn report(&self, session: &str) -> Value {
        let response = self
            .get(&format!("/__sandbox/sessions/{session}"), None)
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    /// Everything printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Everything printed on stdout after the start lines so far.
    pub fn stdout_rest(&self) -> String {
        self.stdout_rest.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits (at most 10 s) for the process to exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // Let the reader threads drain the pipes.
                thread::sleep(Duration::from_millis(100));
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "sandbox did not exit after SIGTERM"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The `access-control-allow-origin` of a response.
pub fn allow_origin(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}
