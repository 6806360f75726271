// A Node ES-module script using the package: `import` is all it takes (the package's "exports"
// give Node an entry that loads the .wasm from disk); calls go out with Node's global fetch.
// Prints one JSON line of what it got; reads ACCESS_API_URL and ACCESS_API_KEY.
import init, { AccessClient } from "access-api";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey, ACCESS_API_REJECTED_KEY: rejectedKey } = process.env;
const errorOf = (error) => ({ name: error.name, kind: error.kind, status: error.status, message: error.message });

// Without init(): the Node entry has already loaded the module.
const client = new AccessClient(apiKey, { baseUrl });
const user = await client.getUser();

// With the documented start, as in a browser: resolves at once.
await init();
const again = await new AccessClient(apiKey, { baseUrl }).getUser();

const rejected = await new AccessClient(rejectedKey, { baseUrl }).getUser().then(
  () => null,
  errorOf,
);

const phases = [];
const csv = await client.exportCsv("supporters", { pollIntervalMs: 100, onProgress: (p) => phases.push(p.phase) });

console.log(
  JSON.stringify({
    entry: import.meta.resolve("access-api"),
    user,
    again,
    rejected,
    csv,
    phases,
  }),
);
