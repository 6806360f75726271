// A module worker using the package. The message handler is set before anything is awaited, so
// no message can arrive unhandled; `init()` is awaited in it (it loads the .wasm only once).
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

self.onmessage = async ({ data: { id, call, apiKey, baseUrl, kind } }) => {
  const scope = self.constructor.name; // DedicatedWorkerGlobalScope
  try {
    await init();
    const client = call === "callPublic" ? null : new AccessClient(apiKey, { baseUrl });
    if (call === "getUser") {
      self.postMessage({ id, scope, user: await client.getUser() });
    } else if (call === "callPublic") {
      const keyless = new AccessClient(undefined, { baseUrl });
      const locked = await keyless.getPoolLockedAmounts();
      const pools = await keyless.getPools();
      self.postMessage({ id, scope,
        locked: Object.fromEntries(Object.entries(locked).map(([pool, amount]) => [pool, `${typeof amount}:${amount}`])),
        pools: pools.length,
        staked: pools.every((pool) => typeof pool.TotalStaked === "bigint"),
        supply: await keyless.getTokenSupply("total"),
        keyed: await keyless.getUser().then(() => null, (error) => error.kind),
      });
    } else {
      const phases = [];
      const csv = await client.exportCsv(kind, { pollIntervalMs: 100, onProgress: (p) => phases.push(p.phase) });
      self.postMessage({ id, scope, csv, phases });
    }
  } catch (error) {
    self.postMessage({ id, scope, error: {
        name: error.name,
        kind: error.kind,
        status: error.status,
        message: error.message,
        instanceOfClass: error instanceof AccessApiError,
        instanceOfError: error instanceof Error,
        guard: isAccessApiError(error),
      } });
  }
};
