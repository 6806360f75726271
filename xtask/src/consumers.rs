//! The npm package in real consumers (`tests/consumers/`): a Vite app (in Chromium and in
//! Firefox), a webpack 5 app, the same server-side script in Node, Deno and Bun, a module Web
//! Worker, a TypeScript project, and the same edge function in Cloudflare's workerd and Vercel's
//! edge-runtime (bundled by esbuild as wrangler and Vercel do), each using the tarball `cargo
//! xtask pack` writes, installed in `tests/consumers/node_modules` (never a path into the source
//! tree). `run.mjs` there runs them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::pack;
use crate::process::{self, root};
use crate::sandbox::Sandbox;

/// The consumers, in the order `cargo xtask test` runs them: `run.mjs`'s name and the summary's.
pub const CONSUMERS: [(&str, &str); 10] = [
    ("vite", "consumer: Vite app in Chromium"),
    ("vite-firefox", "consumer: Vite app in Firefox"),
    ("webpack", "consumer: webpack 5 app in Chromium"),
    ("node", "consumer: Node ES-module script"),
    ("deno", "consumer: Deno script, npm: specifier"),
    ("bun", "consumer: Bun script"),
    ("worker", "consumer: Web Worker (Vite) in Chromium"),
    ("typescript", "consumer: TypeScript, tsc --strict"),
    ("workerd", "consumer: Cloudflare Worker in workerd"),
    ("edge", "consumer: Vercel Edge Function in edge-runtime"),
];

fn dir() -> PathBuf {
    root().join("tests/consumers")
}

/// Packs the package, installs the consumers' tools (`npm ci`, only when their lockfile changed
/// since the last install) and then the tarball itself. `Ok` is the detail for the summary.
pub fn prepare() -> Result<String, String> {
    let tarball = pack::build()?;
    npm_ci()?;
    let step = "install the tarball in tests/consumers";
    let installed = dir().join("node_modules/access-creator-api");
    if installed.exists() {
        fs::remove_dir_all(&installed).map_err(|e| format!("{step}: remove the old copy: {e}"))?;
    }
    process::run(
        step,
        process::command("npm")
            .args(["install", "--no-save", "--no-audit", "--no-fund"])
            .arg(&tarball)
            .current_dir(dir()),
    )?;
    // The copy the consumers use must be this build's.
    let wasm = |folder: &Path| fs::read(folder.join("access_creator_api_bg.wasm")).ok();
    match (wasm(&installed), wasm(&pack::out_dir().join("package"))) {
        (Some(used), Some(packed)) if used == packed => {}
        _ => {
            return Err(format!(
                "{step}: the installed .wasm is not the one just packed"
            ))
        }
    }
    let name = tarball.file_name().unwrap_or_default().to_string_lossy();
    Ok(format!("target/pack/{name} installed"))
}

/// The consumers' own dev dependencies (Vite, webpack, TypeScript, esbuild, edge-runtime, and
/// Deno, Bun and workerd, whose npm packages bring their binaries), from their lockfile.
fn npm_ci() -> Result<(), String> {
    let step = "consumers' npm dependencies (npm ci in tests/consumers: vite, webpack, typescript, deno, bun, workerd, edge-runtime, esbuild)";
    let lock = fs::read(dir().join("package-lock.json"))
        .map_err(|e| format!("{step}: reading package-lock.json: {e}"))?;
    let stamp = dir().join("node_modules/.xtask-installed-lock.json");
    if fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        println!("  [ok] {step}");
        return Ok(());
    }
    println!("  [install] {step}");
    process::run(
        step,
        process::command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir()),
    )?;
    fs::write(&stamp, lock).map_err(|e| format!("{step}: writing {}: {e}", stamp.display()))
}

/// The command running one consumer's tests against `sandbox`, as the creator demo account. The
/// key goes in the environment only, never on a command line or in output.
pub fn command(consumer: &str, sandbox: &Sandbox) -> Command {
    let key = sandbox
        .demo_keys
        .iter()
        .find(|k| k.note.starts_with("creator"))
        .map(|k| k.key.as_str())
        .unwrap_or_default();
    let mut command = process::command("node");
    command
        .args(["tests/consumers/run.mjs", consumer])
        .env("ACCESS_API_URL", &sandbox.api_url)
        .env("ACCESS_API_KEY", key);
    command
}
