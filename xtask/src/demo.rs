//! `cargo xtask demo`: build the package, start the sandbox API and serve the demo page.

use crate::entry;
use crate::process::{self, command, root};
use crate::sandbox::{self, Sandbox};
use crate::tools;

pub fn run(args: &[String]) -> Result<(), String> {
    let mut sandbox_args = vec![];
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            flag @ ("--api-port" | "--demo-port" | "--bind" | "--upstream" | "--connect-src"
            | "--public-host" | "--pools") => {
                let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
                sandbox_args.extend([flag.to_owned(), value.clone()]);
            }
            "--allow-remote" => sandbox_args.push(arg.clone()),
            other => {
                return Err(format!(
                    "demo: unknown option `{other}` (try --api-port, --demo-port, --bind, --upstream, --connect-src, --public-host, --pools, --allow-remote)"
                ))
            }
        }
    }
    tools::ensure_build_tools()?;
    build_package()?;
    sandbox::build()?;
    let args: Vec<&str> = sandbox_args.iter().map(String::as_str).collect();
    let sandbox = Sandbox::start(&args)?;
    println!();
    println!("  sandbox API: {}", sandbox.api_url);
    if let Some(demo) = &sandbox.demo_url {
        println!("  demo page:   {demo}    <- open this");
    }
    for demo_key in &sandbox.demo_keys {
        println!(
            "  demo key:    {}\n               ({})",
            demo_key.key, demo_key.note
        );
    }
    println!("\n  The demo keys work only with this sandbox. Press Ctrl-C to stop.");
    sandbox.wait()
}

/// Builds the npm package into `pkg/` (ES module for the web, optimised by wasm-opt), with its
/// entry, `pkg/index.js`, and its JavaScript without comments, as the tarball has it.
pub fn build_package() -> Result<(), String> {
    println!("== building the package (wasm-pack build --release --target web)");
    // wasm-pack leaves files of earlier builds (a renamed snippet) in place.
    let pkg = root().join("pkg");
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg).map_err(|e| format!("clear {}: {e}", pkg.display()))?;
    }
    process::run(
        "build the package",
        command("wasm-pack").args([
            "build",
            "--release",
            "--target",
            "web",
            "--out-dir",
            "pkg",
            "--no-pack",
        ]),
    )?;
    entry::write(&root().join("pkg"))?;
    crate::minify::shipped_js(&root().join("pkg"))
}
