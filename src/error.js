// The error class of the JavaScript API. It lives in JavaScript so that it can extend `Error`
// (a class made in Rust cannot); the package's entry (`index.js`) exports it.

/** Every error this package throws or rejects with. */
export class AccessApiError extends Error {
  constructor(message, options = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.kind = options.kind;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
AccessApiError.prototype.name = "AccessApiError";

/** Whether `value` is an `AccessApiError`, also one made by another copy of this package. */
export function isAccessApiError(value) {
  return (
    value instanceof AccessApiError ||
    (value instanceof Error && value.name === "AccessApiError" && typeof value.kind === "string")
  );
}

/** How the module makes its errors. */
export function accessApiError(message, kind, status, retryAfterMs, cause) {
  const options = { kind, status, retryAfterMs };
  if (cause !== undefined) options.cause = cause;
  return new AccessApiError(message, options);
}
