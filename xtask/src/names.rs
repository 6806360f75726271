//! One name everywhere: the crate (Cargo.toml), the npm package (npm/package.json), and every
//! `npm install` line of both READMEs, whose packed tarball, if they name one, is of the crate's
//! version.

use crate::pack::{crate_name, crate_version};
use crate::process::read;

/// Checks that the READMEs install the package that `npm/package.json` names, and that it is
/// the crate's name.
pub fn check() -> Result<String, String> {
    let manifest = read("npm/package.json")?;
    let npm_name = manifest
        .lines()
        .find_map(|line| line.trim().strip_prefix("\"name\": \""))
        .and_then(|rest| rest.strip_suffix("\","))
        .ok_or("npm/package.json has no \"name\"")?
        .to_owned();
    let crate_name = crate_name()?;
    let version = crate_version()?;
    if npm_name != crate_name {
        return Err(format!(
            "npm/package.json names `{npm_name}`, Cargo.toml `{crate_name}`"
        ));
    }
    let mut lines = 0;
    for readme in ["README.md", "npm/README.md"] {
        for line in read(readme)?.lines() {
            let Some((named, tarball_version)) = installed_package(line) else {
                continue;
            };
            if named != npm_name {
                return Err(format!(
                    "{readme}: `{}` does not install the package `{npm_name}`",
                    line.trim()
                ));
            }
            if tarball_version.is_some_and(|v| v != version) {
                return Err(format!(
                    "{readme}: `{}` installs a tarball of another version than {version}",
                    line.trim()
                ));
            }
            lines += 1;
        }
    }
    if lines == 0 {
        return Err("no README says `npm install` the package".to_owned());
    }
    Ok(format!(
        "`{npm_name}` {version} in Cargo.toml, npm/package.json and {lines} install lines"
    ))
}

/// The package a line's `npm install …` installs: its name, or the name and version in a packed
/// tarball's file name (`./target/pack/<name>-<version>.tgz`).
fn installed_package(line: &str) -> Option<(&str, Option<&str>)> {
    let rest = line.split("npm install ").nth(1)?;
    let installed = rest
        .split(|c: char| c.is_whitespace() || c == '`')
        .find(|word| !word.starts_with('-'))?;
    let file = installed.rsplit('/').next().unwrap_or(installed);
    Some(match file.strip_suffix(".tgz") {
        Some(stem) => stem
            .rsplit_once('-')
            .map_or((stem, None), |(name, version)| (name, Some(version))),
        None => (file, None),
    })
}

#[cfg(test)]
mod tests {
    use super::installed_package;

    #[test]
    fn install_lines_name_their_package() {
        assert_eq!(
            installed_package("npm install access-creator-api"),
            Some(("access-creator-api", None))
        );
        assert_eq!(
            installed_package(
                "To try it: `npm install ./target/pack/access-creator-api-0.1.0.tgz`."
            ),
            Some(("access-creator-api", Some("0.1.0")))
        );
        assert_eq!(
            installed_package("npm install --save-dev access-api"),
            Some(("access-api", None))
        );
        assert_eq!(installed_package("no install here"), None);
    }
}
