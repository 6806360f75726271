//! The committed copy of the package's TypeScript declarations (`tests/access_creator_api.d.ts`), so a
//! change to the JS surface shows up in review instead of drifting silently. Only the public
//! surface is compared: the loader's `InitOutput` lists wasm-bindgen's internal exports, whose
//! names carry hashes that change with any code change.

use std::fs;
use std::path::PathBuf;

use crate::demo;
use crate::process::root;
use crate::tools;

fn generated() -> PathBuf {
    root().join("pkg/access_creator_api.d.ts")
}

fn committed() -> PathBuf {
    root().join("tests/access_creator_api.d.ts")
}

/// `cargo xtask types`: builds the package and writes its declarations to the committed copy.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(other) = args.first() {
        return Err(format!("types: unknown option `{other}`"));
    }
    tools::ensure_build_tools()?;
    demo::build_package()?;
    let built = public_surface(&read(generated())?);
    fs::write(committed(), built).map_err(|e| format!("write {}: {e}", committed().display()))?;
    println!("wrote {}", committed().display());
    Ok(())
}

/// Compares the built package's declarations with the committed copy; on a difference, returns
/// the first differing lines.
pub fn check() -> Result<String, String> {
    let (built, expected) = (public_surface(&read(generated())?), read(committed())?);
    if built == expected {
        return Ok(format!("{} lines identical", built.lines().count()));
    }
    let line = built
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| built.lines().count().min(expected.lines().count()));
    let show = |text: &str| text.lines().nth(line).unwrap_or("<end of file>").to_owned();
    println!(
        "the generated declarations differ from tests/access_creator_api.d.ts at line {}:\n  built:     {}\n  committed: {}\n\
         If the change is intended, run `cargo xtask types` and commit the result.",
        line + 1,
        show(&built),
        show(&expected)
    );
    Err(format!("differs at line {}", line + 1))
}

fn read(path: PathBuf) -> Result<String, String> {
    fs::read_to_string(&path).map_err(|e| format!("read {}: {e}", path.display()))
}

/// The declarations up to the loader's (`export type InitInput`), which are wasm-bindgen's.
fn public_surface(declarations: &str) -> String {
    let end = declarations
        .find("export type InitInput")
        .unwrap_or(declarations.len());
    format!("{}\n", declarations[..end].trim_end())
}
