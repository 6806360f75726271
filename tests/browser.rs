//! The wasm suite in a browser page: `wasm-pack test --headless --chrome` (or `--firefox`), with
//! the sandbox running (`cargo xtask sandbox`). The same command runs `tests/worker.rs`.

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Where the cases must find themselves running.
const SCOPE: &str = "page";

mod cases;
