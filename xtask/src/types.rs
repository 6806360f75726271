//! The committed copy of the package's TypeScript declarations (`tests/access_creator_api.d.ts`), so a
//! change to the JS surface shows up in review instead of drifting silently. The whole file is
//! compared, the loader's `init`, `initSync`, `InitInput` and `InitOutput` included; only the
//! hashes wasm-bindgen puts in the names of its internal closure shims (which change with any
//! code change) are written as `h…`.

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

/// Compares what the package's entry exports at run time (`npm/index.js`) with what its
/// declarations say it exports (`npm/index.d.ts`, with the generated module's `export *`): a
/// value exported without a type, or typed but not exported, fails.
pub fn check_entry() -> Result<String, String> {
    let entry = read(root().join("npm/index.js"))?;
    let typed = read(root().join("npm/index.d.ts"))?;
    let generated = read(generated())?;
    let exported = value_exports(&entry);
    let mut declared = value_exports(&typed);
    if typed.contains("export * from \"./access_creator_api.js\"") {
        declared.extend(
            value_exports(&generated)
                .into_iter()
                .filter(|n| n != "default"),
        );
    }
    declared.sort();
    declared.dedup();
    if exported == declared {
        return Ok(format!(
            "{} values: {}",
            exported.len(),
            exported.join(", ")
        ));
    }
    let missing: Vec<_> = exported.iter().filter(|n| !declared.contains(n)).collect();
    let extra: Vec<_> = declared.iter().filter(|n| !exported.contains(n)).collect();
    Err(format!(
        "npm/index.js and npm/index.d.ts disagree: exported without a type {missing:?}, typed but not exported {extra:?}"
    ))
}

/// The names of the values (not types) a module or declaration file exports, sorted.
fn value_exports(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in source.lines().map(str::trim_start) {
        let Some(rest) = line.strip_prefix("export ") else {
            continue;
        };
        let rest = rest.strip_prefix("declare ").unwrap_or(rest);
        if let Some(list) = rest.strip_prefix('{') {
            let list = list.split('}').next().unwrap_or("");
            for item in list.split(',') {
                let name = item.split(" as ").last().unwrap_or("").trim();
                if !name.is_empty() && !name.starts_with("type ") {
                    names.push(name.to_owned());
                }
            }
            continue;
        }
        if rest.starts_with("default ") {
            names.push("default".to_owned());
            continue;
        }
        for keyword in ["async function ", "function ", "class ", "const ", "let "] {
            if let Some(after) = rest.strip_prefix(keyword) {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                    .collect();
                names.push(name);
                break;
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

fn read(path: PathBuf) -> Result<String, String> {
    fs::read_to_string(&path).map_err(|e| format!("read {}: {e}", path.display()))
}

/// The declarations with the hashes of wasm-bindgen's internal names (`…__invoke__h0123…`)
/// written as `h…`.
fn public_surface(declarations: &str) -> String {
    let mut out = String::with_capacity(declarations.len());
    let mut rest = declarations;
    while let Some(at) = rest.find("__h") {
        let (before, after) = rest.split_at(at + 3);
        let hash = after.bytes().take_while(u8::is_ascii_hexdigit).count();
        out.push_str(before);
        if hash == 16 {
            out.push('…');
            rest = &after[hash..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    format!("{}\n", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::{public_surface, value_exports};

    #[test]
    fn value_exports_are_read_from_modules_and_declarations() {
        let js = "export { A, B as C };\nexport default async function init() {}\nexport function f() {}\nexport class K {}\nconst x = 1;\n";
        assert_eq!(value_exports(js), ["A", "C", "K", "default", "f"]);
        let dts = "export * from \"./m.js\";\nexport { default } from \"./m.js\";\nexport declare class E {}\nexport interface O {}\nexport type T = 1;\nexport declare function g(): void;\n";
        assert_eq!(value_exports(dts), ["E", "default", "g"]);
    }

    #[test]
    fn only_internal_hashes_are_masked() {
        let text = "export function init(): void;\n    readonly a__invoke__h60702a48838d1764: (a: number) => void;\n    readonly b__hx: number;\n";
        assert_eq!(
            public_surface(text),
            "export function init(): void;\n    readonly a__invoke__h…: (a: number) => void;\n    readonly b__hx: number;\n"
        );
    }
}
