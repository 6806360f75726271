//! The CSP violation reports the demo page's browser sent (with `--test-control`).

use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;

/// Most reports kept; later ones are dropped, so a page stuck in a loop of violations cannot
/// grow memory without bound.
pub const MAX_REPORTS: usize = 1000;

/// The received reports, oldest first.
#[derive(Default)]
pub struct CspReports {
    reports: Mutex<Vec<Value>>,
}

impl CspReports {
    /// Keeps `report`, unless [`MAX_REPORTS`] are kept already.
    pub fn push(&self, report: Value) {
        let mut reports = self.lock();
        if reports.len() < MAX_REPORTS {
            reports.push(report);
        }
    }

    /// The reports kept so far.
    pub fn list(&self) -> Vec<Value> {
        self.lock().clone()
    }

    /// Forgets every report; returns how many there were.
    pub fn clear(&self) -> usize {
        let mut reports = self.lock();
        let cleared = reports.len();
        reports.clear();
        cleared
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Value>> {
        self.reports.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
