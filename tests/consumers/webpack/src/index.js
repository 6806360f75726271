// A webpack 5 app using the package as its README says: no loader, no webpack config
// (`webpack --mode production` builds src/index.js into dist/main.js).
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

await init();

const out = document.querySelector("#out");

// What the test calls, with the sandbox's URL and a key (never in the page's URL).
window.consumer = {
  async fetchUser(apiKey, baseUrl) {
    try {
      const user = await new AccessClient(apiKey, { baseUrl }).getUser();
      out.textContent = `${user.Username}: ${user.OwnedPool?.Name ?? "no pool"}`;
      return { user };
    } catch (error) {
      out.textContent = `Error: ${error.kind}`;
      return { error: {
        name: error.name,
        kind: error.kind,
        status: error.status,
        message: error.message,
        instanceOfClass: error instanceof AccessApiError,
        instanceOfError: error instanceof Error,
        guard: isAccessApiError(error),
      } };
    }
  },
  async callPublic(_apiKey, baseUrl) {
    const client = new AccessClient(undefined, { baseUrl });
    const locked = await client.getPoolLockedAmounts();
    const pools = await client.getPools();
    return {
      locked: Object.fromEntries(Object.entries(locked).map(([pool, amount]) => [pool, `${typeof amount}:${amount}`])),
      pools: pools.length,
      staked: pools.every((pool) => typeof pool.TotalStaked === "bigint"),
      supply: await client.getTokenSupply("total"),
      keyed: await client.getUser().then(() => null, (error) => error.kind),
    };
  },
  async exportCsv(apiKey, baseUrl, kind) {
    const phases = [];
    const client = new AccessClient(apiKey, { baseUrl });
    const csv = await client.exportCsv(kind, { pollIntervalMs: 100, onProgress: (p) => phases.push(p.phase) });
    return { csv, phases };
  },
};
document.documentElement.dataset.ready = "";
out.textContent = "Ready";
