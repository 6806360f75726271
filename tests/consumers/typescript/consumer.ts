// A TypeScript consumer of the package, compiled (never run) with `tsc --strict --noEmit`
// under bundler and Node module resolution. It uses every export with the types a user would
// write, checks that the types are exact (never `any`), and each `@ts-expect-error` line is a
// mistake the types must reject: if one compiled, tsc would fail with "Unused
// '@ts-expect-error' directive".

import init, {
  AccessApiError,
  AccessClient,
  decodeApiKey,
  initSync,
  isAccessApiError,
  parseUser,
  type AccessApiErrorKind,
  type AccessApiErrorOptions,
  type CallOptions,
  type ClientOptions,
  type DecodedKey,
  type ExportKind,
  type ExportOptions,
  type ExportPhase,
  type ExportProgress,
  type InitInput,
  type InitOutput,
  type EmailSubscription,
  type FeaturedPool,
  type GetOptions,
  type OwnedPool,
  type Pool,
  type PoolDetails,
  type PoolRewards,
  type Stats,
  type StatsKind,
  type TokenSupply,
  type SyncInitInput,
  type User,
} from "access-creator-api";
// @ts-expect-error: there is no export `Client` (the class is `AccessClient`)
import { Client } from "access-creator-api";

// ---- Type assertions ----------------------------------------------------------------------------

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type IsAny<T> = 0 extends 1 & T ? true : false;
function assertType<T extends true>(): void {}

// ---- Starting -----------------------------------------------------------------------------------

const instance: InitOutput = await init();
assertType<Equal<typeof instance.memory, WebAssembly.Memory>>();
await init({ module_or_path: new URL("https://example.test/access_creator_api_bg.wasm") });
const input: InitInput = new Uint8Array(8);
await init({ module_or_path: Promise.resolve(input) });
const syncInput: SyncInitInput = new ArrayBuffer(8);
const sameInstance: InitOutput = initSync({ module: syncInput });
// @ts-expect-error: init() is asynchronous; its result is a Promise, not the instance
const notAwaited: InitOutput = init();

// ---- The client ---------------------------------------------------------------------------------

const clientOptions: ClientOptions = {
  baseUrl: "http://127.0.0.1:8081",
  timeoutMs: 10_000,
  maxRetries: 2,
  maxCsvBytes: 1 << 20,
};
const client = new AccessClient("eyJ.eyJ.sig", clientOptions);
const defaultClient = new AccessClient("eyJ.eyJ.sig");
const baseUrl: string = client.baseUrl;
// @ts-expect-error: baseUrl is read-only
client.baseUrl = "https://elsewhere.example";
// @ts-expect-error: a misspelled option (`baseURL`) is not silently ignored
new AccessClient("eyJ.eyJ.sig", { baseURL: "https://go-api.accessprotocol.co" });
// @ts-expect-error: the key is a string
new AccessClient(42);
// @ts-expect-error: AccessClient is a class, called with `new`
AccessClient("eyJ.eyJ.sig");

// ---- Records ------------------------------------------------------------------------------------

const controller = new AbortController();
const callOptions: CallOptions = { signal: controller.signal, timeoutMs: 5_000 };
const user = await client.getUser(callOptions);
assertType<Equal<typeof user, User>>();
assertType<Equal<IsAny<typeof user>, false>>();
const pubkey: string = user.Pubkey;
const username: string = user.Username;
const role: string = user.Role;
const autoSubs: boolean = user.EnabledEmailAutoSubs;
const created: Date = new Date(user.CreatedAt);
const updated: string = user.UpdatedAt;
// @ts-expect-error: a misspelled field (`PubKey`)
const misspelled = user.PubKey;
// @ts-expect-error: `OwnedPool` is null for a user without a pool; strict mode makes you check
const unchecked: string = user.OwnedPool.Name;
// @ts-expect-error: dates are RFC 3339 strings, not Date objects
const notADate: Date = user.CreatedAt;
// @ts-expect-error: a timeout is a number
await client.getUser({ timeoutMs: "5000" });

