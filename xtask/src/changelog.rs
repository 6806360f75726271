//! CHANGELOG.md in the Keep a Changelog format, whose newest version is the crate's (Cargo.toml
//! holds the version; the npm package gets it from there, see `pack`).

use std::fs;

use crate::pack::crate_version;
use crate::process::root;

/// The newest version CHANGELOG.md describes is Cargo.toml's.
pub fn check() -> Result<String, String> {
    let text = fs::read_to_string(root().join("CHANGELOG.md"))
        .map_err(|e| format!("read CHANGELOG.md: {e}"))?;
    let versions = versions(&text)?;
    let (newest, date) = versions.first().ok_or("CHANGELOG.md names no version")?;
    let version = crate_version()?;
    if *newest != version {
        return Err(format!(
            "CHANGELOG.md's newest version is {newest}, Cargo.toml's {version}"
        ));
    }
    Ok(format!(
        "{newest} ({date}), {} version(s) in all",
        versions.len()
    ))
}

/// The versions of a Keep a Changelog file, newest first, each with its date or `Unreleased`:
/// its `## [X.Y.Z] - YYYY-MM-DD` headings (a version not yet published says `Unreleased` instead
/// of a date). A `## [Unreleased]` section, for changes not in a version yet, is skipped; any
/// other `## ` heading is an error, as is a first line other than `# Changelog`.
fn versions(text: &str) -> Result<Vec<(String, String)>, String> {
    if text.lines().next() != Some("# Changelog") {
        return Err("CHANGELOG.md must start with `# Changelog`".to_owned());
    }
    let mut versions = Vec::new();
    for heading in text.lines().filter_map(|line| line.strip_prefix("## ")) {
        if heading == "[Unreleased]" {
            continue;
        }
        let parsed = heading
            .strip_prefix('[')
            .and_then(|rest| rest.split_once("] - "))
            .filter(|(version, date)| is_version(version) && is_date(date));
        let Some((version, date)) = parsed else {
            return Err(format!(
                "CHANGELOG.md: `## {heading}` is not `## [X.Y.Z] - YYYY-MM-DD` (or `- Unreleased`)"
            ));
        };
        versions.push((version.to_owned(), date.to_owned()));
    }
    Ok(versions)
}

/// `X.Y.Z`, optionally with a pre-release or build suffix (`1.0.0-rc.1`), as Cargo takes it.
fn is_version(text: &str) -> bool {
    let (core, suffix) = text
        .find(['-', '+'])
        .map_or((text, ""), |at| text.split_at(at));
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        && suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-+.".contains(&b))
}

fn is_date(text: &str) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        text.get(range)
            .is_some_and(|part| part.bytes().all(|b| b.is_ascii_digit()))
    };
    text == "Unreleased"
        || (text.len() == 10
            && digits(0..4)
            && &text[4..5] == "-"
            && digits(5..7)
            && &text[7..8] == "-"
            && digits(8..10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_version_first_unreleased_section_skipped() {
        let text = "# Changelog\n\n## [Unreleased]\n\n## [0.2.0-rc.1] - Unreleased\n\n### Added\n\n## [0.1.0] - 2026-01-31\n";
        assert_eq!(
            versions(text).unwrap(),
            [
                ("0.2.0-rc.1".to_owned(), "Unreleased".to_owned()),
                ("0.1.0".to_owned(), "2026-01-31".to_owned())
            ]
        );
    }

    #[test]
    fn other_headings_fail() {
        for heading in [
            "## 0.1.0",
            "## [0.1] - 2026-01-31",
            "## [0.1.0] - 31.01.2026",
            "## [0.1.0]",
            "## [0.1.0 beta] - Unreleased",
            "## Added",
        ] {
            assert!(
                versions(&format!("# Changelog\n\n{heading}\n")).is_err(),
                "{heading}"
            );
        }
        assert!(versions("# Changes\n\n## [0.1.0] - Unreleased\n").is_err());
    }
}
