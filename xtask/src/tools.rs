//! Install steps. Each says what it installs, is skipped when the tool is already there at the
//! right version, and fails with a message that names the step.

use std::fs;

use crate::process::{self, command, output, root};

/// wasm-pack builds and tests the wasm package; this version is known to work here.
const WASM_PACK_VERSION: &str = "0.15.1";
/// geckodriver lets wasm-pack and the end-to-end tests drive Firefox.
const GECKODRIVER_VERSION: &str = "0.37.1";
/// Debian packages of the browsers and their drivers, with the binary each one provides.
const APT_PACKAGES: [(&str, &str); 4] = [
    ("chromium", "chromium"),
    ("chromium-driver", "chromedriver"),
    ("firefox-esr", "firefox-esr"),
    ("curl", "curl"),
];

/// What `cargo xtask demo` needs: the wasm target, wasm-bindgen, wasm-pack and wasm-opt.
pub fn ensure_build_tools() -> Result<(), String> {
    println!("== checking build tools");
    wasm_target()?;
    wasm_bindgen_cli()?;
    cargo_tool("wasm-pack", "wasm-pack", WASM_PACK_VERSION)?;
    npm_dev_dependencies()
}

/// What `cargo xtask test` needs on top: browsers, their drivers, and curl.
pub fn ensure_test_tools() -> Result<(), String> {
    ensure_build_tools()?;
    apt_packages()?;
    cargo_tool("geckodriver", "geckodriver", GECKODRIVER_VERSION)
}

fn skip(what: &str) {
    println!("  [ok] {what}");
}

fn install(what: &str) {
    println!("  [install] {what}");
}

