//! A package's file list compared with the list of what it may hold, so that a stray file fails
//! a test as surely as a missing one.
//!
//! A pattern is a path in which `*` stands for one or more characters other than `/`, and
//! `<hash>` for the 16 lowercase hex digits wasm-bindgen names a crate's snippet folder with
//! (they change with the build, and every `<hash>` of a list must be the same).

/// How often a pattern's files may be in the package.
#[derive(Clone, Copy)]
pub enum Presence {
    /// Exactly one file.
    Once,
    /// One file or more.
    AtLeastOnce,
    /// None or one: a file the packaging tool adds only in some places.
    AtMostOnce,
}

/// Compares `files` with `expected`; `Ok` is a summary, `Err` names every stray and every
/// missing file.
pub fn compare(files: &[String], expected: &[(&str, Presence)]) -> Result<String, String> {
    let mut counts = vec![0usize; expected.len()];
    let mut stray = Vec::new();
    let mut hashes: Vec<&str> = Vec::new();
    for file in files {
        let found = expected.iter().enumerate().find_map(|(i, (pattern, _))| {
            let mut captured = Vec::new();
            matches(pattern, file, &mut captured).then_some((i, captured))
        });
        match found {
            Some((i, captured)) => {
                counts[i] += 1;
                hashes.extend(captured);
            }
            None => stray.push(file.as_str()),
        }
    }
    let mut problems = Vec::new();
    if !stray.is_empty() {
        problems.push(format!("not expected: {}", stray.join(", ")));
    }
    for ((pattern, presence), count) in expected.iter().zip(&counts) {
        let fits = match presence {
            Presence::Once => *count == 1,
            Presence::AtLeastOnce => *count >= 1,
            Presence::AtMostOnce => *count <= 1,
        };
        if !fits {
            problems.push(format!("{count} files match `{pattern}`"));
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    if hashes.len() > 1 {
        problems.push(format!("more than one snippet hash: {}", hashes.join(", ")));
    }
    if problems.is_empty() {
        Ok(format!("{} files, as expected", files.len()))
    } else {
        Err(problems.join("; "))
    }
}

const HASH: &str = "<hash>";
const HASH_LEN: usize = 16;

/// Whether `path` matches `pattern`; pushes what each `<hash>` stood for onto `hashes`.
fn matches<'a>(pattern: &str, path: &'a str, hashes: &mut Vec<&'a str>) -> bool {
    if let Some(rest) = pattern.strip_prefix(HASH) {
        let Some(hash) = path.get(..HASH_LEN) else {
            return false;
        };
        let hex = hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if hex && matches(rest, &path[HASH_LEN..], hashes) {
            hashes.push(hash);
            return true;
        }
        return false;
    }
    if let Some(rest) = pattern.strip_prefix('*') {
        for (i, c) in path.char_indices() {
            if c == '/' {
                break;
            }
            if matches(rest, &path[i + c.len_utf8()..], hashes) {
                return true;
            }
        }
        return false;
    }
    match (pattern.chars().next(), path.chars().next()) {
        (None, None) => true,
        (Some(p), Some(c)) if p == c => {
            matches(&pattern[p.len_utf8()..], &path[c.len_utf8()..], hashes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(files: &[&str]) -> Vec<String> {
        files.iter().map(|f| f.to_string()).collect()
    }

    const SNIPPETS: [(&str, Presence); 2] = [
        ("snippets/crate-<hash>/src/error.js", Presence::Once),
        ("snippets/crate-<hash>/src/io.js", Presence::Once),
    ];

    #[test]
    fn a_hash_is_sixteen_hex_digits_and_the_same_everywhere() {
        let snippets = |error: &str, io: &str| {
            list(&[
                &format!("snippets/crate-{error}/src/error.js"),
                &format!("snippets/crate-{io}/src/io.js"),
            ])
        };
        let hash = "597c9a032c321791";
        assert!(compare(&snippets(hash, hash), &SNIPPETS).is_ok());
        let two = compare(&snippets(hash, "0000000000000000"), &SNIPPETS);
        assert!(two.unwrap_err().contains("more than one snippet hash"));
        for bad in ["597c9a032c32179", "597C9A032C321791", "597c9a032c3217910"] {
            assert!(compare(&snippets(bad, hash), &SNIPPETS).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_stray_file_and_a_missing_one_both_fail() {
        let expected = [
            ("README.md", Presence::Once),
            ("src/*.rs", Presence::AtLeastOnce),
            (".cargo_vcs_info.json", Presence::AtMostOnce),
        ];
        assert!(compare(&list(&["README.md", "src/lib.rs"]), &expected).is_ok());
        assert!(compare(
            &list(&["README.md", "src/lib.rs", ".cargo_vcs_info.json"]),
            &expected
        )
        .is_ok());
        let stray = compare(&list(&["README.md", "src/lib.rs", "www/app.js"]), &expected);
        assert!(stray.unwrap_err().contains("not expected: www/app.js"));
        let missing = compare(&list(&["src/lib.rs"]), &expected);
        assert!(missing.unwrap_err().contains("0 files match `README.md`"));
        // `*` stays within one folder.
        let nested = compare(&list(&["README.md", "src/sub/mod.rs"]), &expected);
        assert!(nested.unwrap_err().contains("src/sub/mod.rs"));
        // `*` stands for one character at least.
        assert!(compare(&list(&["README.md", "src/.rs"]), &expected).is_err());
    }
}
