//! `GET /stats/{kind}`: the past 30 days of one protocol statistic, `{"UntilDate", "Vals"}`.
//! No key needed.
//!
//! The sandbox's guesses, since the docs show neither the elements of `Vals` nor their order:
//! `Vals` holds 30 JSON integers, oldest first, the last being the day of `UntilDate`, which is
//! fixed (`2024-11-30T00:00:00Z`, a week before the docs' reference page was removed) so that
//! every answer is the same on every day. Stake kinds are amounts in base units: the
//! cumulative stake exceeds 2^53, and the daily `locked_delta` is sometimes negative (it is the
//! day's change of `cumulative_stake`; `postitive_stake`, spelled as documented, is the day's
//! new locks). An undocumented kind (`positive_stake` too) is `404 {"error":"not_found",...}`.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::json::answer;
use super::universe::{Rng, ACS};
use crate::error::ApiError;

/// The documented kinds, in the documented order.
pub const KINDS: [&str; 7] = [
    "postitive_stake",
    "active_users",
    "cumulative_stake",
    "locked_users",
    "locked_delta",
    "total_creators",
    "subscription",
];

/// The fixed `UntilDate`.
pub const UNTIL_DATE: &str = "2024-11-30T00:00:00Z";

/// How many days `Vals` holds.
pub const DAYS: usize = 30;

/// The cumulative stake the day before the first day: about 16.4 billion ACS, beyond 2^53 base
/// units.
const CUMULATIVE_BEFORE: i64 = 16_402_118_551_234_567;

/// Activity by weekday, in percent, starting with the first day's.
const WEEK: [i64; 7] = [104, 108, 106, 101, 90, 86, 100];

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Stats {
    until_date: &'static str,
    vals: Vec<i64>,
}

/// `GET /stats/{kind}`.
pub async fn stats(kind: Result<Path<String>, PathRejection>) -> Response {
    let index = kind
        .ok()
        .and_then(|Path(kind)| KINDS.iter().position(|k| *k == kind));
    match index {
        Some(index) => answer(&Stats {
            until_date: UNTIL_DATE,
            vals: series()[index].clone(),
        }),
        None => ApiError::not_found("no such stats kind").into_response(),
    }
}

/// Every kind's 30 values, in [`KINDS`] order, made together so that they agree.
pub fn series() -> [Vec<i64>; 7] {
    let mut rng = Rng(0x57A7_5000_2024_1130);
    let below = |rng: &mut Rng, n: u64| rng.below(n) as i64;
    let acs = ACS as i64;
    let mut all: [Vec<i64>; 7] = Default::default();
    let (mut cumulative, mut locked_users, mut creators) =
        (CUMULATIVE_BEFORE, 181_204i64, 1_402i64);
    for day in 0..DAYS {
        let week = WEEK[day % 7];
        let inflow =
            (20_000_000 + below(&mut rng, 30_000_000)) * week / 100 * acs + below(&mut rng, ACS);
        let outflow = (12_000_000 + below(&mut rng, 35_000_000)) * acs + below(&mut rng, ACS);
        let delta = inflow - outflow;
        cumulative += delta;
        locked_users += below(&mut rng, 160) - 30;
        creators += below(&mut rng, 4);
        let active = (19_500 + below(&mut rng, 4_000)) * week / 100;
        let subscriptions = (300 + below(&mut rng, 500)) * week / 100;
        for (series, value) in all.iter_mut().zip([
            inflow,
            active,
            cumulative,
            locked_users,
            delta,
            creators,
            subscriptions,
        ]) {
            series.push(value);
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_agree_and_are_plausible() {
        let [inflow, active, cumulative, users, delta, creators, subs] = series();
        assert!(cumulative.iter().all(|&c| c > 1 << 53));
        for day in 1..DAYS {
            assert_eq!(cumulative[day] - cumulative[day - 1], delta[day]);
            assert!(creators[day] >= creators[day - 1]);
        }
        assert!(delta.iter().any(|&d| d < 0) && delta.iter().any(|&d| d > 0));
        assert!(inflow.iter().zip(&delta).all(|(&i, &d)| i > 0 && i > d));
        assert!(active.iter().chain(&users).chain(&subs).all(|&v| v > 0));
        assert_eq!(series(), series());
    }
}
