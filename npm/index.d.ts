// The package's types: the generated module's (every call, option and record), and the error
// class, which lives in JavaScript.
export * from "./access_creator_api.js";
export { default } from "./access_creator_api.js";
import type { AccessApiErrorKind } from "./access_creator_api.js";

/**
 * Every error this package throws or rejects with. Branch on `kind`. `instanceof` works within
 * one copy of the package; `isAccessApiError` also across copies. The message never contains
 * the key; neither does `cause`.
 */
export declare class AccessApiError extends Error {
  constructor(message: string, options: AccessApiErrorOptions);
  name: "AccessApiError";
  /** What went wrong. */
  kind: AccessApiErrorKind;
  /** The HTTP status, when the API answered. */
  status?: number;
  /** How long the API asked to wait (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  /**
   * The headers of the answer the error came from, where one came back: lower-case names,
   * without `set-cookie`, at most 64, each value cleaned of anything shaped like a token, then
   * cut to 160 characters (as messages are). In a browser, only headers the API's CORS policy
   * exposes are visible.
   */
  headers?: Record<string, string>;
  /**
   * What went wrong underneath: for `"network"`, the `TypeError` `fetch` rejected with (Node
   * puts the system error, e.g. `ECONNREFUSED`, in its own `cause`); for `"aborted"`, the
   * signal's `reason`.
   */
  cause?: unknown;
}

/** What `new AccessApiError(message, options)` takes. */
export interface AccessApiErrorOptions {
  kind: AccessApiErrorKind;
  status?: number;
  retryAfterMs?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Whether `value` is an `AccessApiError`, also one made by another copy of this package. */
export declare function isAccessApiError(value: unknown): value is AccessApiError;
