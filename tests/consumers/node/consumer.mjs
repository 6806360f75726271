// A Node ES-module script using the package: `import` is all it takes (the package's "exports"
// give Node an entry that loads the .wasm from disk); calls go out with Node's global fetch.
// Prints one JSON line of what it got (calls.mjs); reads ACCESS_API_URL, ACCESS_API_KEY and
// ACCESS_API_REJECTED_KEY.
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

import { useThePackage } from "../calls.mjs";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey, ACCESS_API_REJECTED_KEY: rejectedKey } = process.env;
const got = await useThePackage({ init, AccessApiError, AccessClient, isAccessApiError }, { baseUrl, apiKey, rejectedKey });
console.log(JSON.stringify({ runtime: process.version, entry: import.meta.resolve("access-creator-api"), ...got }));
