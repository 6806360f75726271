//! CSV exports: the reference ids handed out by `POST /file/{kind}` and what they lead to.
//!
//! As documented, `GET /file/link/{id}` answers 404 both while the file is being prepared and
//! when the id does not exist (or belongs to another account); the two are not told apart.
//! Exports are forgotten an hour after they were requested.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::accounts::Account;
use crate::csv::{CsvSpec, ExportKind};

/// How long an export stays downloadable.
const EXPORT_TTL: Duration = Duration::from_secs(3600);

struct Export {
    owner: Account,
    requested_at: Instant,
    ready_at: Instant,
    csv: CsvSpec,
    /// Filled in by the first download (computing it means generating the file once).
    content_length: Option<u64>,
}

/// What `GET /file/link/{id}` finds.
pub enum Lookup {
    /// Unknown id, another account's id, or not ready yet: all answered with the same 404.
    NotFound,
    /// Ready to download; the length is known once it has been computed.
    Ready {
        csv: CsvSpec,
        content_length: Option<u64>,
    },
}

/// All exports requested since the sandbox started (minus expired ones).
#[derive(Default)]
pub struct ExportStore {
    exports: Mutex<HashMap<Uuid, Export>>,
}

impl ExportStore {
    /// Records a new export of `owner` that becomes ready after `delay`; returns its reference id.
    pub fn create(&self, owner: Account, kind: ExportKind, delay: Duration, rows: u64) -> Uuid {
        let now = Instant::now();
        let id = Uuid::new_v4();
        let csv = CsvSpec {
            kind,
            rows,
            seed: seed(owner, kind),
            hostile: owner == Account::Hostile,
        };
        let mut exports = self.lock();
        exports.retain(|_, export| now.duration_since(export.requested_at) < EXPORT_TTL);
        exports.insert(
            id,
            Export {
                owner,
                requested_at: now,
                ready_at: now + delay,
                csv,
                content_length: None,
            },
        );
        id
    }

    /// Finds export `id` for `caller`.
    pub fn lookup(&self, caller: Account, id: &str) -> Lookup {
        let Ok(id) = Uuid::parse_str(id) else {
            return Lookup::NotFound;
        };
        let now = Instant::now();
        match self.lock().get(&id) {
            Some(export)
                if export.owner == caller
                    && now >= export.ready_at
                    && now.duration_since(export.requested_at) < EXPORT_TTL =>
            {
                Lookup::Ready {
                    csv: export.csv,
                    content_length: export.content_length,
                }
            }
            _ => Lookup::NotFound,
        }
    }

    /// Remembers the computed size of export `id`.
    pub fn set_content_length(&self, id: &str, length: u64) {
        if let Ok(id) = Uuid::parse_str(id) {
            if let Some(export) = self.lock().get_mut(&id) {
                export.content_length = Some(length);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Uuid, Export>> {
        self.exports.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The same account and kind always give the same file (for a given row count).
fn seed(owner: Account, kind: ExportKind) -> u64 {
    let account = Account::ALL.iter().position(|a| *a == owner).unwrap_or(0) as u64;
    let kind = kind as u64;
    0x5EED_0000 + account * 16 + kind
}
