//! The wasm suite in Node: `wasm-pack test --node`, with the sandbox running
//! (`cargo xtask sandbox`).

#![cfg(target_arch = "wasm32")]

mod cases;
