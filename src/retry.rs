//! When to try again, and how long to wait first. Pure functions: no I/O, no clock of their own.

/// The first backoff step, in milliseconds.
const BASE_MS: f64 = 300.0;
/// No backoff step is longer than this, in milliseconds.
const CAP_MS: f64 = 5_000.0;
/// The longest `Retry-After` the client waits out by itself, in milliseconds. A longer one fails
/// the call with `rate_limited` and `Error::retry_after`, so the caller decides.
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

/// Polls of an export wait at least this long between two tries, in milliseconds.
const MIN_POLL_INTERVAL_MS: u64 = 250;
/// Polls of an export wait at most this long between two tries (or the first wait, if longer).
const MAX_POLL_INTERVAL_MS: u64 = 5_000;
/// Near an export's deadline, polls come at least this long before it.
const LAST_POLL_LEAD_MS: u64 = 500;

/// The waits between an export's polls: from the asked interval (at least the floor), growing
/// by half (and by at least 1 ms) up to 5 s, or the first wait if that is longer.
pub(crate) struct PollSchedule {
    interval: u64,
    ceiling: u64,
}

impl PollSchedule {
    pub(crate) fn new(asked_ms: u64) -> PollSchedule {
        let first = asked_ms.max(MIN_POLL_INTERVAL_MS);
        PollSchedule {
            interval: first,
            ceiling: first.max(MAX_POLL_INTERVAL_MS),
        }
    }

    /// The next wait, `remaining_ms` before the export's deadline, and the schedule moved on.
    /// Polls go on until the deadline, never giving up early: when the next wait would come
    /// too close to it, the last polls come at least `LAST_POLL_LEAD_MS` before it (and never
    /// closer together than the floor). A wait past the deadline ends with it.
    pub(crate) fn next_wait(&mut self, remaining_ms: u64) -> u64 {
        let wait = if self.interval + LAST_POLL_LEAD_MS < remaining_ms {
            self.interval
        } else {
            remaining_ms
                .saturating_sub(LAST_POLL_LEAD_MS)
                .max(MIN_POLL_INTERVAL_MS)
        };
        self.interval = (self.interval * 3 / 2)
            .max(self.interval + 1)
            .min(self.ceiling);
        wait
    }
}

/// The most commas of a `Retry-After` value that are looked at.
const MAX_LIST_COMMAS: usize = 8;

/// Parses a `Retry-After` header as `fetch` hands it over: its first valid value, relative to
/// `now_ms` (see [`one_retry_after_ms`]). A header the server sent twice reaches a client as
/// one value joined by commas (`"1, 1"`), and an HTTP-date holds a comma of its own
/// (`"Sun, 06 Nov 1994 08:49:37 GMT"`): the value is tried whole, then each run of its
/// comma-separated pieces in order, from the first piece on, so the first valid one wins.
pub(crate) fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    if let Some(ms) = one_retry_after_ms(value, now_ms) {
        return Some(ms);
    }
    let commas: Vec<usize> = value
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b',')
        .map(|(i, _)| i)
        .take(MAX_LIST_COMMAS)
        .collect();
    let starts = std::iter::once(0).chain(commas.iter().map(|&i| i + 1));
    for (n, start) in starts.enumerate() {
        for &end in commas.get(n..).unwrap_or_default() {
            if let Some(ms) = value
                .get(start..end)
                .and_then(|piece| one_retry_after_ms(piece, now_ms))
            {
                return Some(ms);
            }
        }
        if n > 0 {
            if let Some(ms) = value
                .get(start..)
                .and_then(|piece| one_retry_after_ms(piece, now_ms))
            {
                return Some(ms);
            }
        }
    }
    None
}

