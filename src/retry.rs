//! When to try again, and how long to wait first. Pure functions: no I/O, no clock of their own.

/// The first backoff step, in milliseconds.
const BASE_MS: f64 = 300.0;
/// No backoff step is longer than this, in milliseconds.
const CAP_MS: f64 = 5_000.0;
/// The longest `Retry-After` the client waits out by itself, in milliseconds. A longer one fails
/// the call with `rate_limited` and `retry_after_ms`, so the caller decides.
pub(crate) const MAX_RETRY_AFTER_MS: u64 = 10_000;

/// Which answers a `GET` is retried on: 429 and 5xx (network errors are retried too).
pub(crate) fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

/// The wait before retry number `retry` (0 for the first retry): exponential, capped, with
/// "equal jitter" (half fixed, half random) so that clients do not retry in lockstep.
/// `random` is uniform in `[0, 1)`.
pub(crate) fn backoff_ms(retry: u32, random: f64) -> u64 {
    let step = (BASE_MS * 2f64.powi(retry.min(16) as i32)).min(CAP_MS);
    (step / 2.0 + step / 2.0 * random.clamp(0.0, 1.0)) as u64
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP-date, relative to `now_ms` (Unix
/// epoch milliseconds). A date in the past means "now" (0).
pub(crate) fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .unwrap_or(u64::MAX / 1000)
                .saturating_mul(1000),
        );
    }
    let at_ms = http_date_ms(value)?;
    Some((at_ms - now_ms).max(0.0) as u64)
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the HTTP-date form servers send,
/// to Unix epoch milliseconds.
fn http_date_ms(value: &str) -> Option<f64> {
    let mut words = value.split_ascii_whitespace();
    let _weekday = words.next()?.strip_suffix(',')?;
    let day: i64 = words.next()?.parse().ok()?;
    let month_name = words.next()?;
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| *m == month_name)? as i64
        + 1;
    let year: i64 = words.next()?.parse().ok()?;
    let mut time = words.next()?.split(':').map(|t| t.parse::<i64>().ok());
    let (h, m, s) = (time.next()??, time.next()??, time.next()??);
    if words.next()? != "GMT" || words.next().is_some() || time.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + s) * 1_000) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn retry_after_seconds() {
        assert_eq!(retry_after_ms("1", 0.0), Some(1_000));
        assert_eq!(retry_after_ms(" 120 ", 0.0), Some(120_000));
        assert_eq!(retry_after_ms("0", 0.0), Some(0));
        assert_eq!(retry_after_ms("-1", 0.0), None);
        assert_eq!(retry_after_ms("1.5", 0.0), None);
        assert_eq!(retry_after_ms("", 0.0), None);
    }

    #[test]
    fn retry_after_http_date() {
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        let at = 784_111_777_000.0;
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", at - 3_000.0),
            Some(3_000)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", at + 9_000.0),
            Some(0)
        );
        assert_eq!(http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0.0));
        assert_eq!(
            http_date_ms("Sat, 29 Feb 2020 23:59:59 GMT"),
            Some(1_583_020_799_000.0)
        );
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 PST"), None);
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0, 0.0), 150);
        assert_eq!(backoff_ms(0, 1.0), 300);
        assert_eq!(backoff_ms(1, 1.0), 600);
        assert_eq!(backoff_ms(30, 1.0), 5_000);
        assert_eq!(backoff_ms(30, 0.0), 2_500);
    }

    #[test]
    fn retryable_statuses() {
        let retried: Vec<u16> = [400, 401, 403, 404, 418, 429, 500, 502, 503, 599]
            .into_iter()
            .filter(|&s| is_retryable_status(s))
            .collect();
        assert_eq!(retried, [429, 500, 502, 503, 599]);
    }

    proptest! {
        #[test]
        fn retry_after_never_panics(value in "\\PC{0,40}", now in 0f64..4e12) {
            let _ = retry_after_ms(&value, now);
        }

        #[test]
        fn backoff_stays_in_bounds(retry in 0u32..100, random in 0f64..1.0) {
            let ms = backoff_ms(retry, random);
            prop_assert!((150..=5_000).contains(&ms));
        }
    }
}
