//! Test sessions: per-session request counters and fault queues; `POST /__sandbox/keys`, which
//! starts one, and `GET /__sandbox/sessions/{id}`, which reports on it.
//!
//! Browser and Node tests run against one shared sandbox, so everything a test changes is
//! scoped to a session. `POST /__sandbox/keys` creates a session and mints a key whose `sid`
//! claim names it (and whose claims carry the export settings the session asked for); only
//! requests made with that key, or under the session's base URL (`/__sandbox/s/{id}/...`, with
//! or without a key, [`super::prefix`]), are counted for the session and consume its faults. Preflight
//! (`OPTIONS`) requests carry no key, so they cannot be attributed: they are counted once,
//! globally ([`count_preflights`]), and reported as `preflights_all_sessions`.
//!
//! Everything is bounded: at most [`MAX_SESSIONS`] sessions (creating another forgets the
//! oldest), [`MAX_PENDING_FAULTS`] pending fault applications per session, and
//! [`MAX_COUNTED_NAMES`] distinct routes and header names counted per session (others are
//! counted under `"other"`).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::faults::Fault;
use super::json::parse;
use crate::accounts::Account;
use crate::error::ApiError;
use crate::keys::{self, ExportSettings, MAX_CSV_ROWS, MAX_EXPORT_DELAY_MS};

/// Most sessions kept; creating another forgets the oldest (its key is then refused).
pub const MAX_SESSIONS: usize = 2000;
/// Most fault applications pending per session (a fault with `times: 3` counts 3).
pub const MAX_PENDING_FAULTS: u64 = 1000;
/// Most distinct routes, and header names, counted per session.
pub const MAX_COUNTED_NAMES: usize = 64;

/// Most `bodies` entries kept per session (the latest).
pub const MAX_BODY_REPORTS: usize = 100;

/// What the sandbox wrote of a streamed fault body (`oversized`, `gzip`), recorded when it
/// stopped writing: the body ended, or the client went away and the connection failed.
#[derive(Debug, Clone, Serialize)]
pub struct BodyReport {
    /// The request, as in `requests` (`"GET /user"`).
    pub request: String,
    /// The fault's body kind: `"oversized"` or `"gzip"`.
    pub body: &'static str,
    /// The `Content-Length` announced, if any (for `gzip`, the compressed length).
    pub content_length: Option<u64>,
    /// The whole body's length as sent (for `gzip`, compressed).
    pub total: u64,
    /// How many body bytes the sandbox handed to the connection. The client has read fewer:
    /// what was written but not read still sat in socket buffers (a few MiB on loopback).
    pub written: u64,
    /// Whether the whole body was written.
    pub complete: bool,
}

/// Why [`Sessions::queue`] refused.
#[derive(Debug, PartialEq, Eq)]
pub enum QueueError {
    /// No session has this id.
    NoSuchSession,
    /// The session would have more than [`MAX_PENDING_FAULTS`] pending.
    TooManyPending,
}

/// The session a key names is not (or no longer) known.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownSession;

struct Session {
    /// Creation order, to forget the oldest session first.
    serial: u64,
    account: Account,
    faults: VecDeque<Queued>,
    requests: BTreeMap<String, u64>,
    header_names: BTreeMap<String, u64>,
    landing: LandingReport,
    bodies: VecDeque<BodyReport>,
}

struct Queued {
    fault: Fault,
    remaining: u32,
}

/// What `GET /__sandbox/sessions/{id}` answers.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The session id.
    pub session: String,
    /// The account the session's key belongs to.
    pub account: Account,
    /// Requests made with the session's key or under its base URL, by `"METHOD path"`
    /// ([`route_key`]: every `GET /file/link/{id}` counts as `"GET /file/link"`, every `GET
    /// /pool/<address>` as `"GET /pool/{address}"`). Faulted requests count too.
    pub requests: BTreeMap<String, u64>,
    /// The names (never the values) of the request headers those requests carried, each with
    /// the number of requests that carried it; lowercase. Shows, e.g., that a proxy in front
    /// forwarded no `cookie`, `origin` or `referer`.
    pub header_names: BTreeMap<String, u64>,
    /// Visits of the demo origin's landing page (the target of the `redirect` fault).
    pub landing: LandingReport,
    /// Fault applications still queued (a fault with `times: 3` counts 3).
    pub pending_faults: u64,
    /// What the sandbox wrote of each streamed fault body, oldest first (the latest 100).
    pub bodies: Vec<BodyReport>,
    /// CORS preflights answered since start, for all sessions together (they carry no key).
    pub preflights_all_sessions: u64,
}