const pool: OwnedPool | null = user.OwnedPool;
if (pool !== null) {
  const fields: [string, string, string, string, string, string, string, string, string, string] = [
    pool.Pubkey,
    pool.Name,
    pool.Benefits,
    pool.Description,
    pool.Website,
    pool.Email,
    pool.LogoImageURL,
    pool.HeroImageURL,
    pool.ProfileImageURL,
    pool.UserPubkey,
  ];
  const flags: [boolean, boolean] = [pool.CollectEmails, pool.DisplayFE];
  const dates: [string, string] = [pool.CreatedAt, pool.UpdatedAt];
  // @ts-expect-error: a misspelled field (`LogoImageUrl`)
  pool.LogoImageUrl;
}

const parsed: User = parseUser('{"Pubkey":"…"}');
const parsedObject: User = parseUser(JSON.parse('{"Pubkey":"…"}') as object);
// @ts-expect-error: parseUser takes JSON text or an object, not a number
parseUser(42);

// ---- Exports ------------------------------------------------------------------------------------

const kinds: ExportKind[] = ["emails", "supporters", "rewards"];
// @ts-expect-error: a wrong export kind
const wrongKind: ExportKind = "email";
// @ts-expect-error: a wrong export kind, passed to a call
await client.exportCsv("csv");

const referenceId: string = await client.requestExport("emails", callOptions);
const ready: string | null = await client.downloadExport(referenceId, callOptions);
// @ts-expect-error: downloadExport resolves to null while the file is not ready
const notChecked: string = await client.downloadExport(referenceId);
const readyFile: Blob | null = await client.downloadExportBlob(referenceId, callOptions);
// @ts-expect-error: downloadExportBlob resolves to null while the file is not ready
const notCheckedFile: Blob = await client.downloadExportBlob(referenceId);

const seen: ExportProgress[] = [];
const exportOptions: ExportOptions = {
  signal: controller.signal,
  timeoutMs: 60_000,
  requestTimeoutMs: 10_000,
  pollIntervalMs: 500,
  onProgress: (progress) => {
    assertType<Equal<typeof progress, ExportProgress>>();
    const kind: ExportKind = progress.kind;
    const phase: ExportPhase = progress.phase;
    const attempt: number = progress.attempt;
    const id: string | null = progress.referenceId;
    const elapsed: number = progress.elapsedMs;
    seen.push(progress);
  },
};
const csv: string = await client.exportCsv("supporters", exportOptions);
await defaultClient.exportCsv("rewards");
const file: Blob = await client.exportCsvBlob("supporters", exportOptions);
// @ts-expect-error: exportCsvBlob resolves to a Blob, not text
const fileText: string = await client.exportCsvBlob("emails");
// @ts-expect-error: maxWaitMs is gone: timeoutMs bounds the whole export
await client.exportCsv("emails", { maxWaitMs: 60_000 });
// @ts-expect-error: requestTimeoutMs belongs to exports, which make several requests
await client.getUser({ requestTimeoutMs: 1_000 });
// @ts-expect-error: phases are a closed set
const finished: ExportPhase = "finished";
// @ts-expect-error: onProgress gets one progress report, not a phase string
await client.exportCsv("emails", { onProgress: (phase: string) => phase });

// ---- Keys ---------------------------------------------------------------------------------------

const decoded: DecodedKey = decodeApiKey("eyJ.eyJ.sig");
const subject: unknown = decoded.claims.sub;
const algorithm: unknown = decoded.header.alg;
// @ts-expect-error: decoded claims are unknown until checked
const subjectString: string = decoded.claims.sub;

// ---- Errors -------------------------------------------------------------------------------------

