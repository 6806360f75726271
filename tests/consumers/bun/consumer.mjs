// A Bun script using the package as a Bun user imports it: a bare specifier, resolved from
// tests/consumers/node_modules (the installed tarball; run.mjs runs Bun with --no-install, so it
// never fetches a package). Its "exports" give Bun the Node entry.
// Prints one JSON line of what it got (calls.mjs); reads ACCESS_API_URL, ACCESS_API_KEY and
// ACCESS_API_REJECTED_KEY.
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

import { useThePackage } from "../calls.mjs";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey, ACCESS_API_REJECTED_KEY: rejectedKey } = Bun.env;
const got = await useThePackage({ init, AccessApiError, AccessClient, isAccessApiError }, { baseUrl, apiKey, rejectedKey });
console.log(JSON.stringify({ runtime: Bun.version, entry: import.meta.resolve("access-creator-api"), ...got }));
