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
    OwnedPool: Pool | null;
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
export interface Pool {
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

/** Options of a client. */
export interface ClientOptions {
    /** `https:`, or `http:` on a loopback host. Default `https://go-api.accessprotocol.co`. */
    baseUrl?: string;
    /** The default deadline of each call, covering all its attempts. Default 30000. */
    timeoutMs?: number;
    /** How many times a GET is retried after a network error, a 5xx or a 429. Default 2, at most 10. */
    maxRetries?: number;
    /** The largest CSV a download accepts, in bytes. Default 134217728 (128 MiB). */
    maxCsvBytes?: number;
}

/** Options of one call. */
export interface CallOptions {
    /** Cancels the call: it rejects with kind `"aborted"` and sends no further request. */
    signal?: AbortSignal;
    /** This call's deadline, covering all its attempts; the client's `timeoutMs` by default. */
    timeoutMs?: number;
}

/** Options of `exportCsv`. `timeoutMs` is the deadline of each request it makes. */
export interface ExportOptions extends CallOptions {
    /** The first wait between two polls; later waits grow by half, up to 5 s. Default 1000. */
    pollIntervalMs?: number;
    /** The longest time from the request to the CSV before kind `"export_timeout"`. Default 120000. */
    maxWaitMs?: number;
    /** Called at each phase and poll. An exception it throws is ignored. */
    onProgress?: (progress: ExportProgress) => void;
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
 * Every error this package throws or rejects with. Tell errors apart by `name` and `kind`
 * (`instanceof` fails across two copies of a package). The message never contains the key.
 */
export interface AccessApiError extends Error {
    name: "AccessApiError";
    kind: AccessApiErrorKind;
    /** The HTTP status, when the API answered. */
    status?: number;
    /** How long the API asked to wait (`Retry-After`), in milliseconds. */
    retryAfterMs?: number;
}



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
     * Downloads a requested export (`GET /file/link/{referenceId}`): the CSV text, or `null`
     * while the API answers 404 ("not ready yet", or no such file: the API does not tell).
     */
    downloadExport(referenceId: string, options?: CallOptions): Promise<string | null>;
    /**
     * Runs a whole export: requests it, polls until the CSV is ready (from `pollIntervalMs`,
     * backing off), and resolves to the CSV text. Rejects with `"export_timeout"` after
     * `maxWaitMs`; aborting the signal stops all further requests.
     */
    exportCsv(kind: ExportKind, options?: ExportOptions): Promise<string>;
    /**
     * The key owner's user record (`GET /user`), as a plain object with the API's field names.
     *
     * Rejects with an `AccessApiError`: `"unauthorized"` for a rejected key,
     * `"invalid_response"` for an answer that is not the documented JSON, or any kind every
     * call has (`"network"`, `"timeout"`, `"aborted"`, `"server"`, `"rate_limited"`, …).
     */
    getUser(options?: CallOptions): Promise<User>;
    /**
     * Makes a client. Whitespace around the key and a pasted `Bearer ` prefix are removed.
     *
     * Throws an `AccessApiError` of kind `"invalid_key"` when the key cannot be a JWT (nothing
     * is sent), or `"invalid_argument"` for a bad option.
     */
    constructor(apiKey: string, options?: ClientOptions);
    /**
     * Asks the API to prepare an export (`POST /file/{kind}`); resolves to its reference id.
     * Never retried automatically (it is not idempotent).
     */
    requestExport(kind: ExportKind, options?: CallOptions): Promise<string>;
    /**
     * The base URL calls go to, normalised (no trailing slash).
     */
    readonly baseUrl: string;
}

/**
 * Decodes an API key's header and claims locally, without verifying it: only the API can
 * tell whether a key is valid. Throws an `AccessApiError` of kind `"invalid_key"` when the key
 * cannot be a JWT or its parts are not JSON.
 */
export function decodeApiKey(apiKey: string): DecodedKey;

/**
 * Decodes a user record from its JSON text, as `GET /user` returns it (say, fetched by your
 * own server), with the same checks and defaults as `getUser`. Throws an `AccessApiError` of
 * kind `"invalid_response"` when the text is not such a record.
 */
export function parseUser(json: string): User;
