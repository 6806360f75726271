// The error class of the JavaScript API. It lives in JavaScript so that it can extend `Error`
// (a class made in Rust cannot); the package's entry (`index.js`) exports it.

/**
 * Every error this package throws or rejects with. Its constructor never throws: options that
 * cannot be read are left out, and a message that cannot be made a string is empty.
 */
export class AccessApiError extends Error {
  constructor(message, options = {}) {
    let text = "";
    let fields = {};
    let cause;
    let hasCause = false;
    try {
      text = message === undefined ? "" : String(message);
    } catch {
      // A message whose toString throws: left empty.
    }
    try {
      if (options !== null && typeof options === "object") {
        fields = {
          kind: options.kind,
          status: options.status,
          retryAfterMs: options.retryAfterMs,
          headers: options.headers,
        };
        hasCause = "cause" in options;
        if (hasCause) cause = options.cause;
      }
    } catch {
      // Options that cannot be read (a getter or a Proxy trap threw): left out.
    }
    super(text, hasCause ? { cause } : undefined);
    this.kind = fields.kind;
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.headers !== undefined) this.headers = fields.headers;
  }
}
AccessApiError.prototype.name = "AccessApiError";

/**
 * Whether `value` is an `AccessApiError`, also one made by another copy of this package. Never
 * throws: a value that cannot be inspected (a revoked Proxy) is not one.
 */
export function isAccessApiError(value) {
  try {
    return (
      value instanceof AccessApiError ||
      (value instanceof Error && value.name === "AccessApiError" && typeof value.kind === "string")
    );
  } catch {
    return false;
  }
}

/** How the module makes its errors. */
export function accessApiError(message, kind, status, retryAfterMs, cause, headers) {
  const options = { kind, status, retryAfterMs };
  if (cause !== undefined) options.cause = cause;
  // `[name, value, …]` as an object; `fromEntries` defines each name, `__proto__` too.
  if (headers !== undefined) {
    const pairs = [];
    for (let i = 0; i < headers.length; i += 2) pairs.push([headers[i], headers[i + 1]]);
    options.headers = Object.fromEntries(pairs);
  }
  return new AccessApiError(message, options);
}

// ---- causes: copies that hold nothing but text ------------------------------------------------

const domExceptionName = (() => {
  try {
    return Object.getOwnPropertyDescriptor(DOMException.prototype, "name").get;
  } catch {
    return null;
  }
})();
const STANDARD = new Set([
  "Error",
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "EvalError",
  "URIError",
]);

/**
 * What an error-like value says, read once, never run again: `[name, message, code, cause,
 * isDOMException]` (`code` a string or `undefined`), or `null` when reading it throws (a getter,
 * a revoked `Proxy`).
 */
export function causeParts(value) {
  try {
    let dom = false;
    if (domExceptionName !== null) {
      try {
        domExceptionName.call(value);
        dom = true;
      } catch {
        // Not a DOMException.
      }
    }
    const text = (field) => {
      const v = value[field];
      return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
    };
    return [text("name") ?? "Error", text("message") ?? "", text("code"), value.cause, dom];
  } catch {
    return null;
  }
}

/**
 * A new error holding only the given texts and cause: a `DOMException` copy for a
 * `DOMException`, the same standard class for a standard error's name, else an `Error` with
 * that `name`.
 */
export function makeCause(name, message, code, cause, dom) {
  let copy;
  if (dom) {
    copy = new DOMException(message, name);
  } else if (STANDARD.has(name)) {
    copy = new globalThis[name](message);
  } else {
    copy = new Error(message);
    Object.defineProperty(copy, "name", { value: name, writable: true, configurable: true });
  }
  if (code !== undefined) copy.code = code;
  if (cause !== undefined) {
    Object.defineProperty(copy, "cause", { value: cause, writable: true, configurable: true });
  }
  return copy;
}