/// Parses one `Retry-After` value: delay-seconds or an HTTP-date, relative to `now_ms` (Unix
/// epoch milliseconds, the wall clock: an HTTP-date is a wall-clock time). A date in the past
/// means "now" (0). Never overflows: absurd values saturate, and the caller caps the wait.
fn one_retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
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
    Some((at_ms - now_ms).clamp(0.0, u64::MAX as f64) as u64)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Parses an HTTP-date to Unix epoch milliseconds, in the three forms RFC 9110 (5.6.7) requires
/// a recipient to accept:
///
/// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT` (what servers send);
/// - RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year is the nearest to 1970..2069);
/// - asctime: `Sun Nov  6 08:49:37 1994`.
///
/// Years outside 1 to 9999 are refused, so the arithmetic cannot overflow.
fn http_date_ms(value: &str) -> Option<f64> {
    let mut words = value.split_ascii_whitespace();
    let first = words.next()?;
    let (year, month, day, time) = if let Some(weekday) = first.strip_suffix(',') {
        if DAYS.contains(&weekday) {
            // IMF-fixdate: day month year time GMT
            let day = words.next()?;
            let month = words.next()?;
            let year = words.next()?;
            let time = words.next()?;
            if words.next()? != "GMT" || day.len() != 2 || year.len() != 4 {
                return None;
            }
            (number(year)?, month_number(month)?, number(day)?, time)
        } else if LONG_DAYS.contains(&weekday) {
            // RFC 850: dd-Mon-yy time GMT
            let mut date = words.next()?.split('-');
            let (day, month, year) = (date.next()?, date.next()?, date.next()?);
            let time = words.next()?;
            if date.next().is_some() || words.next()? != "GMT" || year.len() != 2 {
                return None;
            }
            // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
            let yy = number(year)?;
            let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
            (year, month_number(month)?, number(day)?, time)
        } else {
            return None;
        }
    } else if DAYS.contains(&first) {
        // asctime: Mon  d time yyyy
        let month = words.next()?;
        let day = words.next()?;
        let time = words.next()?;
        let year = words.next()?;
        (number(year)?, month_number(month)?, number(day)?, time)
    } else {
        return None;
    };
    if words.next().is_some() {
        return None;
    }
    let mut clock = time.split(':');
    let (h, m, s) = (
        number(clock.next()?)?,
        number(clock.next()?)?,
        number(clock.next()?)?,
    );
    if clock.next().is_some()
        || !(1..=9999).contains(&year)
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3_600 + m * 60 + s) * 1_000) as f64)
}