fn wasm_target() -> Result<(), String> {
    let step = "wasm32-unknown-unknown target (rustup)";
    if output("rustup", &["target", "list", "--installed"])
        .is_some_and(|t| t.lines().any(|l| l.trim() == "wasm32-unknown-unknown"))
    {
        skip(step);
        return Ok(());
    }
    install(step);
    process::run(
        step,
        command("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

/// The wasm-bindgen version pinned in the root Cargo.toml (`wasm-bindgen = "=X"`).
pub fn pinned_wasm_bindgen() -> Result<String, String> {
    let manifest = fs::read_to_string(root().join("Cargo.toml"))
        .map_err(|e| format!("reading Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("wasm-bindgen = \"=")?
                .strip_suffix('"')
                .map(str::to_owned)
        })
        .ok_or_else(|| {
            "Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=X.Y.Z\")".to_owned()
        })
}

/// Where [`wasm_bindgen_cli`] installs: `target/tools/bin`, first on the `PATH` of every command
/// xtask runs ([`process::command`]), so wasm-pack finds this `wasm-bindgen` and runs the
/// `wasm-bindgen-test-runner` beside it.
pub const TOOLS_ROOT: &str = "target/tools";

/// The wasm-bindgen CLI of the pinned version, built with `vendor/tiny_http` (see
/// vendor/PATCHED.md): the test runner's HTTP server, unpatched, can leave a browser's connection
/// unanswered, and the page then never loads its modules (a Chrome suite that hangs until its
/// timeout). Installed into [`TOOLS_ROOT`], not over a `wasm-bindgen` the user may have; the
/// stamp beside it (version and patch) tells whether it is this build.
fn wasm_bindgen_cli() -> Result<(), String> {
    let version = pinned_wasm_bindgen()?;
    let step = format!("wasm-bindgen-cli {version}, with vendor/tiny_http (cargo install, ~3 min)");
    let patch = fs::read(root().join("vendor/tiny_http.patch"))
        .map_err(|e| format!("{step}: reading vendor/tiny_http.patch: {e}"))?;
    let stamp_text = [format!("wasm-bindgen-cli {version}\n").as_bytes(), &patch].concat();
    let tools = root().join(TOOLS_ROOT);
    let stamp = tools.join("stamp");
    if fs::read(&stamp).is_ok_and(|installed| installed == stamp_text)
        && tools.join("bin/wasm-bindgen-test-runner").exists()
    {
        skip(&step);
        return Ok(());
    }
    install(&step);
    let vendored = root().join("vendor/tiny_http");
    // Not `--locked`: the crates index mirror here lags behind the CLI's lockfile.
    process::run(
        &step,
        command("cargo")
            .args([
                "install",
                "wasm-bindgen-cli",
                "--version",
                &version,
                "--force",
            ])
            .arg("--root")
            .arg(&tools)
            .arg("--config")
            .arg(format!(
                "patch.crates-io.tiny_http.path={:?}",
                vendored.display().to_string()
            )),
    )?;
    fs::write(&stamp, stamp_text).map_err(|e| format!("{step}: writing {}: {e}", stamp.display()))
}

/// The version in a tool's `--version` output (`wasm-pack 0.15.1`, `geckodriver 0.37.1 (…)`).
fn installed_version(output: &str) -> Option<&str> {
    output.split_whitespace().nth(1)
}

fn cargo_tool(binary: &str, krate: &str, version: &str) -> Result<(), String> {
    let step = format!("{krate} {version} (cargo install, ~2 min)");
    let installed = output(binary, &["--version"]).unwrap_or_default();
    if installed_version(&installed) == Some(version) {
        skip(&step);
        return Ok(());
    }
    install(&step);
    process::run(
        &step,
        command("cargo").args(["install", krate, "--version", version, "--force"]),
    )
}

/// The npm dev dependencies (wasm-opt from `binaryen`, `playwright-core`, and the package
/// linters `publint` and `@arethetypeswrong/cli`), installed by `npm ci` whenever
/// package-lock.json differs from what was last installed.
fn npm_dev_dependencies() -> Result<(), String> {
    let step = "npm dev dependencies (npm ci: binaryen's wasm-opt, terser, playwright-core, publint, attw, and the bench's json-bigint and lossless-json)";
    let lock = fs::read(root().join("package-lock.json"))
        .map_err(|e| format!("{step}: reading package-lock.json: {e}"))?;
    let stamp = root().join("node_modules/.xtask-installed-lock.json");
    if fs::read(&stamp).is_ok_and(|installed| installed == lock)
        && root().join("node_modules/.bin/wasm-opt").exists()
    {
        skip(step);
        return Ok(());
    }
    install(step);
    process::run(step, command("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    fs::write(&stamp, lock).map_err(|e| format!("{step}: writing {}: {e}", stamp.display()))
}

fn apt_packages() -> Result<(), String> {
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .filter(|(_, binary)| output("sh", &["-c", &format!("command -v {binary}")]).is_none())
        .map(|(package, _)| *package)
        .collect();
    let step = format!(
        "Debian packages ({})",
        APT_PACKAGES.map(|(p, _)| p).join(", ")
    );
    if missing.is_empty() {
        skip(&step);
        return Ok(());
    }
    install(&format!("{step}: missing {}", missing.join(", ")));
    if output("id", &["-u"]).as_deref().map(str::trim) != Some("0") {
        return Err(format!(
            "{step}: installing needs root; run `sudo apt-get install -y {}`",
            missing.join(" ")
        ));
    }
    process::run(&step, command("apt-get").args(["update", "-q"]))?;
    process::run(
        &step,
        command("apt-get")
            .args(["install", "-y", "-q"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_from_what_the_tools_print() {
        for (printed, version) in [
            ("wasm-bindgen 0.2.130\n", Some("0.2.130")),
            ("wasm-pack 0.15.1\n", Some("0.15.1")),
            (
                "geckodriver 0.37.1 (b1a3bf0d0c94 2025-09-10 08:37 +0000)\n\nThe source code…",
                Some("0.37.1"),
            ),
            ("twiggy 0.8.0\n", Some("0.8.0")),
            // Not installed: nothing printed, so the step installs it.
            ("", None),
        ] {
            assert_eq!(installed_version(printed), version, "{printed:?}");
        }
    }

    #[test]
    fn a_failed_step_names_itself() {
        let error = process::run(
            "wasm-pack 0.15.1 (cargo install, ~2 min)",
            command("sh").args(["-c", "exit 3"]),
        )
        .unwrap_err();
        assert!(
            error.starts_with("wasm-pack 0.15.1 (cargo install, ~2 min): "),
            "{error}"
        );
        let error = process::run("a step", &mut command("no-such-program-here")).unwrap_err();
        assert!(error.starts_with("a step: could not start"), "{error}");
    }
}
