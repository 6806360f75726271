/* tslint:disable */
/* eslint-disable */
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



/**
 * A client of the Access Protocol creator API, holding one API key.
 *
 * ```js
 * const client = new AccessClient(apiKey, { baseUrl: "http://127.0.0.1:8081" });
 * const user = await client.getUser();
 * ```
 */
export class AccessClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * `downloadExport`, resolving to the file's bytes exactly as they arrived, as a `Blob`
     * typed `text/csv` (for a download link, without holding the text), or `null` while 404.
     */
    downloadExportBlob(referenceId: string, options?: CallOptions): Promise<Blob | null>;
    /**
     * Downloads a requested export (`GET /file/link/{referenceId}`): the CSV text, or `null`
     * while the API answers 404 ("not ready yet", or no such file: the API does not tell).
     */
    downloadExport(referenceId: string, options?: CallOptions): Promise<string | null>;
    /**
     * `exportCsv`, resolving to the file's bytes exactly as they arrived, as a `Blob` typed
     * `text/csv`: read in chunks under the same cap, never held as one string.
     */
    exportCsvBlob(kind: ExportKind, options?: ExportOptions): Promise<Blob>;
    /**
     * Runs a whole export: requests it, polls until the CSV is ready (from `pollIntervalMs`,
     * backing off), and resolves to the CSV text. `timeoutMs` bounds the whole export
     * (`"export_timeout"`), `requestTimeoutMs` each request it makes (`"timeout"`); aborting the
     * signal stops all further requests.
     */
    exportCsv(kind: ExportKind, options?: ExportOptions): Promise<string>;
    /**
     * The pools' featured scores in the featured order (`GET /pools/featured`, public).
     */
    getFeaturedPools(options?: CallOptions): Promise<FeaturedPool[]>;
    /**
     * The amount locked in each pool, by pool address (`GET /pools/locked`, public).
     */
    getPoolLockedAmounts(options?: CallOptions): Promise<Record<string, bigint>>;
    /**
     * Each pool's rewards, total and claimed (`GET /pools/rewards`, public).
     */
    getPoolRewards(options?: CallOptions): Promise<PoolRewards[]>;
    /**
     * Each pool's number of users, by pool address (`GET /pools/user_count`, public).
     */
    getPoolUserCounts(options?: CallOptions): Promise<Record<string, number>>;
    /**
     * One pool, with its e-mail subscriptions (`GET /pool/{address}`, public).
     */
    getPool(address: string, options?: CallOptions): Promise<PoolDetails>;
    /**
     * The active pools (`GET /pools`, public), amounts as `bigint`s.
     */
    getPools(options?: CallOptions): Promise<Pool[]>;
    /**
     * The past 30 days of a statistic (`GET /stats/{kind}`, public): `{ UntilDate, Vals }`,
     * `Vals` as `get` decodes them.
     */
    getStats(kind: StatsKind, options?: CallOptions): Promise<Stats>;
    /**
     * The ACS token supply (`GET /token/supply/{which}`, public) as the API's decimal text,
     * exact (`"86735581885.276672"`).
     */
    getTokenSupply(which: TokenSupply, options?: CallOptions): Promise<string>;
    /**
     * What a wallet has locked forever in each pool (`GET /user/{address}/pools/forever`;
     * needs the key).
     */
    getUserForeverPools(address: string, options?: CallOptions): Promise<Record<string, bigint>>;
    /**
     * What a wallet has locked in each pool now (`GET /user/{address}/pools`; needs the key).
     */
    getUserPools(address: string, options?: CallOptions): Promise<Record<string, bigint>>;
    /**
     * The key owner's user record (`GET /user`), as a plain object with the API's field names.
     *
     * Rejects with an `AccessApiError`: `"unauthorized"` for a rejected key,
     * `"invalid_response"` for an answer that is not the documented JSON, or any kind every
     * call has (`"network"`, `"timeout"`, `"aborted"`, `"server"`, `"rate_limited"`, …).
     */
    getUser(options?: CallOptions): Promise<User>;
    /**
     * Any path of the base URL (`"/pools?x=1"`), its JSON decoded as `JSON.parse` would,
     * except that integers beyond ±(2^53 − 1) are `bigint`s. Sends the key only when
     * `sendKey: true` is given.
     */
    get(path: string, options?: GetOptions): Promise<unknown>;
    /**
     * Makes a client. Whitespace and invisible characters around the key and a pasted
     * `Bearer ` prefix are removed.
     *
     * Throws an `AccessApiError` of kind `"invalid_key"` when the key cannot be a JWT (nothing
     * is sent), or `"invalid_argument"` for a bad or unknown option.
     */
    constructor(apiKey?: string | null, options?: ClientOptions);
    /**
     * Asks the API to prepare an export (`POST /file/{kind}`); resolves to its reference id.
     * Retried only after a 429, or a 503 with `Retry-After`: a request refused for now.
     */
    requestExport(kind: ExportKind, options?: CallOptions): Promise<string>;
    /**
     * The base URL calls go to, normalised (no trailing slash).
     */
    readonly baseUrl: string;
    /**
     * Whether the client holds a key (a client made without one makes only public calls).
     */
    readonly hasKey: boolean;
}

/**
 * Decodes an API key's header and claims locally, without verifying it: only the API can
 * tell whether a key is valid. Throws an `AccessApiError` of kind `"invalid_key"` when the key
 * cannot be a JWT or its parts are not JSON.
 */
export function decodeApiKey(apiKey: string): DecodedKey;

/**
 * Decodes a user record, as `GET /user` returns it (say, fetched by your own server), with the
 * same checks and defaults as `getUser`: from its JSON text, or from the object `JSON.parse`
 * made of it. Throws an `AccessApiError` of kind `"invalid_response"` when it is not such a
 * record.
 */
export function parseUser(json: string | object): User;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_accessclient_free: (a: number, b: number) => void;
    readonly accessclient_base_url: (a: number) => [number, number];
    readonly accessclient_downloadExport: (a: number, b: any, c: any) => any;
    readonly accessclient_downloadExportBlob: (a: number, b: any, c: any) => any;
    readonly accessclient_exportCsv: (a: number, b: any, c: any) => any;
    readonly accessclient_exportCsvBlob: (a: number, b: any, c: any) => any;
    readonly accessclient_get: (a: number, b: any, c: any) => any;
    readonly accessclient_getFeaturedPools: (a: number, b: any) => any;
    readonly accessclient_getPool: (a: number, b: any, c: any) => any;
    readonly accessclient_getPoolLockedAmounts: (a: number, b: any) => any;
    readonly accessclient_getPoolRewards: (a: number, b: any) => any;
    readonly accessclient_getPoolUserCounts: (a: number, b: any) => any;
    readonly accessclient_getPools: (a: number, b: any) => any;
    readonly accessclient_getStats: (a: number, b: any, c: any) => any;
    readonly accessclient_getTokenSupply: (a: number, b: any, c: any) => any;
    readonly accessclient_getUser: (a: number, b: any) => any;
    readonly accessclient_getUserForeverPools: (a: number, b: any, c: any) => any;
    readonly accessclient_getUserPools: (a: number, b: any, c: any) => any;
    readonly accessclient_has_key: (a: number) => number;
    readonly accessclient_new: (a: any, b: any) => [number, number, number];
    readonly accessclient_requestExport: (a: number, b: any, c: any) => any;
    readonly decodeApiKey: (a: any) => [number, number, number];
    readonly parseUser: (a: any) => [number, number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h…: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__h…: (a: number, b: number, c: any, d: any) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_destroy_closure: (a: number, b: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
