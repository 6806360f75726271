// The two steps of a call that touch the network, in JavaScript, where `fetch` and the body's
// stream are: sending a request with a call's signal, and reading an answer's body within a
// byte cap. Each is one promise instead of a round trip through WebAssembly for every object
// and every chunk (most of what a call cost). What an answer means is decided in Rust
// (src/fetch.rs); this only sends, reads, counts and decodes, and never throws: whatever goes
// wrong rejects the promise.

/**
 * `fetch(request, { signal })`, always as a promise: a replaced `fetch` (test suites mock it) may
 * throw or return anything.
 */
export function send(request, signal) {
  try {
    return Promise.resolve(fetch(request, { signal }));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** A body longer than its cap (modes TEXT and BLOB). */
export const TOO_LARGE = Object.freeze({ reason: "too_large" });
/** Text that is not UTF-8 (mode TEXT). */
export const NOT_UTF8 = Object.freeze({ reason: "not_utf8" });

/** UTF-8 text, decoded strictly; more than `cap` bytes is `TOO_LARGE`. */
export const TEXT = 0;
/** UTF-8 text, decoded leniently, cut at `cap` bytes (an error answer's message). */
export const CUT = 1;
/** A `Blob` of the bytes as they came, typed `text/csv`; more than `cap` bytes is `TOO_LARGE`. */
export const BLOB = 2;

// Decoders of bodies that come in one chunk (most do): a decode that is not streamed leaves no
// state behind, so one decoder serves every call.
const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/**
 * Reads `body` (a `ReadableStream`, or `null` for none) to its end, as `mode` says. Rejects with
 * `TOO_LARGE`, `NOT_UTF8`, or what the stream rejected with (a dropped connection, the call's
 * abort); never throws.
 */
export async function readBody(body, cap, mode) {
  if (body === null) return mode === BLOB ? new Blob([], { type: "text/csv" }) : "";
  const reader = body.getReader();
  const chunks = mode === BLOB ? [] : null;
  let room = cap;
  let pending = null; // the latest chunk of a text, decoded when the next one comes
  let decoder = null; // a call's own decoder, once a text comes in more than one chunk
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let bytes = value;
      const full = bytes.length > room;
      if (full) {
        reader.cancel().catch(() => {});
        if (mode !== CUT) throw TOO_LARGE;
        bytes = bytes.subarray(0, room);
      }
      room -= bytes.length;
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
    throw error instanceof RangeError ? TOO_LARGE : error;
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
