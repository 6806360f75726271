//! The package's entry module, `index.js`: `npm/index.js` with the path wasm-bindgen gave the
//! error class's module (`snippets/access-creator-api-<hash>/src/error.js`, where the hash changes with
//! the build), and its types, `npm/index.d.ts`.

use std::fs;
use std::path::Path;

use crate::process::root;

/// What `npm/index.js` says where the error class's module goes.
const PLACEHOLDER: &str = "\"ERROR_MODULE\"";

/// Writes `index.js` and `index.d.ts` next to the generated `access_creator_api.js` in `dir`.
pub fn write(dir: &Path) -> Result<(), String> {
    let step = "write the package's entry (index.js)";
    let glue = fs::read_to_string(dir.join("access_creator_api.js"))
        .map_err(|e| format!("{step}: read access_creator_api.js: {e}"))?;
    let modules: Vec<&str> = glue
        .lines()
        .filter_map(|line| line.trim().strip_prefix("import "))
        .filter_map(|line| line.split_once(" from '").map(|(_, from)| from))
        .filter_map(|from| from.strip_suffix("';"))
        .filter(|path| path.starts_with("./snippets/") && path.ends_with("/src/error.js"))
        .collect();
    let [module] = modules.as_slice() else {
        return Err(format!(
            "{step}: access_creator_api.js imports the error class's module {} times, not once",
            modules.len()
        ));
    };
    let template = fs::read_to_string(root().join("npm/index.js"))
        .map_err(|e| format!("{step}: read npm/index.js: {e}"))?;
    if template.matches(PLACEHOLDER).count() != 1 {
        return Err(format!(
            "{step}: npm/index.js must contain {PLACEHOLDER} exactly once"
        ));
    }
    let entry = template.replace(PLACEHOLDER, &format!("\"{module}\""));
    fs::write(dir.join("index.js"), entry).map_err(|e| format!("{step}: {e}"))?;
    fs::copy(root().join("npm/index.d.ts"), dir.join("index.d.ts"))
        .map_err(|e| format!("{step}: copy npm/index.d.ts: {e}"))?;
    Ok(())
}
