// A Deno script using the package through an `npm:` specifier. run.mjs runs it with
// `--node-modules-dir=manual`, so Deno takes the package from tests/consumers/node_modules (the
// installed tarball) and never from a registry; its "exports" give Deno the Node entry.
// Prints one JSON line of what it got (calls.mjs); reads ACCESS_API_URL, ACCESS_API_KEY and
// ACCESS_API_REJECTED_KEY.
import init, { AccessApiError, AccessClient, isAccessApiError } from "npm:access-creator-api";

import { useThePackage } from "../calls.mjs";

const [baseUrl, apiKey, rejectedKey] = ["ACCESS_API_URL", "ACCESS_API_KEY", "ACCESS_API_REJECTED_KEY"].map((name) =>
  Deno.env.get(name),
);
const got = await useThePackage({ init, AccessApiError, AccessClient, isAccessApiError }, { baseUrl, apiKey, rejectedKey });
console.log(JSON.stringify({ runtime: Deno.version.deno, entry: import.meta.resolve("npm:access-creator-api"), ...got }));
