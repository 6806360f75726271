/** Which CSV export: supporters' e-mails, the supporters report, or the rewards report. */
export type ExportKind = "emails" | "supporters" | "rewards";

/**
 * The key owner's user record, as `GET /user` returns it, in the API's own field names.
 * A documented field the API leaves out or sends as `null` is `""` or `false` here.
 */
export interface User {
  EnabledEmailAutoSubs: boolean;
  /** The user's wallet: a base58 Solana address. */
  Pubkey: string;
  /** The user's role, e.g. `"admin"`. */
  Role: string;
  /** The creator's pool, or `null` for a user without one. */
  OwnedPool: OwnedPool | null;
  /** The display name, e.g. `"7Q34...5Gqx"`. */
  Username: string;
  /** RFC 3339, e.g. `"2023-05-29T09:22:52.411033+02:00"`. */
  CreatedAt: string;
  /** RFC 3339. */
  UpdatedAt: string;
}

/**
 * A creator's pool and the metadata the Hub shows for it. URLs are as the API sent them:
 * check them before rendering them as links or images.
 */
export interface OwnedPool {
  /** The pool's address (base58). */
  Pubkey: string;
  Name: string;
  Benefits: string;
  Description: string;
  Website: string;
  Email: string;
  LogoImageURL: string;
  HeroImageURL: string;
  ProfileImageURL: string;
  /** The owner's wallet (base58). */
  UserPubkey: string;
  CollectEmails: boolean;
  /** Whether the pool is displayed on the Hub's front end. */
  DisplayFE: boolean;
  /** RFC 3339. */
  CreatedAt: string;
  /** RFC 3339. */
  UpdatedAt: string;
}

/**
 * A pool as `getPools` lists it: the `OwnedPool` fields plus its categories and amounts.
 * Amounts are integers in ACS base units (6 decimals: `2000000000n` is 2,000 ACS), exact.
 */
export interface Pool extends OwnedPool {
  /** Comma-separated, e.g. `"NFT,Community"`. */
  CategoryName: string;
  /** The minimum lock, in base units. */
  Minimum: bigint;
  /** All that is locked in the pool, in base units. */
  TotalStaked: bigint;
  /** The stakers' part (`50` in the docs' sample; presumably percent). */
  StakersPart: number;
}

/** A pool's featured scores, as `getFeaturedPools` lists them, in the featured order. */
export interface FeaturedPool {
  /** The pool's address (base58). */
  Pool: string;
  LockedScore: number;
  UsersScore: number;
  WeeklyLockedScore: number;
  WeeklyUsersScore: number;
  WeeklyLockedGrowthScore: number;
  WeeklyUserGrowthScore: number;
  FeaturedPoolsFixedPosition: number;
  RandomnessOffset: number;
}

/** A pool's rewards, in base units. */
export interface PoolRewards {
  /** The pool's address (base58). */
  Pool: string;
  Total: bigint;
  Claimed: bigint;
}

/** A supporter's subscription to a pool's e-mails. */
export interface EmailSubscription {
  UserPubkey: string;
  PoolPubkey: string;
  /** RFC 3339. */
  CreatedAt: string;
  /** RFC 3339. */
  UpdatedAt: string;
}

/**
 * One pool, as `getPool` returns it. The docs' sample has `Pubkey: ""` and no `Name`,
 * `Description` or `Benefits`: such fields are `""` here.
 */
export interface PoolDetails {
  Pubkey: string;
  Name: string;
  Benefits: string;
  Description: string;
  Website: string;
  Email: string;
  LogoImageURL: string;
  HeroImageURL: string;
  ProfileImageURL: string;
  UserPubkey: string;
  EmailSubscriptions: EmailSubscription[];
  FeaturedPoolsFixedPosition: number;
  CollectEmails: boolean;
  DisplayFE: boolean;
  CategoryName: string;
  /** E.g. `"artist"`. */
  Motivation: string;
  /** A URL (not checked). */
  Showcases: string;
  /** RFC 3339. */
  CreatedAt: string;
  /** RFC 3339. */
  UpdatedAt: string;
}

/** The stats kinds the docs list (the first spelled so in the docs), or another the API may add. */
export type StatsKind =
  | "postitive_stake"
  | "active_users"
  | "cumulative_stake"
  | "locked_users"
  | "locked_delta"
  | "total_creators"
  | "subscription"
  | (string & {});

/**
 * The past 30 days of a statistic. The docs do not show the type of `Vals`' elements: they
 * are what `JSON.parse` gives, except that integers beyond ±(2^53 − 1) are `bigint`s.
 */
export interface Stats {
  /** RFC 3339: the last day covered. */
  UntilDate: string;
  Vals: unknown[];
}

/** Which token supply `getTokenSupply` gives. */
export type TokenSupply = "total" | "circulating";

