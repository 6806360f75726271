//! The untyped decoder (`src/json.js`'s `parseJson`, what `get()` and stats use) held to
//! `JSON.parse` on generated texts: the same value, except that integer literals beyond
//! ±(2^53 − 1) are exact `BigInt`s; and broken texts refused exactly where `JSON.parse` refuses
//! them (`json_texts.js` generates both).

use super::*;

#[wasm_bindgen(module = "/src/json.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseJson, catch)]
    fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/tests/cases/json_texts.js")]
extern "C" {
    fn differential(parse: &js_sys::Function, seed: u32, count: u32) -> String;
    #[wasm_bindgen(js_name = hardTexts)]
    fn hard_texts(parse: &js_sys::Function) -> String;
}

#[wasm_bindgen_test]
fn the_untyped_decoder_is_json_parse_with_exact_big_integers() {
    // The text stays a JS string: a Rust `String` would replace a lone surrogate.
    let parse = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|text: JsValue| {
        parse_json(&text)
    });
    for seed in 1..=5 {
        let report = differential(parse.as_ref().unchecked_ref(), seed, 2_000);
        assert!(report.starts_with("ok"), "{report}");
        if seed == 1 {
            wasm_bindgen_test::console_log!("{report}");
        }
    }
    assert_eq!(hard_texts(parse.as_ref().unchecked_ref()), "");
}
