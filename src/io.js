// The steps of a call that touch values from outside the module, in JavaScript: sending a
// request with a call's signal, reading an answer's body within a byte cap, and reading what a
// caller handed over (options, signals, records). Each network step is one promise instead of a
// round trip through WebAssembly for every object and every chunk (most of what a call cost).
//
// The invariant this file keeps: no exception ever unwinds through the WebAssembly module.
// Every value that comes from user code (a replaced `fetch` and what it returns, a signal, an
// options object, a record to parse) is read here, inside `try`, through the platform's own
// getters captured when the module loads (a brand check: a `Proxy` of a `Response`, or an
// instance with an own `status` getter, cannot stand in for one). What Rust receives is either
// a plain object this file made, or a rejection. And every promise of a call is raced against
// the call's signal, so a deadline or an abort ends it whatever `fetch` or a body stream does.

/** The platform's getter of `name` on `proto`, or on the nearest prototype it inherits it from
 * (workerd's `Response` inherits `body` from its `Body`, where browsers and Node define it on
 * `Response.prototype` itself). */
const getter = (proto, name) => {
  for (let own = proto; own !== null; own = Object.getPrototypeOf(own)) {
    const descriptor = Object.getOwnPropertyDescriptor(own, name);
    if (descriptor !== undefined) return descriptor.get;
  }
  return undefined;
};
const call = Function.prototype.call.bind(Function.prototype.call);

const responseStatus = getter(Response.prototype, "status");
const responseType = getter(Response.prototype, "type");
const responseHeaders = getter(Response.prototype, "headers");
const responseBody = getter(Response.prototype, "body");
const headersGet = Headers.prototype.get;
const signalAborted = getter(AbortSignal.prototype, "aborted");
const signalReason = getter(AbortSignal.prototype, "reason");
const addListener = EventTarget.prototype.addEventListener;
const removeListener = EventTarget.prototype.removeEventListener;
const getReader = ReadableStream.prototype.getReader;
const readerPrototype = Object.getPrototypeOf(new ReadableStream().getReader());
const readerRead = readerPrototype.read;
const readerCancel = readerPrototype.cancel;
const streamCancel = ReadableStream.prototype.cancel;
const typedArrayTag = getter(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag);
const objectKeys = Object.keys;
const jsonParse = JSON.parse;
const jsonStringify = JSON.stringify;

/** `fetch` resolved to something that is not a `Response` (modes aside, an `invalid_response`). */
export const NOT_RESPONSE = Object.freeze({ reason: "not_response" });
/** A body longer than its cap (modes TEXT and BLOB). */
export const TOO_LARGE = Object.freeze({ reason: "too_large" });
/** Text that is not UTF-8 (mode TEXT), or a body stream that gave something other than bytes. */
export const NOT_UTF8 = Object.freeze({ reason: "not_utf8" });
/** A value from the caller could not be read (a getter or a `Proxy` trap threw). */
export const UNREADABLE = Object.freeze({ reason: "unreadable" });

const ignore = () => {};

/**
 * Whether this runtime's `Request` takes `cache: "no-store"`. Browsers, Node, Deno and Bun do;
 * Cloudflare's workerd refuses the option unless its compatibility date is 2024-11-11 or later.
 */
export const NO_STORE = (() => {
  try {
    new Request("https://example.invalid/", { cache: "no-store" });
    return true;
  } catch {
    return false;
  }
})();

/** Whether `signal` has aborted; the signal is one the module made. */
function abortedNow(signal) {
  return call(signalAborted, signal);
}

/**
 * Runs `start(resolve, reject)` as a promise that also rejects with `signal`'s reason as soon as
 * it aborts, and calls `onAbort` then (to let go of what is in flight). The listener is removed
 * when the promise settles.
 */
function raced(signal, start, onAbort) {
  return new Promise((resolve, reject) => {
    if (abortedNow(signal)) {
      reject(call(signalReason, signal));
      onAbort();
      return;
    }
    const abort = () => {
      reject(call(signalReason, signal));
      onAbort();
    };
    call(addListener, signal, "abort", abort);
    const settle = (how) => (value) => {
      call(removeListener, signal, "abort", abort);
      how(value);
    };
    try {
      start(settle(resolve), settle(reject));
    } catch (error) {
      settle(reject)(error);
    }
  });
}

/**
 * `fetch(request, { signal })` (the client's `fetch` option, or the global `fetch` as it is at
 * the time of the call), resolved to
 * the answer's head: `{ status, redirect, html, length, headers, body }`, read through the
 * platform's `Response` getters. Rejects with what `fetch` threw or rejected with, with
 * `NOT_RESPONSE` when it gave anything but a `Response`, or with the signal's reason the moment
 * it aborts, even when `fetch` ignores the signal. Never throws.
 */