function describe(kind: AccessApiErrorKind): string {
  switch (kind) {
    case "invalid_key":
    case "invalid_argument":
      return "fix the input";
    case "unauthorized":
    case "forbidden":
    case "not_found":
      return "check the key";
    case "rate_limited":
    case "server":
    case "http":
    case "network":
    case "timeout":
    case "aborted":
    case "invalid_response":
    case "too_large":
    case "export_timeout":
      return "try again later";
    default: {
      // Every kind is handled: a new one would not compile here.
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

try {
  await client.getUser();
} catch (error) {
  if (error instanceof AccessApiError) {
    const name: "AccessApiError" = error.name;
    const message: string = error.message;
    const status: number | undefined = error.status;
    const retryAfterMs: number | undefined = error.retryAfterMs;
    const cause: unknown = error.cause;
    const asError: Error = error;
    describe(error.kind);
    // @ts-expect-error: an error kind that does not exist
    const unknownKind: AccessApiErrorKind = "timed_out";
  }
  // @ts-expect-error: an unknown value has no `kind` until checked
  error.kind;
  if (isAccessApiError(error)) {
    assertType<Equal<typeof error, AccessApiError>>();
    describe(error.kind);
  }
}
// A test double, as a user's own tests make one.
const options: AccessApiErrorOptions = { kind: "network", cause: new TypeError("fetch failed") };
const made: AccessApiError = new AccessApiError("offline", options);
// @ts-expect-error: an error needs its kind
new AccessApiError("boom");
// @ts-expect-error: a kind from the closed set
new AccessApiError("boom", { kind: "boom" });

// ---- Releasing ----------------------------------------------------------------------------------

{
  using scoped = new AccessClient("eyJ.eyJ.sig");
  await scoped.getUser();
}
client[Symbol.dispose]();
defaultClient.free();

export {};

// ---- Public calls, keyless clients, exact amounts ------------------------------------------------

const keyless = new AccessClient();
const keylessWithOptions = new AccessClient(null, { baseUrl: "http://127.0.0.1:8081", maxJsonBytes: 1 << 20 });
const hasKey: boolean = keyless.hasKey;
const pools: Pool[] = await keyless.getPools();
assertType<Equal<Pool["TotalStaked"], bigint>>();
assertType<Equal<Pool["Minimum"], bigint>>();
assertType<Equal<Pool["StakersPart"], number>>();
const owned: OwnedPool = pools[0]; // a listed pool has every OwnedPool field
// @ts-expect-error: an amount is a bigint, never a number that would round beyond 2^53
const rounded: number = pools[0].TotalStaked;
const featured: FeaturedPool[] = await keyless.getFeaturedPools({ timeoutMs: 5000 });
const counts: Record<string, number> = await keyless.getPoolUserCounts();
const locked: Record<string, bigint> = await keyless.getPoolLockedAmounts();
// @ts-expect-error: locked amounts are bigints
const lockedNumbers: Record<string, number> = await keyless.getPoolLockedAmounts();
const rewards: PoolRewards[] = await keyless.getPoolRewards();
assertType<Equal<PoolRewards["Claimed"], bigint>>();
const details: PoolDetails = await keyless.getPool(pools[0].Pubkey);
const subscriptions: EmailSubscription[] = details.EmailSubscriptions;
const mine: Record<string, bigint> = await client.getUserPools(user.Pubkey);
const forever: Record<string, bigint> = await client.getUserForeverPools(user.Pubkey, { signal: new AbortController().signal });
const which: TokenSupply = "circulating";
const supply: string = await keyless.getTokenSupply(which);
// @ts-expect-error: the supply is "total" or "circulating"
await keyless.getTokenSupply("max");
const kind: StatsKind = "cumulative_stake";
const newKind: StatsKind = "a_kind_added_later";
const stats: Stats = await keyless.getStats(kind);
const until: string = stats.UntilDate;
const vals: unknown[] = stats.Vals;
const anything: unknown = await keyless.get("/pools?limit=1");
const getOptions: GetOptions = { sendKey: true, timeoutMs: 1000 };
await client.get("/user", getOptions);
// @ts-expect-error: sendKey is a boolean
await client.get("/user", { sendKey: "yes" });
// @ts-expect-error: get's options are not the export's
await keyless.get("/pools", { pollIntervalMs: 100 });
void [hasKey, keylessWithOptions, owned, rounded, featured, counts, locked, lockedNumbers, rewards, subscriptions, mine, forever, supply, newKind, until, vals, anything];
