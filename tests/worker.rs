//! The wasm suite in a dedicated Web Worker: `wasm-pack test --headless --chrome` (or
//! `--firefox`) runs it beside `tests/browser.rs`, with the sandbox running (`cargo xtask
//! sandbox`).

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// Where the cases must find themselves running.
const SCOPE: &str = "worker";

mod cases;