/// Visits of `GET /__sandbox/landing?session=<id>`.
#[derive(Debug, Default, Clone, Copy, Serialize)]
pub struct LandingReport {
    /// How many requests reached the landing page.
    pub requests: u64,
    /// How many of them carried an `Authorization` header (a leaked key, after a cross-origin redirect).
    pub with_authorization: u64,
}

/// All test sessions.
#[derive(Default)]
pub struct Sessions {
    sessions: Mutex<HashMap<String, Session>>,
    created: AtomicU64,
    preflights: AtomicU64,
}

impl Sessions {
    /// Starts a session for `account`; returns its id. With [`MAX_SESSIONS`] sessions already,
    /// the oldest is forgotten.
    pub fn create(&self, account: Account) -> String {
        let id = Uuid::new_v4().to_string();
        let session = Session {
            serial: self.created.fetch_add(1, Ordering::Relaxed),
            account,
            faults: VecDeque::new(),
            requests: BTreeMap::new(),
            header_names: BTreeMap::new(),
            landing: LandingReport::default(),
            bodies: VecDeque::new(),
        };
        let mut sessions = self.lock();
        if sessions.len() >= MAX_SESSIONS {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, s)| s.serial)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                sessions.remove(&oldest);
            }
        }
        sessions.insert(id.clone(), session);
        id
    }

    /// Whether session `id` exists.
    pub fn exists(&self, id: &str) -> bool {
        self.lock().contains_key(id)
    }

    /// Appends `faults` to the queue of session `id`; returns the pending count.
    ///
    /// # Errors
    ///
    /// No such session, or more than [`MAX_PENDING_FAULTS`] would be pending (nothing is queued).
    pub fn queue(&self, id: &str, faults: Vec<Fault>) -> Result<u64, QueueError> {
        let mut sessions = self.lock();
        let session = sessions.get_mut(id).ok_or(QueueError::NoSuchSession)?;
        let adding: u64 = faults.iter().map(|f| u64::from(f.times)).sum();
        if pending(session) + adding > MAX_PENDING_FAULTS {
            return Err(QueueError::TooManyPending);
        }
        for fault in faults {
            let remaining = fault.times;
            session.faults.push_back(Queued { fault, remaining });
        }
        Ok(pending(session))
    }

    /// Counts a request of session `id` (and the names of its headers) and takes the first
    /// queued fault whose `path` prefix matches, if any.
    ///
    /// # Errors
    ///
    /// No session has this id (nothing is counted).
    pub fn on_request(
        &self,
        id: &str,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
    ) -> Result<Option<Fault>, UnknownSession> {
        let mut sessions = self.lock();
        let session = sessions.get_mut(id).ok_or(UnknownSession)?;
        count(&mut session.requests, route_key(method, path));
        for name in headers.keys() {
            count(&mut session.header_names, name.as_str().to_owned());
        }
        let Some(index) = session.faults.iter().position(|q| q.fault.matches(path)) else {
            return Ok(None);
        };
        let queued = &mut session.faults[index];
        queued.remaining = queued.remaining.saturating_sub(1);
        let fault = queued.fault.clone();
        if queued.remaining == 0 {
            session.faults.remove(index);
        }
        Ok(Some(fault))
    }

    /// Records a visit of the landing page for session `id`; `false` if there is no such session.
    pub fn on_landing(&self, id: &str, with_authorization: bool) -> bool {
        let mut sessions = self.lock();
        let Some(session) = sessions.get_mut(id) else {
            return false;
        };
        session.landing.requests += 1;
        session.landing.with_authorization += u64::from(with_authorization);
        true
    }

    /// Records what a streamed fault body of session `id` wrote.
    pub fn record_body(&self, id: &str, report: BodyReport) {
        if let Some(session) = self.lock().get_mut(id) {
            if session.bodies.len() >= MAX_BODY_REPORTS {
                session.bodies.pop_front();
            }
            session.bodies.push_back(report);
        }
    }

    /// Counts one CORS preflight.
    pub fn count_preflight(&self) {
        self.preflights.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters of session `id`.
    pub fn report(&self, id: &str) -> Option<Report> {
        let sessions = self.lock();
        let session = sessions.get(id)?;
        Some(Report {
            session: id.to_owned(),
            account: session.account,
            requests: session.requests.clone(),
            header_names: session.header_names.clone(),
            landing: session.landing,
            pending_faults: pending(session),
            bodies: session.bodies.iter().cloned().collect(),
            preflights_all_sessions: self.preflights.load(Ordering::Relaxed),
        })
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts `name`, or `"other"` once [`MAX_COUNTED_NAMES`] distinct names are counted.
fn count(counts: &mut BTreeMap<String, u64>, name: String) {
    let name = if counts.contains_key(&name) || counts.len() < MAX_COUNTED_NAMES {
        name
    } else {
        "other".to_owned()
    };
    *counts.entry(name).or_default() += 1;
}

fn pending(session: &Session) -> u64 {
    session.faults.iter().map(|q| u64::from(q.remaining)).sum()
}

/// `"GET /user"`, `"POST /file/emails"`, `"GET /file/link"` (the id left out), `"GET
/// /pool/{address}"`, `"GET /user/{address}/pools"` and `"GET /user/{address}/pools/forever"`
/// (whatever the address), `"GET /pools"`, `"GET /stats/active_users"`, ...
pub fn route_key(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let path = match segments.as_slice() {
        ["", "file", "link", _, ..] => "/file/link",
        ["", "pool", address] if !address.is_empty() => "/pool/{address}",
        ["", "user", address, "pools"] if !address.is_empty() => "/user/{address}/pools",
        ["", "user", address, "pools", "forever"] if !address.is_empty() => {
            "/user/{address}/pools/forever"
        }
        _ => path,
    };
    format!("{method} {}", crate::redact::redact(path))
}

/// Middleware outside a CORS layer: counts preflights (which the layer answers itself).
pub async fn count_preflights(
    State(sessions): State<Arc<Sessions>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
    {
        sessions.count_preflight();
    }
    next.run(request).await
}

/// The body of `POST /__sandbox/keys`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRequest {
    account: Account,
    #[serde(default)]
    export_delay_ms: Option<u64>,
    #[serde(default)]
    csv_rows: Option<u64>,
}

/// The answer of `POST /__sandbox/keys`.
#[derive(Serialize)]
pub struct KeyResponse {
    key: String,
    session: String,
}

/// `POST /__sandbox/keys` `{"account", "export_delay_ms"?, "csv_rows"?}`: a new test session
/// and a key for it, whose claims carry the export settings asked for.
pub async fn mint_key(
    State(sessions): State<Arc<Sessions>>,
    body: Bytes,
) -> Result<Json<KeyResponse>, ApiError> {
    let request: KeyRequest = parse(&body)?;
    if request.csv_rows.is_some_and(|rows| rows > MAX_CSV_ROWS) {
        return Err(ApiError::bad_request(format!(
            "`csv_rows` may be at most {MAX_CSV_ROWS}"
        )));
    }
    if request
        .export_delay_ms
        .is_some_and(|ms| ms > MAX_EXPORT_DELAY_MS)
    {
        return Err(ApiError::bad_request(format!(
            "`export_delay_ms` may be at most {MAX_EXPORT_DELAY_MS}"
        )));
    }
    let exports = ExportSettings {
        delay: request.export_delay_ms.map(Duration::from_millis),
        csv_rows: request.csv_rows,
    };
    let session = sessions.create(request.account);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(keys::DEMO_KEY_ISSUED_AT);
    let key = keys::session_key(request.account, &session, exports, now)
        .map_err(|_| ApiError::internal("could not sign the key"))?;
    Ok(Json(KeyResponse { key, session }))
}

/// `GET /__sandbox/sessions/{id}`: what the session's requests were.
pub async fn report(
    State(sessions): State<Arc<Sessions>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Report>, ApiError> {
    id.ok()
        .and_then(|Path(id)| sessions.report(&id))
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such test session"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::faults::Answer;

    fn fault(json: &str) -> Fault {
        serde_json::from_str(json).unwrap()
    }

    /// The status of a `status` fault taken by a request.
    fn status(taken: Result<Option<Fault>, UnknownSession>) -> Option<u16> {
        match taken.unwrap()?.answer {
            Answer::Status { status, .. } => Some(status.as_u16()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn faults_are_consumed_by_matching_requests_of_their_session_only() {
        let sessions = Sessions::default();
        let none = HeaderMap::new();
        let a = sessions.create(Account::Creator);
        let b = sessions.create(Account::Creator);
        let queued = sessions.queue(
            &a,
            vec![
                fault(r#"{"path":"/file/link","status":503,"times":2}"#),
                fault(r#"{"status":500}"#),
            ],
        );
        assert_eq!(queued, Ok(3));
        assert_eq!(
            status(sessions.on_request(&b, &Method::GET, "/user", &none)),
            None
        );
        assert_eq!(
            status(sessions.on_request(&a, &Method::GET, "/file/link/x", &none)),
            Some(503)
        );
        assert_eq!(
            status(sessions.on_request(&a, &Method::GET, "/user", &none)),
            Some(500)
        );
        assert_eq!(
            status(sessions.on_request(&a, &Method::GET, "/file/link/y", &none)),
            Some(503)
        );
        assert_eq!(
            status(sessions.on_request(&a, &Method::GET, "/file/link/z", &none)),
            None
        );
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer x".parse().unwrap());
        headers.insert("cookie", "a=b".parse().unwrap());
        assert_eq!(
            status(sessions.on_request(&b, &Method::GET, "/user", &headers)),
            None
        );
        assert_eq!(
            sessions.report(&b).unwrap().header_names,
            BTreeMap::from([("authorization".to_owned(), 1), ("cookie".to_owned(), 1)])
        );
        let report = sessions.report(&a).unwrap();
        assert!(report.header_names.is_empty());
        assert_eq!(report.requests["GET /file/link"], 3);
        assert_eq!(report.requests["GET /user"], 1);
        assert_eq!(report.pending_faults, 0);
        for (path, key) in [
            ("/pools", "GET /pools"),
            (
                "/pool/Borqy3dEjw9az7Uj9nW69A9ZDansFGHWEggUx7tkv44f",
                "GET /pool/{address}",
            ),
            ("/user/x/pools", "GET /user/{address}/pools"),
            ("/user/x/pools/forever", "GET /user/{address}/pools/forever"),
            ("/user//pools", "GET /user//pools"),
            ("/pool/a/b", "GET /pool/a/b"),
            ("/stats/active_users", "GET /stats/active_users"),
            ("/file/link/abc", "GET /file/link"),
        ] {
            assert_eq!(route_key(&Method::GET, path), key);
        }
        assert_eq!(
            sessions
                .on_request("nope", &Method::GET, "/user", &none)
                .map(|_| ()),
            Err(UnknownSession)
        );
    }

    #[test]
    fn sessions_queues_and_counters_are_bounded() {
        let sessions = Sessions::default();
        let first = sessions.create(Account::Creator);
        let second = sessions.create(Account::Creator);
        for _ in 2..MAX_SESSIONS {
            sessions.create(Account::User);
        }
        assert!(sessions.exists(&first) && sessions.exists(&second));
        let newest = sessions.create(Account::User);
        assert!(!sessions.exists(&first), "the oldest is forgotten");
        assert!(sessions.exists(&second) && sessions.exists(&newest));
        assert_eq!(sessions.lock().len(), MAX_SESSIONS);

        assert_eq!(
            sessions.queue("nope", vec![]),
            Err(QueueError::NoSuchSession)
        );
        assert_eq!(
            sessions.queue(&second, vec![fault(r#"{"status":500,"times":999}"#)]),
            Ok(999)
        );
        assert_eq!(
            sessions.queue(&second, vec![fault(r#"{"status":500,"times":2}"#)]),
            Err(QueueError::TooManyPending)
        );
        assert_eq!(sessions.report(&second).unwrap().pending_faults, 999);

        let none = HeaderMap::new();
        for n in 0..MAX_COUNTED_NAMES + 10 {
            let _ = sessions.on_request(&newest, &Method::GET, &format!("/x{n}"), &none);
        }
        let _ = sessions.on_request(&newest, &Method::GET, "/x0", &none);
        let requests = sessions.report(&newest).unwrap().requests;
        assert_eq!(requests.len(), MAX_COUNTED_NAMES + 1);
        assert_eq!(requests["GET /x0"], 2);
        assert_eq!(requests["other"], 10);
    }
}
