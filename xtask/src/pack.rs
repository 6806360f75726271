//! `cargo xtask pack`: the npm package `access-creator-api`, as the tarball `npm pack` writes.
//!
//! wasm-pack builds the parts (`--target web`, release, so wasm-opt optimises the `.wasm`); the
//! rest is ours, from `npm/`: the published `package.json` (its version is Cargo.toml's), the
//! README for npm users, `node.js`, the entry the `exports` map gives Node, and `edge.js`, the
//! one it gives Cloudflare Workers and Vercel Edge (conditions `workerd` and `edge-light`); and
//! from the root, the changelog and both licence files, the same ones the crate ships. Node and
//! the edge runtimes load the same `.wasm` and the same JavaScript as browsers, so there is one
//! module and one `.d.ts`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::process::{self, command, root};
use crate::tools;

/// Where the tarball goes (and, in `package/`, what it is made from).
pub fn out_dir() -> PathBuf {
    root().join("target/pack")
}

/// The files of `npm/` copied into the package as they are.
const OUR_FILES: [&str; 3] = ["README.md", "node.js", "edge.js"];
/// The files of the repository's root copied into the package as they are (the crate ships
/// the same ones).
pub const ROOT_FILES: [&str; 3] = ["CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"];
/// What wasm-pack writes that the package does not ship.
const NOT_SHIPPED: [&str; 2] = [".gitignore", "access_creator_api_bg.wasm.d.ts"];

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("pack: unknown option `{other}`"));
    }
    tools::ensure_build_tools()?;
    let tarball = build()?;
    println!("\n{}", tarball.display());
    Ok(())
}

/// Builds the package into `target/pack/package/`, packs it into `target/pack/`, and returns the
/// tarball's path (`target/pack/access-creator-api-<version>.tgz`).
pub fn build() -> Result<PathBuf, String> {
    let step = "pack the npm package";
    let version = crate_version()?;
    let (out, staging) = (out_dir(), out_dir().join("package"));
    if !root().join("node_modules/.bin/wasm-opt").exists() {
        return Err(format!(
            "{step}: node_modules/.bin/wasm-opt is missing (the npm dev dependencies install it)"
        ));
    }
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("{step}: clear {}: {e}", out.display()))?;
    }
    println!("== building the npm package {version} (wasm-pack build --release --target web)");
    process::run(
        step,
        command("wasm-pack")
            .args([
                "build",
                "--release",
                "--target",
                "web",
                "--no-pack",
                "--out-dir",
            ])
            .arg(&staging),
    )?;
    for name in NOT_SHIPPED {
        let path = staging.join(name);
        if path.exists() {
            fs::remove_file(&path)
                .map_err(|e| format!("{step}: remove {}: {e}", path.display()))?;
        }
    }
    crate::entry::write(&staging)?;
    crate::minify::shipped_js(&staging)?;
    let npm = root().join("npm");
    for name in OUR_FILES {
        fs::copy(npm.join(name), staging.join(name))
            .map_err(|e| format!("{step}: copy npm/{name}: {e}"))?;
    }
    for name in ROOT_FILES {
        fs::copy(root().join(name), staging.join(name))
            .map_err(|e| format!("{step}: copy {name}: {e}"))?;
    }
    let manifest = read(&npm.join("package.json"))?;
    let placeholder = "\"version\": \"@VERSION@\"";
    if manifest.matches(placeholder).count() != 1 {
        return Err(format!(
            "{step}: npm/package.json must contain {placeholder} exactly once"
        ));
    }
    let manifest = manifest.replace(placeholder, &format!("\"version\": \"{version}\""));
    fs::write(staging.join("package.json"), manifest)
        .map_err(|e| format!("{step}: write package.json: {e}"))?;

    process::run(
        step,
        command("npm")
            .args(["pack", "--pack-destination"])
            .arg(&out)
            .current_dir(&staging),
    )?;
    let tarball = tarball()?;
    if tarball.exists() {
        Ok(tarball)
    } else {
        Err(format!(
            "{step}: npm pack did not write {}",
            tarball.display()
        ))
    }
}

/// Where `build` writes the tarball: `target/pack/<name>-<version>.tgz`, as `npm pack` names it.
pub fn tarball() -> Result<PathBuf, String> {
    Ok(out_dir().join(format!("{}-{}.tgz", crate_name()?, crate_version()?)))
}

/// The version of the crate (the `[package]` section of the root Cargo.toml).
pub fn crate_version() -> Result<String, String> {
    manifest_field("[package]", "version")
}

/// The name of the crate (the `[package]` section of the root Cargo.toml).
pub fn crate_name() -> Result<String, String> {
    manifest_field("[package]", "name")
}

/// The licence of the crate (the `[workspace.package]` section, which the crate inherits).
pub fn crate_license() -> Result<String, String> {
    manifest_field("[workspace.package]", "license")
}

/// A string `field = "…"` of `section` (`[package]`) in the root Cargo.toml.
fn manifest_field(section: &str, field: &str) -> Result<String, String> {
    let manifest = read(&root().join("Cargo.toml"))?;
    let mut in_section = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_section = line == section;
        } else if let Some(value) = in_section
            .then(|| line.strip_prefix(field))
            .flatten()
            .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            return Ok(value.trim().trim_matches('"').to_owned());
        }
    }
    Err(format!("Cargo.toml: no {field} in {section}"))
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("read {}: {e}", path.display()))
}
