//! Keeping keys out of everything the sandbox prints or returns.
//!
//! The sandbox never formats a received header into output (except the test-only
//! `echo_authorization` fault's answer, on purpose). The only request data that does
//! reach output is the path (in log lines) and parser messages (in 400 bodies of the control
//! API); both go through [`redact`], in case a client put a key where it does not belong.

use std::borrow::Cow;

/// Runs of token characters at least this long are treated as possible secrets.
const MIN_SECRET_LEN: usize = 24;

/// Replaces every run of at least 24 token characters (letters, digits, `-_.~+=`) with
/// `[redacted]`, except runs shaped like a UUID (reference ids and session ids are not secret).
///
/// A JWT, or any other long opaque key, is such a run; ordinary words, field names and
/// `/`-separated paths are not.
pub fn redact(text: &str) -> Cow<'_, str> {
    let is_token = |c: char| c.is_ascii_alphanumeric() || "-_.~+=".contains(c);
    let mut out = String::new();
    let mut copied = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_token(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !is_token(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        let run = &text[start..end];
        if run.len() >= MIN_SECRET_LEN && !looks_like_uuid(run) {
            out.push_str(&text[copied..start]);
            out.push_str("[redacted]");
            copied = end;
        }
    }
    if copied == 0 {
        Cow::Borrowed(text)
    } else {
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }
}

fn looks_like_uuid(run: &str) -> bool {
    run.len() == 36
        && run.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_long_tokens_only() {
        assert_eq!(redact("/user"), "/user");
        assert_eq!(
            redact("/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be"),
            "/file/link/5e491ab8-17f2-46ee-80d4-7eec9017f6be"
        );
        assert_eq!(
            redact("/file/link/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"),
            "/file/link/[redacted]"
        );
        assert_eq!(
            redact("unknown field `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`, expected `account`"),
            "unknown field `[redacted]`, expected `account`"
        );
        assert_eq!(
            redact("Zoë sk_live_0123456789abcdefghijkl!"),
            "Zoë [redacted]!"
        );
    }

    /// The runs of token characters of `text` that are at least 24 long and not a UUID.
    fn secret_like_runs(text: &str) -> Vec<&str> {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_.~+=".contains(c)))
            .filter(|run| run.len() >= super::MIN_SECRET_LEN && !super::looks_like_uuid(run))
            .collect()
    }

    proptest::proptest! {
        /// Nothing secret-like survives, and everything else is kept as it was.
        #[test]
        fn leaves_no_secret_like_run_and_keeps_the_rest(
            text in "([a-zA-Z0-9._~+=-]{0,40}[ /,:\"'é]{0,3}){0,6}"
        ) {
            let out = redact(&text);
            proptest::prop_assert!(secret_like_runs(&out).is_empty(), "{}", out);
            if secret_like_runs(&text).is_empty() {
                proptest::prop_assert_eq!(out.as_ref(), text.as_str());
            }
            let separators = |s: &str| -> String {
                s.replace("[redacted]", "")
                    .chars()
                    .filter(|c| !(c.is_ascii_alphanumeric() || "-_.~+=".contains(*c)))
                    .collect()
            };
            proptest::prop_assert_eq!(separators(&out), separators(&text));
        }
    }
}
