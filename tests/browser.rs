//! The wasm suite in a browser: `wasm-pack test --headless --chrome` (or `--firefox`), with the
//! sandbox running (`cargo xtask sandbox`). `cargo xtask test` also runs it in a dedicated Web
//! Worker (`WASM_BINDGEN_USE_DEDICATED_WORKER=1`).

#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod cases;
