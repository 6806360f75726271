// A Node ES-module script using the package: `import` is all it takes (the package's "exports"
// give Node an entry that loads the .wasm from disk); calls go out with Node's global fetch.
// Prints one JSON line of what it got; reads ACCESS_API_URL and ACCESS_API_KEY.
import { createServer } from "node:net";

import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey, ACCESS_API_REJECTED_KEY: rejectedKey } = process.env;
const errorOf = (error) => ({
  name: error.name,
  kind: error.kind,
  status: error.status,
  message: error.message,
  instanceOfClass: error instanceof AccessApiError,
  instanceOfError: error instanceof Error,
  guard: isAccessApiError(error),
});

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

// A port nothing listens on: bound, then closed.
const closedPort = await new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const refused = await new AccessClient(apiKey, { baseUrl: `http://127.0.0.1:${closedPort}`, maxRetries: 0 })
  .getUser()
  .then(
    () => null,
    (error) => ({ kind: error.kind, cause: error.cause?.name, code: error.cause?.cause?.code }),
  );

const phases = [];
const csv = await client.exportCsv("supporters", { pollIntervalMs: 100, onProgress: (p) => phases.push(p.phase) });

console.log(
  JSON.stringify({
    entry: import.meta.resolve("access-creator-api"),
    user,
    again,
    rejected,
    refused,
    csv,
    phases,
  }),
);
