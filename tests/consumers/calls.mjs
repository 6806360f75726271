// What a server-side script does with the package, the same in every runtime that runs one
// (node/, deno/ and bun/consumer.mjs): each imports the package its own way and hands over what
// it imported. Returns what the calls got, for run.mjs to compare with the sandbox's answers.
import { createServer } from "node:net";

import { callPublic } from "./public-calls.mjs";

/** The calls, with `baseUrl` (a live sandbox), its creator key and a key it rejects. */
export async function useThePackage({ init, AccessApiError, AccessClient, isAccessApiError }, { baseUrl, apiKey, rejectedKey }) {
  const errorOf = (error) => ({
    name: error.name,
    kind: error.kind,
    status: error.status,
    message: error.message,
    instanceOfClass: error instanceof AccessApiError,
    instanceOfError: error instanceof Error,
    guard: isAccessApiError(error),
  });

  // Without init(): the runtime's entry (node.js) has already loaded the module.
  const client = new AccessClient(apiKey, { baseUrl });
  const user = await client.getUser();

  // With the documented start, as in a browser: resolves at once.
  await init();
  const again = await new AccessClient(apiKey, { baseUrl }).getUser();

  const rejected = await new AccessClient(rejectedKey, { baseUrl }).getUser().then(() => null, errorOf);

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

  const publicCalls = await callPublic(AccessClient, baseUrl);

  return { user, again, rejected, refused, csv, phases, publicCalls };
}