/** Options of `get`. */
export interface GetOptions extends CallOptions {
  /** Send the key (`Authorization: Bearer …`) with this request. Default `false`: never. */
  sendKey?: boolean;
}

/**
 * Options of a client. An unknown option name (`baseURL`, say) is an `"invalid_argument"`
 * error, not a silent default.
 */
export interface ClientOptions {
  /** `https:`, or `http:` on `localhost`, `[::1]` or `127.x.x.x`. Default `https://go-api.accessprotocol.co`. */
  baseUrl?: string;
  /** The default deadline of each call (all its attempts and waits), and of each request an export makes. Default 30000. */
  timeoutMs?: number;
  /** How many times a request is retried (a GET after a network error, a 5xx or a 429; an export request only after a 429 or a 503 with `Retry-After`). Default 2, at most 10. */
  maxRetries?: number;
  /** The largest CSV a download accepts, in bytes. Default 134217728 (128 MiB), at most 536870888. */
  maxCsvBytes?: number;
  /** The largest JSON answer a call other than `getUser` accepts (pools, rewards, stats, `get`), in bytes. Default 67108864 (64 MiB), at most 536870888. */
  maxJsonBytes?: number;
  /**
   * A `fetch` to call instead of the global one (tests, proxies, instrumentation, server-side
   * rendering). It gets a `Request` with no credentials, no redirects followed, and the key only
   * in `Authorization`, and the call's `{ signal }`. Deadlines and aborts end a call at once even
   * if it ignores the signal; whatever it returns or throws becomes an `AccessApiError`.
   */
  fetch?: (request: Request, init: { signal: AbortSignal }) => Promise<Response>;
  /** Told of each step of every call that has no `onEvent` of its own (see `AccessEvent`). */
  onEvent?: (event: AccessEvent) => void;
}

/**
 * One step of a call, as `onEvent` gets it: never a header value, a body or the key; `path`
 * without its query string, a segment shaped like a token redacted. `error` is a request's last
 * failure after its retries (a download's 404 is a `response`); a call may still reject after
 * its last `response` (its promise says why). What the listener throws, or an `async` one
 * rejects with, is ignored.
 */
export type AccessEvent =
  | { type: "request"; method: "GET" | "POST"; path: string; attempt: number }
  | { type: "response"; method: "GET" | "POST"; path: string; status: number | null; elapsedMs: number; bytes: number | null }
  | { type: "retry"; method: "GET" | "POST"; path: string; attempt: number; reason: AccessApiErrorKind; status: number | null; waitMs: number }
  | { type: "error"; method: "GET" | "POST"; path: string; kind: AccessApiErrorKind; status: number | null };

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call: it rejects with kind `"aborted"` at once (`cause` is the signal's `reason`) and sends no further request. */
  signal?: AbortSignal;
  /** The whole call's deadline, covering all its attempts and waits (kind `"timeout"`). Default: the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Told of each step of this call, instead of the client's `onEvent`. */
  onEvent?: (event: AccessEvent) => void;
}

/** Options of `exportCsv` and `exportCsvBlob`. */
export interface ExportOptions {
  /** Cancels the whole export: it rejects with kind `"aborted"` and sends no further request. */
  signal?: AbortSignal;
  /** The whole export's deadline: the request, the waiting and the download (kind `"export_timeout"`). Default 120000. */
  timeoutMs?: number;
  /** The deadline of each request the export makes, covering its retries (kind `"timeout"`). Default: the client's `timeoutMs`. */
  requestTimeoutMs?: number;
  /** The first wait between two polls, at least 250; later waits grow by half, up to 5 s (or this, if longer). Default 1000. */
  pollIntervalMs?: number;
  /** Called at each phase and poll. An exception it throws is ignored. */
  onProgress?: (progress: ExportProgress) => void;
  /** Told of each step of each request the export makes, instead of the client's `onEvent`. */
  onEvent?: (event: AccessEvent) => void;
}

/** Where an export is. */
export type ExportPhase = "requesting" | "waiting" | "downloading" | "done";

/** A report of an export's progress. */
export interface ExportProgress {
  kind: ExportKind;
  phase: ExportPhase;
  /** How many times the file has been asked for so far (0 while requesting). */
  attempt: number;
  /** The reference id, once the API gave it. */
  referenceId: string | null;
  /** Milliseconds since the export started. */
  elapsedMs: number;
}

/** A key's header and claims, decoded locally and NOT verified. */
export interface DecodedKey {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** The `kind` of an `AccessApiError`: what went wrong, for a program to branch on. */
export type AccessApiErrorKind =
  | "invalid_key"
  | "invalid_argument"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "server"
  | "http"
  | "network"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "too_large"
  | "export_timeout";
