// Hostile values for the robustness cases (tests/cases/robustness.rs): what user code can hand
// the module. Each maker gives a fresh value, varied by `n`, so a loop of thousands of them
// also shows that nothing is kept per value.

const boom = () => {
  throw new Error("hostile: thrown by user code");
};
const everyTrap = {
  get: boom,
  set: boom,
  has: boom,
  ownKeys: boom,
  getOwnPropertyDescriptor: boom,
  getPrototypeOf: boom,
  defineProperty: boom,
  deleteProperty: boom,
  apply: boom,
  construct: boom,
  isExtensible: boom,
  preventExtensions: boom,
};

function revoked(target = {}) {
  const { proxy, revoke } = Proxy.revocable(target, {});
  revoke();
  return proxy;
}

const unprintable = () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom });

/** A real `AbortSignal` with own properties that throw when anything reads them. */
function boobyTrappedSignal() {
  const signal = new AbortController().signal;
  for (const name of ["aborted", "reason", "addEventListener", "removeEventListener", "throwIfAborted"]) {
    Object.defineProperty(signal, name, { get: boom });
  }
  return signal;
}

/** A real `Response` with own properties that throw when anything reads them. */
function boobyTrappedResponse(body) {
  const response = new Response(body, { headers: { "content-type": "application/json" } });
  for (const name of ["status", "ok", "type", "headers", "body", "text", "json", "arrayBuffer"]) {
    Object.defineProperty(response, name, { get: boom });
  }
  return response;
}

const MAKERS = [
  () => revoked(),
  () => new Proxy({}, everyTrap),
  () => new Proxy(function () {}, everyTrap),
  () => ({ get signal() { boom(); } }),
  () => ({ get timeoutMs() { boom(); } }),
  () => ({ get baseUrl() { boom(); } }),
  () => ({ get onProgress() { boom(); } }),
  (n) => ({ get timeoutMs() { return n % 2 ? 100 : "flip"; } }),
  () => unprintable(),
  () => ({ timeoutMs: unprintable(), maxRetries: unprintable() }),
  () => ({ baseUrl: unprintable() }),
  () => ({ signal: new Proxy(new AbortController().signal, {}) }),
  () => ({ signal: revoked() }),
  () => ({ signal: boobyTrappedSignal() }),
  () => ({ signal: { [Symbol.toStringTag]: "AbortSignal", aborted: false } }),
  () => ({ signal: new Proxy({}, everyTrap) }),
  () => ({ onProgress: new Proxy(function () {}, everyTrap) }),
  () => ({ onProgress: revoked(function () {}) }),
  () => ({ onProgress: boom }),
  () => Object.freeze({}),
  () => Object.create(null),
  () => Object.freeze({ timeoutMs: 5000 }),
  () => new Proxy(new Response("{}"), {}),
  () => new Proxy(new AbortController().signal, {}),
  () => boobyTrappedResponse("{}"),
  () => boobyTrappedSignal(),
  () => Object.setPrototypeOf({ timeoutMs: 1000 }, new Proxy({}, everyTrap)),
  () => ({ [Symbol.iterator]: boom, length: 1e10 }),
  () => ({ then: boom }),
  () => ({ get then() { boom(); } }),
  () => Symbol("hostile"),
  (n) => BigInt(n) * 10n ** 30n,
  () => boom,
  () => [revoked(), new Proxy({}, everyTrap)],
  (n) => "x".repeat(n % 50),
  (n) => `eyJhbGciOiJIUzI1NiJ9.${"A".repeat(20 + (n % 5))}.sig${n}`,
  (n) => [NaN, Infinity, -0, 2 ** 53, -1, 1e308][n % 6],
  (n) => ({ timeoutMs: [NaN, Infinity, -0, 2 ** 53, -1, 1e308][n % 6] }),
  () => ({ "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ": 1 }),
  () => ({ ["k".repeat(100_000)]: 1 }),
  // Records for parseUser.
  () => ({ get Pubkey() { boom(); } }),
  () => ({ OwnedPool: revoked() }),
  () => ({ OwnedPool: new Proxy({}, everyTrap) }),
  () => ({ toJSON: boom }),
  () => {
    const cycle = { Username: "loop" };
    cycle.OwnedPool = cycle;
    return cycle;
  },
  () => ({ Username: 10n }),
  () => ({ OwnedPool: { Name: unprintable() } }),
];

/** How many kinds of hostile values there are. */
export const KINDS = MAKERS.length;

