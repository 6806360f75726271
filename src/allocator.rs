//! The wasm module's allocator: Talc, smaller and faster than the default dlmalloc (see its
//! WebAssembly benchmarks). Our allocations are few and short-lived; realloc-in-place is off
//! to save bytes.

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
