//! Where the suite runs: the page, the worker or Node its entry file names, and the browser `cargo
//! xtask test` asked for.

use super::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = navigator)]
    static NAVIGATOR: JsValue;
    #[wasm_bindgen(thread_local_v2, js_namespace = globalThis, js_name = document)]
    static DOCUMENT: JsValue;
}

/// Where this suite runs: `node`, or the browser and the scope (`chrome`, `page`).
fn runtime() -> (&'static str, &'static str) {
    if node_timers().is_some() {
        return ("node", "node");
    }
    let agent = NAVIGATOR.with(|navigator| {
        Reflect::get(navigator, &"userAgent".into())
            .ok()
            .and_then(|agent| agent.as_string())
            .unwrap_or_default()
    });
    let browser = if agent.contains("Firefox/") {
        "firefox"
    } else if agent.contains("Chrome/") {
        "chrome"
    } else {
        "other"
    };
    let scope = if DOCUMENT.with(JsValue::is_undefined) {
        "worker"
    } else {
        "page"
    };
    (browser, scope)
}

/// The suite runs where its file says (a page, a worker, Node), and in the browser
/// `cargo xtask test` built it for (`ACCESS_API_EXPECT_BROWSER`), so a step that silently ran
/// elsewhere fails. Typed by hand, the suite checks the scope and says where it runs.
#[wasm_bindgen_test]
fn the_suite_runs_where_it_was_asked_to() {
    let (browser, scope) = runtime();
    wasm_bindgen_test::console_log!("access-creator-api wasm suite: {browser} {scope}");
    assert_eq!(
        scope,
        crate::SCOPE,
        "the suite ran in a {scope}, not a {}",
        crate::SCOPE
    );
    if let Some(expected) = option_env!("ACCESS_API_EXPECT_BROWSER").filter(|_| scope != "node") {
        assert_eq!(
            browser, expected,
            "the suite ran in {browser}, not {expected}"
        );
    }
}
