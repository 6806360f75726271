//! The wasm suite in Node: `wasm-pack test --node`, with the sandbox running
//! (`cargo xtask sandbox`).

#![cfg(target_arch = "wasm32")]

/// Where the cases must find themselves running.
const SCOPE: &str = "node";

mod cases;
