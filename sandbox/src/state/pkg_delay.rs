//! A delay of the demo origin's `/pkg/` answers (with `--test-control`), so a test can act on
//! the demo page before its module has loaded.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// How long the next `/pkg/` answers wait, and how many of them.
#[derive(Default)]
pub struct PkgDelay {
    next: Mutex<(Duration, u32)>,
}

impl PkgDelay {
    /// Delays the next `times` requests under `/pkg/` by `delay` (replacing any delay set).
    pub fn set(&self, delay: Duration, times: u32) {
        *self.next.lock().unwrap_or_else(PoisonError::into_inner) = (delay, times);
    }

    /// The delay of a request under `/pkg/` now arriving, if it is one of those delayed.
    pub fn take(&self) -> Option<Duration> {
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let (delay, times) = &mut *next;
        (*times > 0).then(|| {
            *times -= 1;
            *delay
        })
    }
}
