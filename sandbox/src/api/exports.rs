//! The CSV exports: `POST /file/{kind}` hands out a reference id, `GET /file/link/{id}` answers
//! 404 until the file is ready, then the CSV.
//!
//! As documented, `GET /file/link/{id}` answers 404 both while the file is being prepared and
//! when the id does not exist (or belongs to another account); the two are not told apart.
//! Exports are forgotten an hour after they were requested. A user without a pool may not
//! export (403: the sandbox's assumption of what the API does).

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use access_creator_api::ExportKind;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::stream;
use uuid::Uuid;

use crate::accounts::Account;
use crate::csv::{self, CsvSpec, DEFAULT_ROWS};
use crate::error::ApiError;
use crate::keys::Identity;

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
enum Lookup {
    /// Unknown id, another account's id, or not ready yet: all answered with the same 404.
    NotFound,
    /// Ready to download; the length is known once it has been computed.
    Ready {
        csv: CsvSpec,
        content_length: Option<u64>,
    },
}

/// The exports feature's state: every export requested since the sandbox started (minus expired
/// ones), and how long one takes unless the key says otherwise.
pub struct Exports {
    /// `--export-delay-ms`.
    delay: Duration,
    exports: Mutex<HashMap<Uuid, Export>>,
}

/// `POST /file/{kind}`: starts an export; answers its reference id as a JSON string.
pub async fn request(
    State(exports): State<Arc<Exports>>,
    kind: Result<Path<String>, PathRejection>,
    identity: Result<Identity, ApiError>,
) -> Result<Json<String>, ApiError> {
    let kind = kind
        .ok()
        .and_then(|Path(kind)| kind.parse::<ExportKind>().ok())
        .ok_or_else(|| {
            ApiError::not_found("no such export; the exports are emails, supporters and rewards")
        })?;
    let identity = identity?;
    if !identity.account.has_pool() {
        return Err(ApiError::forbidden("only pool owners can export"));
    }
    let settings = identity.exports;
    let id = exports.create(
        identity.account,
        kind,
        settings.delay.unwrap_or(exports.delay),
        settings.csv_rows.unwrap_or(DEFAULT_ROWS),
    );
    Ok(Json(id.to_string()))
}

/// `GET /file/link/{id}`: the CSV once ready; the same 404 while preparing and for ids that do
/// not exist or belong to another account.
pub async fn link(
    State(exports): State<Arc<Exports>>,
    identity: Identity,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = id.map(|Path(id)| id).unwrap_or_default();
    let Lookup::Ready {
        csv,
        content_length,
    } = exports.lookup(identity.account, &id)
    else {
        return Err(ApiError::not_found(
            "no file with this reference id is ready: it is still being prepared, or does not exist",
        ));
    };
    let length = match content_length {
        Some(length) => length,
        None => {
            // Generating a large file to measure it takes a moment: keep it off the async workers.
            let length = tokio::task::spawn_blocking(move || csv.content_length())
                .await
                .map_err(|_| ApiError::internal("could not prepare the file"))?;
            exports.set_content_length(&id, length);
            length
        }
    };
    let disposition = format!("attachment; filename=\"{}\"", csv::file_name(csv.kind));
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/csv; charset=utf-8"),
        ),
        (header::CONTENT_LENGTH, HeaderValue::from(length)),
        (
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&disposition).map_err(|_| ApiError::internal("bad file name"))?,
        ),
    ];
    let body = Body::from_stream(stream::iter(csv.chunks().map(Ok::<_, Infallible>)));
    Ok((headers, body).into_response())
}

impl Exports {
    /// No exports yet; each takes `delay` to become ready unless its key says otherwise.
    pub fn new(delay: Duration) -> Self {
        Exports {
            delay,
            exports: Mutex::default(),
        }
    }

    /// Records a new export of `owner` that becomes ready after `delay`; returns its reference id.
    fn create(&self, owner: Account, kind: ExportKind, delay: Duration, rows: u64) -> Uuid {
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
    fn lookup(&self, caller: Account, id: &str) -> Lookup {
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
    fn set_content_length(&self, id: &str, length: u64) {
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
    let kind = ExportKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64;
    0x5EED_0000 + account * 16 + kind
}
