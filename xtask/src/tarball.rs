//! Checks of the npm tarball `cargo xtask pack` writes: its file list, its metadata and
//! licences, and the package linters publint and `@arethetypeswrong/cli` (attw), installed by
//! the npm dev dependencies (`package.json`).

use std::fs;
use std::path::PathBuf;

use crate::expected::{self, Presence};
use crate::pack;
use crate::process::{self, command, root};

/// Every file the tarball holds, each once, and nothing else. The snippets are the JavaScript
/// modules of `src/` that wasm-bindgen copies into a folder named with a hash of the crate.
const FILES: [(&str, Presence); 15] = [
    ("package/CHANGELOG.md", Presence::Once),
    ("package/LICENSE-APACHE", Presence::Once),
    ("package/LICENSE-MIT", Presence::Once),
    ("package/README.md", Presence::Once),
    ("package/access_creator_api.d.ts", Presence::Once),
    ("package/access_creator_api.js", Presence::Once),
    ("package/access_creator_api_bg.wasm", Presence::Once),
    ("package/edge.js", Presence::Once),
    ("package/index.d.ts", Presence::Once),
    ("package/index.js", Presence::Once),
    ("package/node.js", Presence::Once),
    ("package/package.json", Presence::Once),
    (
        "package/snippets/access-creator-api-<hash>/src/error.js",
        Presence::Once,
    ),
    (
        "package/snippets/access-creator-api-<hash>/src/io.js",
        Presence::Once,
    ),
    (
        "package/snippets/access-creator-api-<hash>/src/json.js",
        Presence::Once,
    ),
];

/// Fields of package.json that would name a home the project does not have yet: a URL that is
/// not ours must not be published. Cargo.toml's equivalents are checked too.
const NO_HOME_YET: [&str; 3] = ["repository", "homepage", "bugs"];

/// The subpath export of the `.wasm` file, which attw cannot type (see [`attw`]).
const WASM_EXPORT: &str = "./access_creator_api_bg.wasm";

fn tarball() -> Result<PathBuf, String> {
    let tarball = pack::tarball()?;
    if tarball.exists() {
        Ok(tarball)
    } else {
        Err(format!(
            "{} is missing (cargo xtask pack)",
            tarball.display()
        ))
    }
}

/// The tarball's file list is [`FILES`].
pub fn check_files() -> Result<String, String> {
    let tarball = tarball()?;
    let listing = command("tar")
        .arg("-tzf")
        .arg(&tarball)
        .output()
        .map_err(|e| format!("tar: {e}"))?;
    if !listing.status.success() {
        return Err(format!("tar -tzf {} failed", tarball.display()));
    }
    let files: Vec<String> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    for file in &files {
        println!("  {file}");
    }
    expected::compare(&files, &FILES)
}

/// The tarball's package.json has the crate's name, version and licence and names no home; its
/// licence files and changelog are the repository's; Cargo.toml names no home either.
pub fn check_metadata() -> Result<String, String> {
    let tarball = tarball()?;
    let read = |name: &str| -> Result<String, String> {
        let out = command("tar")
            .arg("-xzOf")
            .arg(&tarball)
            .arg(format!("package/{name}"))
            .output()
            .map_err(|e| format!("tar: {e}"))?;
        if out.status.success() {
            String::from_utf8(out.stdout).map_err(|_| format!("package/{name} is not UTF-8"))
        } else {
            Err(format!("the tarball has no package/{name}"))
        }
    };
    let mut problems = Vec::new();
    let manifest = read("package.json")?;
    let fields = top_level_fields(&manifest);
    let field = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    for (key, want) in [
        ("name", pack::crate_name()?),
        ("version", pack::crate_version()?),
        ("license", pack::crate_license()?),
    ] {
        let want = format!("\"{want}\"");
        if field(key) != Some(want.as_str()) {
            problems.push(format!(
                "package.json {key} is {}, Cargo.toml's {want}",
                field(key).unwrap_or("missing")
            ));
        }
    }
    for key in NO_HOME_YET {
        if field(key).is_some() {
            problems.push(format!(
                "package.json has `{key}`, a home the project does not have yet"
            ));
        }
    }
    let cargo = fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("read Cargo.toml: {e}"))?;
    for line in cargo.lines().map(str::trim) {
        let key = line.split(['=', '.', ' ']).next().unwrap_or("");
        if ["repository", "homepage"].contains(&key) {
            problems.push(format!(
                "Cargo.toml has `{line}`, a home the project does not have yet"
            ));
        }
    }
    for name in pack::ROOT_FILES {
        let ours = process::read(name)?;
        if read(name)? != ours {
            problems.push(format!("package/{name} is not the repository's {name}"));
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "{} {}, {}, no repository or homepage; {} as in the repository",
            pack::crate_name()?,
            pack::crate_version()?,
            pack::crate_license()?,
            pack::ROOT_FILES.join(", ")
        ))
    } else {
        Err(problems.join("; "))
    }
}

/// `key` and raw value of each top-level field of a package.json laid out as `npm/package.json`
/// is (two spaces before each top-level key); a value that spans lines is given as `{` or `[`.
fn top_level_fields(manifest: &str) -> Vec<(String, String)> {
    manifest
        .lines()
        .filter_map(|line| line.strip_prefix("  \""))
        .filter_map(|rest| rest.split_once("\": "))
        .map(|(key, value)| (key.to_owned(), value.trim_end_matches(',').to_owned()))
        .collect()
}

/// publint on the tarball, at its strictest: any error, warning or suggestion fails.
pub fn publint() -> Result<String, String> {
    let step = "publint";
    let tarball = tarball()?;
    let (ok, output) = process::capture(
        step,
        command("node_modules/.bin/publint")
            .args(["run", "--strict", "--level", "suggestion"])
            .arg(&tarball),
    )?;
    if ok && output.contains("All good!") {
        Ok("all good, no suggestion".to_owned())
    } else {
        Err("publint has findings (above)".to_owned())
    }
}

/// attw on the tarball, every rule and every resolution mode, with two documented exceptions
/// (README, "The npm package"): the `.wasm` subpath export is a binary asset for `init()`, not a
/// module with types; and a `require` that resolves to ES modules (`cjs-resolves-to-esm`) is
/// how this ES-module-only package works (Node ≥ 20.19 requires ES modules; attw's TypeScript
/// 5.6 does not model that).
pub fn attw() -> Result<String, String> {
    let step = "attw";
    let tarball = tarball()?;
    let (ok, output) = process::capture(
        step,
        command("node_modules/.bin/attw")
            .arg(&tarball)
            .args(["--ignore-rules", "cjs-resolves-to-esm"])
            .args(["--exclude-entrypoints", WASM_EXPORT])
            .args(["--no-color", "--no-emoji"]),
    )?;
    let name = pack::crate_name()?;
    if !ok || !output.contains("No problems found") {
        Err("attw has findings (above)".to_owned())
    } else if !output.contains(&format!("\"{name}\"")) {
        Err(format!("attw did not check the entry point \"{name}\""))
    } else {
        Ok(format!(
            "no problems (ignoring cjs-resolves-to-esm; {WASM_EXPORT} excluded)"
        ))
    }
}
