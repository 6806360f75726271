//! Checks of the crate as crates.io would get it: what `cargo package` puts in it (Cargo.toml's
//! `include`), and its documentation for the target it is made for.

use crate::expected::{self, Presence};
use crate::pack;
use crate::process::{self, command};

/// What the crate package holds: the library's source (its Rust, and the JavaScript and
/// TypeScript it embeds), the manifest and lockfile, README, changelog and both licences. The
/// sandbox, the demo page, the tests, xtask, the npm files and `vendor/` are not the crate's.
const FILES: [(&str, Presence); 13] = [
    // Written by cargo when it packages from a git checkout (not from a source archive).
    (".cargo_vcs_info.json", Presence::AtMostOnce),
    ("CHANGELOG.md", Presence::Once),
    ("Cargo.lock", Presence::Once),
    ("Cargo.toml", Presence::Once),
    ("Cargo.toml.orig", Presence::Once),
    ("LICENSE-APACHE", Presence::Once),
    ("LICENSE-MIT", Presence::Once),
    ("README.md", Presence::Once),
    ("src/lib.rs", Presence::Once),
    ("src/*.rs", Presence::AtLeastOnce),
    ("src/js/*.rs", Presence::AtLeastOnce),
    ("src/*.js", Presence::AtLeastOnce),
    ("src/*.d.ts", Presence::AtLeastOnce),
];

/// `cargo package --list` for the library crate is [`FILES`], and the package builds from those
/// files alone (`cargo package` unpacks it and builds it). `--allow-dirty`: what is on disk is
/// packaged, so a file not committed yet is checked too; `--no-metadata`: cargo's note that there
/// is no homepage or repository is known (there is none yet).
pub fn check_files() -> Result<String, String> {
    let step = "cargo package --list";
    let name = pack::crate_name()?;
    let out = command("cargo")
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--no-metadata",
            "-p",
            &name,
        ])
        .output()
        .map_err(|e| format!("{step}: {e}"))?;
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err(format!("{step} failed"));
    }
    let files: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    for file in &files {
        println!("  {file}");
    }
    let listed = expected::compare(&files, &FILES)?;
    process::run(
        "cargo package (build the packaged crate)",
        command("cargo").args(["package", "--allow-dirty", "--no-metadata", "-p", &name]),
    )?;
    Ok(format!("{listed}; the packaged crate builds"))
}

/// `cargo doc` of the library for `wasm32-unknown-unknown`, where every warning is an error.
pub fn check_docs() -> Result<String, String> {
    let step = "cargo doc for wasm32-unknown-unknown";
    let name = pack::crate_name()?;
    process::run(
        step,
        command("cargo")
            .args([
                "doc",
                "--no-deps",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                &name,
            ])
            .env("RUSTDOCFLAGS", "-D warnings"),
    )?;
    Ok(format!(
        "target/wasm32-unknown-unknown/doc/{}/index.html",
        name.replace('-', "_")
    ))
}