/** The `i`-th hostile value: kind `i % KINDS`, varied by `i / KINDS`. */
export function hostile(i) {
  return MAKERS[i % MAKERS.length](Math.floor(i / MAKERS.length));
}

// What a replaced `fetch` can resolve to or reject with.
const ANSWERS = [
  () => new Proxy(new Response('{"Username":"x"}'), {}),
  () => boobyTrappedResponse('{"Username":"x"}'),
  () => revoked(),
  () => new Proxy({}, everyTrap),
  () => ({ then: boom }),
  () => ({
    get then() {
      boom();
    },
  }),
  () => {
    const promise = Promise.resolve(new Response("{}"));
    Object.defineProperty(promise, "constructor", { get: boom });
    return promise;
  },
  () => Promise.reject(revoked()),
  () => Promise.reject(new Proxy({}, everyTrap)),
  () => Promise.reject(unprintable()),
  () => Promise.reject(Symbol("rejected")),
  () => new Response(new ReadableStream({ pull: boom })),
  () => new Response(new ReadableStream({ start: (c) => c.enqueue("not bytes") })),
  () => new Response(new ReadableStream({ start: (c) => c.enqueue(revoked()) })),
  () => new Response(new ReadableStream({ start: (c) => c.enqueue(new Proxy(new Uint8Array(4), {})) })),
  () => new Response(new ReadableStream({ start: (c) => c.error(revoked()) })),
  () => new Response('{"Username":"x"}', { status: 200, headers: { "content-type": "text/html" } }),
  () => new Response("{", { status: 200 }),
  () => new Response(null, { status: 304 }),
  () => Object.setPrototypeOf({}, Response.prototype),
  () => boom(),
];

/** How many kinds of hostile `fetch` outcomes there are. */
export const FETCH_KINDS = ANSWERS.length;

/**
 * Replaces `globalThis.fetch` until the returned function is called: each call answers as
 * `answer(request)` says, or, when `answer` is `null`, as a small, correct API would (a user
 * record) for a request to `https://ordinary.example`, and with a network error at once for any
 * other (so that thousands of calls cost little).
 */
export function replaceFetch(answer) {
  const original = globalThis.fetch;
  globalThis.fetch = (request) => {
    if (answer !== null) return answer(request);
    if (!request.url.startsWith("https://ordinary.example/")) return Promise.reject(OFFLINE);
    return new Response('{"Username":"x","OwnedPool":null}', {
      headers: { "content-type": "application/json" },
    });
  };
  return () => {
    globalThis.fetch = original;
  };
}

const OFFLINE = new TypeError("offline (a stand-in fetch)");

/** A `fetch` answer of hostile kind `i`. */
export function hostileAnswer(i) {
  return () => ANSWERS[i % ANSWERS.length]();
}

/** What became of a promise of a call: `"ok"`, or what `classify` says of its rejection. */
export function settled(promise) {
  return Promise.resolve(promise).then(() => "ok", classify);
}

/**
 * What a thrown or rejected value is: `"error:<kind>"` for an `AccessApiError`, else
 * `"bad:<what>"` (which the cases fail on).
 */
export function classify(error) {
  try {
    if (error instanceof Error && error.name === "AccessApiError" && typeof error.kind === "string") {
      return `error:${error.kind}`;
    }
    return `bad:${String(error?.name ?? typeof error)}: ${String(error?.message ?? "")}`;
  } catch {
    return "bad:unprintable";
  }
}

/**
 * Whether `needle` can be reached from `value`: in a string, or in a `Request` or `Headers`
 * (which may hold it in a header), through own properties (read without running getters),
 * prototypes aside, `depth` levels down.
 */
export function reaches(value, needle, depth = 8) {
  const seen = new Set();
  const walk = (v, d) => {
    if (typeof v === "string") return v.includes(needle);
    if ((typeof v !== "object" && typeof v !== "function") || v === null || seen.has(v)) return false;
    seen.add(v);
    if (v instanceof Request || v instanceof Headers) return true;
    if (d === 0) return false;
    for (const key of Reflect.ownKeys(v)) {
      const descriptor = Object.getOwnPropertyDescriptor(v, key);
      if ("value" in descriptor && walk(descriptor.value, d - 1)) return true;
    }
    return false;
  };
  return walk(value, depth);
}

/**
 * Settles when every promise in `outcomes` has (to its list of strings), or after `ms` with
 * `null` when any is still pending.
 */
export function allWithin(outcomes, ms) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([Promise.all(outcomes), late]).finally(() => clearTimeout(timer));
}

/** The size of the module's memory, in bytes. */
export function memoryBytes(memory) {
  return memory.buffer.byteLength;
}