/// A short run of ASCII digits.
fn number(digits: &str) -> Option<i64> {
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn month_number(name: &str) -> Option<i64> {
    Some(MONTHS.iter().position(|m| *m == name)? as i64 + 1)
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
    }

    #[test]
    fn retry_after_accepts_the_three_http_date_forms() {
        let at = Some(784_111_777_000.0);
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), at);
        assert_eq!(http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), at);
        assert_eq!(http_date_ms("Sun Nov  6 08:49:37 1994"), at);
        assert_eq!(http_date_ms("Sun Nov 6 08:49:37 1994"), at);
        // RFC 850's two-digit years: 00-69 are 20xx.
        assert_eq!(
            http_date_ms("Wednesday, 01-Jan-31 00:00:00 GMT"),
            Some(1_924_992_000_000.0)
        );
        for bad in [
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun Nov  6 08:49 1994",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Funday, 06-Nov-94 08:49:37 GMT",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_header_sent_twice_gives_its_first_valid_value() {
        let date = "Sun, 06 Nov 1994 08:49:37 GMT";
        let at = 784_111_777_000.0;
        assert_eq!(retry_after_ms("1, 1", 0.0), Some(1_000));
        assert_eq!(retry_after_ms("2,5", 0.0), Some(2_000));
        assert_eq!(retry_after_ms("soon, 3", 0.0), Some(3_000));
        assert_eq!(retry_after_ms("soon, later, 4", 0.0), Some(4_000));
        assert_eq!(
            retry_after_ms(&format!("{date}, {date}"), at - 5_000.0),
            Some(5_000)
        );
        assert_eq!(
            retry_after_ms(&format!("{date}, 1"), at - 5_000.0),
            Some(5_000)
        );
        assert_eq!(
            retry_after_ms(&format!("x, {date}"), at - 6_000.0),
            Some(6_000)
        );
        assert_eq!(retry_after_ms("soon, later", 0.0), None);
        assert_eq!(retry_after_ms(",", 0.0), None);
        assert_eq!(retry_after_ms(&",".repeat(10_000), 0.0), None);
    }

    #[test]
    fn far_future_dates_and_huge_delays_saturate() {
        assert_eq!(
            retry_after_ms("Fri, 31 Dec 9999 23:59:59 GMT", 0.0),
            Some(253_402_300_799_000)
        );
        assert_eq!(http_date_ms("Sat, 01 Jan 10000 00:00:00 GMT"), None);
        // Once an overflow of the millisecond arithmetic (a panic in debug builds).
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 999999999999 08:49:37 GMT", 0.0),
            None
        );
        assert_eq!(
            retry_after_ms("99999999999999999999999999", 0.0),
            Some(u64::MAX / 1000 * 1000)
        );
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(0, 0.0), 150);
        assert_eq!(backoff_ms(0, 1.0), 300);
        assert_eq!(backoff_ms(1, 1.0), 600);
        assert_eq!(backoff_ms(30, 1.0), 5_000);
        assert_eq!(backoff_ms(30, 0.0), 2_500);
    }

    /// The waits of a schedule with all the time in the world.
    fn waits(asked_ms: u64, count: usize) -> Vec<u64> {
        let mut schedule = PollSchedule::new(asked_ms);
        (0..count).map(|_| schedule.next_wait(u64::MAX)).collect()
    }

    #[test]
    fn polls_start_at_the_floor_grow_by_half_and_stop_growing_at_5_s() {
        let expected = [250, 375, 562, 843, 1264, 1896, 2844, 4266, 5000, 5000];
        assert_eq!(waits(1, 10), expected);
        assert_eq!(waits(0, 10), expected);
        assert_eq!(waits(250, 10), expected);
        assert_eq!(waits(1000, 6), [1000, 1500, 2250, 3375, 5000, 5000]);
        // A first wait over 5 s is kept, and is the ceiling.
        assert_eq!(waits(8000, 3), [8000, 8000, 8000]);
    }

    #[test]
    fn the_last_polls_come_before_the_deadline_never_closer_than_the_floor() {
        let mut schedule = PollSchedule::new(1000);
        // Room for the whole wait and the lead: the wait as scheduled.
        assert_eq!(schedule.next_wait(10_000), 1000);
        // 1500 + 500 is not under 1800: poll 500 ms before the deadline instead.
        assert_eq!(schedule.next_wait(1800), 1300);
        // Less room than the lead: the floor, never 0 (the deadline then ends the wait).
        assert_eq!(schedule.next_wait(600), 250);
        assert_eq!(schedule.next_wait(0), 250);
    }

    proptest! {
        #[test]
        fn waits_stay_within_floor_and_ceiling_and_never_shrink_with_room(
            asked in 0u64..20_000,
            remaining in proptest::collection::vec(0u64..200_000, 1..30),
        ) {
            let mut schedule = PollSchedule::new(asked);
            let ceiling = asked.max(MAX_POLL_INTERVAL_MS);
            let mut last = 0;
            for room in remaining {
                let wait = schedule.next_wait(room);
                prop_assert!((MIN_POLL_INTERVAL_MS..=ceiling).contains(&wait), "{wait}");
                if wait + LAST_POLL_LEAD_MS < room {
                    // A full wait: no shorter than the one before it.
                    prop_assert!(wait >= last.min(ceiling), "{wait} after {last}");
                    last = wait;
                } else {
                    // Cut short: the poll comes at least the lead before the deadline, or at the floor.
                    prop_assert!(wait == MIN_POLL_INTERVAL_MS || wait + LAST_POLL_LEAD_MS <= room);
                }
            }
        }
    }

    #[test]
    fn retryable_statuses() {
        let retried: Vec<u16> = [400, 401, 403, 404, 418, 429, 500, 502, 503, 599]
            .into_iter()
            .filter(|&s| is_retryable_status(s))
            .collect();
        assert_eq!(retried, [429, 500, 502, 503, 599]);
    }

    /// The inverse of `days_from_civil` (Howard Hinnant's algorithm), for the property test.
    fn civil_from_days(z: i64) -> (i64, i64, i64) {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    proptest! {
        #[test]
        /// A `Retry-After` is understood only as delay-seconds (to the millisecond) or as an
        /// HTTP-date (never later than the date): anything else is `None`.
        fn retry_after_is_seconds_or_a_date(value in "\\PC{0,40}|[0-9]{1,25}", now in 0f64..4e12) {
            let trimmed = value.trim();
            match one_retry_after_ms(&value, now) {
                Some(ms) if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) => {
                    let seconds = trimmed.parse::<u64>().unwrap_or(u64::MAX / 1000);
                    prop_assert_eq!(ms, seconds.saturating_mul(1000));
                }
                Some(ms) => {
                    let at = http_date_ms(trimmed);
                    prop_assert!(at.is_some(), "{:?} was taken as a date", value);
                    prop_assert!(ms as f64 <= (at.unwrap() - now).max(0.0) + 1.0);
                }
                None => prop_assert!(http_date_ms(trimmed).is_none()),
            }
        }

        /// Any date in the three forms parses back to the moment it was made from, whatever
        /// its year (1 to 9999), and a delay relative to it is exact.
        #[test]
        fn every_form_of_every_date_parses_to_its_moment(
            days in 0i64..2_932_896, secs in 0i64..86_400, ahead in 0u64..100_000,
        ) {
            // Days from 0001-01-01 (-719_162 days from the epoch) to 9999-12-31.
            let epoch_days = days - 719_162;
            let (y, mo, d) = civil_from_days(epoch_days);
            let weekday = (epoch_days + 3).rem_euclid(7) as usize; // 1970-01-01 was a Thursday.
            let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            let ms = ((epoch_days * 86_400 + secs) * 1000) as f64;
            let month = MONTHS[mo as usize - 1];
            let imf = format!("{}, {d:02} {month} {y:04} {h:02}:{mi:02}:{s:02} GMT", DAYS[weekday]);
            prop_assert_eq!(http_date_ms(&imf), Some(ms), "{}", imf);
            let asctime = format!("{} {month} {d:2} {h:02}:{mi:02}:{s:02} {y:04}", DAYS[weekday]);
            prop_assert_eq!(http_date_ms(&asctime), Some(ms), "{}", asctime);
            if (1970..2070).contains(&y) {
                let rfc850 = format!("{}, {d:02}-{month}-{:02} {h:02}:{mi:02}:{s:02} GMT", LONG_DAYS[weekday], y % 100);
                prop_assert_eq!(http_date_ms(&rfc850), Some(ms), "{}", rfc850);
            }
            prop_assert_eq!(retry_after_ms(&imf, ms - ahead as f64), Some(ahead));
        }

        /// A list of values gives the first one that is valid on its own.
        #[test]
        fn a_list_gives_its_first_valid_value(
            values in proptest::collection::vec("[0-9]{1,4}|[a-z]{1,5}| ?[0-9]{1,3} ", 1..5),
        ) {
            let header = values.join(", ");
            let first = values.iter().find_map(|v| one_retry_after_ms(v, 0.0));
            prop_assert_eq!(retry_after_ms(&header, 0.0), first);
        }

        #[test]
        fn backoff_stays_in_bounds(retry in 0u32..100, random in 0f64..1.0) {
            let ms = backoff_ms(retry, random);
            prop_assert!((150..=5_000).contains(&ms));
        }
    }
}
