//! The npm README's table of options says each default; these are the crate's. A native test
//! (the constants are the same on every target), so it runs in `cargo test --workspace`.
#![cfg(not(target_arch = "wasm32"))]

use access_creator_api::{
    DEFAULT_BASE_URL, DEFAULT_EXPORT_TIMEOUT, DEFAULT_MAX_CSV_BYTES, DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT, MAX_CSV_BYTES_LIMIT,
};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/npm/README.md"))
        .expect("npm/README.md")
}

/// The "Default" cell of the option table's row for `option` where `scope`.
fn documented_default(option: &str, scope: &str) -> String {
    let readme = readme();
    let row = format!("| `{option}` | {scope} | ");
    let line = readme
        .lines()
        .find(|line| line.starts_with(&row))
        .unwrap_or_else(|| panic!("no row {row:?} in npm/README.md's Options"));
    line[row.len()..].split(" | ").next().unwrap().to_owned()
}

#[test]
fn the_options_table_says_the_crates_defaults() {
    let millis = |d: std::time::Duration| d.as_millis().to_string();
    assert_eq!(
        documented_default("baseUrl", "client"),
        format!("`{DEFAULT_BASE_URL}`")
    );
    assert_eq!(
        documented_default("timeoutMs", "client"),
        millis(DEFAULT_TIMEOUT)
    );
    assert_eq!(
        documented_default("maxRetries", "client"),
        format!("{DEFAULT_MAX_RETRIES} (at most 10)")
    );
    assert_eq!(
        documented_default("maxCsvBytes", "client"),
        format!(
            "{DEFAULT_MAX_CSV_BYTES} ({} MiB)",
            DEFAULT_MAX_CSV_BYTES >> 20
        )
    );
    assert_eq!(
        documented_default("timeoutMs", "export"),
        millis(DEFAULT_EXPORT_TIMEOUT)
    );
    assert_eq!(
        documented_default("pollIntervalMs", "export"),
        millis(DEFAULT_POLL_INTERVAL)
    );
    // The cap's own limit is in the row's meaning.
    assert!(readme().contains(&format!("At most {MAX_CSV_BYTES_LIMIT} (2^29 − 24")));
}
