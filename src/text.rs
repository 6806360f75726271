//! Small string helpers written out by hand: core's general versions (`[&str]::concat`,
//! `str::contains` with a `&str` pattern, `chars().count()`) bring searchers, counting and
//! panic-formatting code into the module that these short strings do not need.

/// The strings, one after the other.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Whether `needle` occurs in `haystack`: a plain byte search.
pub(crate) fn contains(haystack: &str, needle: &str) -> bool {
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cat_and_contains() {
        assert_eq!(cat(&["a", "", "bc", "d"]), "abcd");
        assert_eq!(cat(&[]), "");
        assert!(contains("Bearer abc", "abc"));
        assert!(contains("abc", ""));
        assert!(!contains("ab", "abc"));
        assert!(!contains("Bearer abd", "abc"));
    }
}
