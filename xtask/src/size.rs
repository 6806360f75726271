//! The size budget of the shipped module: a byte count, so the `.wasm` cannot grow silently.
//! Lower it when the module shrinks; raise it only with a reason in the commit message.

use std::fs;

use crate::process::root;

/// The largest the release `.wasm` (after wasm-opt) may be, in bytes: measured 114,611 with
/// gloo-net 0.7, serde-wasm-bindgen 0.6.5 (patched: vendor/PATCHED.md), wasm-bindgen 0.2.130,
/// Rust 1.95 and binaryen 132, plus about 1%. Unpatched, serde-wasm-bindgen alone adds about
/// 33,000 (measured at commit d8c413c). Raised from 111,300 (110,153) for issue 26's `fetch`
/// option, `onEvent` steps and error `headers` (+4,458). From 99,900 (98,904 measured) for issue 23's
/// eleven calls, by `twiggy diff`: the one body the calls share (+4,331), an export shim per
/// call (about 420 each), the JSON request path (+911) and the field tables and messages
/// (about 2,100 of data). Before that, from 97,000 for issue 21's fences (Retry-After lists and
/// HTTP-dates +1,936, text-only cause copies +1,022, cleaned server messages +779).
pub const WASM_BUDGET_BYTES: u64 = 115_800;

/// Checks the built `pkg/access_creator_api_bg.wasm` against the budget.
pub fn check() -> Result<String, String> {
    let path = root().join("pkg/access_creator_api_bg.wasm");
    let bytes = fs::metadata(&path)
        .map_err(|e| format!("read {}: {e}", path.display()))?
        .len();
    let detail = format!("{bytes} bytes, budget {WASM_BUDGET_BYTES}");
    if bytes <= WASM_BUDGET_BYTES {
        Ok(detail)
    } else {
        Err(format!("{detail}: over by {}", bytes - WASM_BUDGET_BYTES))
    }
}