export function send(request, signal, fetcher) {
  let late = false;
  return raced(
    signal,
    (resolve, reject) => {
      // The client's own `fetch` option, called as a plain function, or the global one.
      // The client's own `fetch` gets a copy: the client keeps its requests for later calls,
      // and a wrapper that sets a header must not change them.
      const sent = fetcher === undefined ? fetch(request, { signal }) : fetcher(new Request(request), { signal });
      Promise.resolve(sent).then((response) => {
        if (late) {
          // The call has ended (a `fetch` that ignored the signal): let go of the body.
          discard(response);
          return;
        }
        let answer;
        try {
          answer = head(response);
        } catch {
          reject(NOT_RESPONSE);
          return;
        }
        resolve(answer);
      }, reject);
    },
    () => {
      late = true;
    },
  );
}

/** The head of a real `Response`; throws for anything else. */
function head(response) {
  const status = call(responseStatus, response);
  const headers = call(responseHeaders, response);
  const type = call(headersGet, headers, "content-type");
  const length = call(headersGet, headers, "content-length");
  return {
    status,
    redirect: call(responseType, response) === "opaqueredirect",
    html: type !== null && type.trimStart().toLowerCase().startsWith("text/html"),
    length: length !== null && /^\s*\d+\s*$/.test(length) ? Number(length) : -1,
    headers,
    body: call(responseBody, response),
  };
}

/**
 * The most response headers an error keeps, and the most characters of each value read here
 * (Rust redacts it, then cuts it to 160: redacting first, so a cut never leaves a piece of a
 * token that no longer looks like one).
 */
const MAX_HEADERS = 64;
const MAX_HEADER_CHARS = 8192;
const headersForEach = Headers.prototype.forEach;

/**
 * The answer's headers as `[name, value, name, value, …]`: lower-case names (as `Headers` gives
 * them), no `set-cookie`, at most 64; a value longer than 8,192 characters is left out whole
 * (Rust redacts and cuts the others).
 * Never throws.
 */
export function headerList(head) {
  const list = [];
  try {
    call(headersForEach, head.headers, (value, name) => {
      if (name !== "set-cookie" && list.length < 2 * MAX_HEADERS) {
        if (value.length <= MAX_HEADER_CHARS) list.push(name, value);
      }
    });
  } catch {
    // Headers that cannot be listed: none kept.
  }
  return list;
}

/** A response header of a head `send` made, or `null`. */
export function header(head, name) {
  return call(headersGet, head.headers, name);
}

/** Lets go of a body that will not be read, so the connection can be reused or closed. */
export function discardBody(body) {
  if (body === null) return;
  try {
    call(streamCancel, body).catch(ignore);
  } catch {
    // A locked or errored stream: nothing to let go of.
  }
}

function discard(response) {
  try {
    discardBody(call(responseBody, response));
  } catch {
    // Not a Response: nothing to let go of.
  }
}

// The modes of `readBody` (`ReadMode` in src/fetch.rs).
/** UTF-8 text, decoded strictly; more than `cap` bytes is `TOO_LARGE`. */
const TEXT = "text";
/** UTF-8 text, decoded leniently, cut at `cap` bytes (an error answer's message). */
const CUT = "cut";
/** A `Blob` of the bytes as they came, typed `text/csv`; more than `cap` bytes is `TOO_LARGE`. */
const BLOB = "blob";

// Decoders of bodies that come in one chunk (most do): a decode that is not streamed leaves no
// state behind, so one decoder serves every call.
const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/**
 * Reads `body` (a `ReadableStream` from a head, or `null` for none) to its end, as `mode` says.
 * Rejects with `TOO_LARGE`, `NOT_UTF8`, what the stream rejected with (a dropped connection), or
 * the signal's reason the moment it aborts (the stream is cancelled then, even if it would never
 * have answered). `meter.bytes` counts the bytes read. Never throws.
 */
export function readBody(body, cap, mode, signal, meter) {
  if (body === null) {
    return Promise.resolve(mode === BLOB ? new Blob([], { type: "text/csv" }) : "");
  }
  let reader = null;
  return raced(
    signal,
    (resolve, reject) => {
      reader = call(getReader, body);
      read(reader, cap, mode, meter).then(resolve, reject);
    },
    () => {
      if (reader !== null) call(readerCancel, reader).catch(ignore);
      else discardBody(body);
    },
  );
}

async function read(reader, cap, mode, meter) {
  const chunks = mode === BLOB ? [] : null;
  let room = cap;
  let pending = null; // the latest chunk of a text, decoded when the next one comes
  let decoder = null; // a call's own decoder, once a text comes in more than one chunk
  let text = "";
  try {
    for (;;) {
      const { done, value } = await call(readerRead, reader);
      if (done) break;
      // A `Response` made from a stream of the caller's may give anything: only bytes are read.
      if (call(typedArrayTag, value) !== "Uint8Array") throw NOT_UTF8;
      let bytes = value;
      const full = bytes.length > room;
      if (full) {
        call(readerCancel, reader).catch(ignore);
        if (mode !== CUT) throw TOO_LARGE;
        bytes = bytes.subarray(0, room);
      }
      room -= bytes.length;
      meter.bytes = cap - room;
      if (chunks !== null) {
        chunks.push(bytes);
      } else {
        if (pending !== null) {
          decoder ??= new TextDecoder("utf-8", { fatal: mode === TEXT });
          text += decode(decoder, pending, STREAM);
        }
        pending = bytes;
      }
      if (full) break;
    }
    if (chunks !== null) return new Blob(chunks, { type: "text/csv" });
    if (pending === null) return text;
    if (decoder !== null) return text + decode(decoder, pending);
    return decode(mode === TEXT ? strict : lenient, pending);
  } catch (error) {
    // A string longer than the engine can hold is a RangeError (V8: 2^29 - 24 units).
    throw isRangeError(error) ? TOO_LARGE : error;
  }
}

/** `error instanceof RangeError`, false for anything `instanceof` throws on (a revoked Proxy). */
function isRangeError(error) {
  try {
    return error instanceof RangeError;
  } catch {
    return false;
  }
}

const STREAM = { stream: true };

/** `decoder.decode(bytes, options)`; a fatal decoder's error is `NOT_UTF8`. */
function decode(decoder, bytes, options) {
  try {
    return decoder.decode(bytes, options);
  } catch {
    throw NOT_UTF8;
  }
}

// ---- what a caller hands over ---------------------------------------------------------------

/**
 * An options object as the caller passed it, read once: `null` for `undefined` or `null`, else a
 * plain object (no prototype) with the value of each own enumerable property, each getter run
 * exactly once. Throws `UNREADABLE` when reading it throws (a getter, a revoked `Proxy`), and
 * returns `undefined` for a value that is not an object.
 */
export function snapshot(value) {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" && typeof value !== "function") return undefined;
  try {
    const copy = Object.create(null);
    for (const name of objectKeys(value)) copy[name] = value[name];
    return copy;
  } catch {
    throw UNREADABLE;
  }
}

/** Whether `value` is a real `AbortSignal` (from any realm): the platform's brand check. */
export function isAbortSignal(value) {
  try {
    call(signalAborted, value);
    return true;
  } catch {
    return false;
  }
}

/** Whether a caller's signal (one `isAbortSignal` accepted) has aborted, by the platform's getter. */
export function signalIsAborted(signal) {
  return call(signalAborted, signal);
}

/** A caller's signal's `reason`, by the platform's getter. */
export function reasonOf(signal) {
  return call(signalReason, signal);
}

/** `signal.addEventListener("abort", listener)`, the platform's own, on a caller's signal. */
export function onAbort(signal, listener) {
  call(addListener, signal, "abort", listener);
}

/** `signal.removeEventListener("abort", listener)`, the platform's own. */
export function offAbort(signal, listener) {
  call(removeListener, signal, "abort", listener);
}

/** A record as plain JSON data: `JSON.parse(JSON.stringify(value))`; `UNREADABLE` if it throws. */
export function plainData(value) {
  try {
    return jsonParse(jsonStringify(value));
  } catch {
    throw UNREADABLE;
  }
}

/**
 * Tells `listener` of one step of a call: `{ type, method, path, ...fields }`, `fields` given as
 * `[name, value, …]`. What the listener throws is ignored, as `onProgress`'s is.
 */
export function emit(listener, type, method, path, fields) {
  const event = { type, method, path };
  for (let i = 0; i < fields.length; i += 2) event[fields[i]] = fields[i + 1];
  tell(listener, event);
}

/**
 * Calls a caller's listener (`onEvent`, `onProgress`) with `value`. What it throws is ignored,
 * and so is what an `async` one rejects with: an unhandled rejection would end a Node process.
 */
export function tell(listener, value) {
  try {
    const result = listener(value);
    if (result !== null && (typeof result === "object" || typeof result === "function")) {
      Promise.resolve(result).catch(ignore);
    }
  } catch {
    // The listener's exception is its own.
  }
}
