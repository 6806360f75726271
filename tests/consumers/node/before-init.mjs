// The browser entry of the package in Node (`node --conditions=browser`), where nothing loads
// the module at import: every call before `init()` throws an Error that says to call it, and
// after `init()` (given the .wasm's bytes, as Node's fetch cannot read files) calls work.
// Concurrent `init()` calls share one load: they resolve to the same instance's exports, and a
// later call to it too.
// Prints one JSON line; reads ACCESS_API_URL and ACCESS_API_KEY.
import { readFileSync } from "node:fs";

import init, { AccessClient, decodeApiKey, parseUser } from "access-creator-api";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey } = process.env;

const before = [
  () => new AccessClient(apiKey, { baseUrl }),
  () => parseUser("{}"),
  () => decodeApiKey(apiKey),
].map((call) => {
  try {
    call();
    return null;
  } catch (error) {
    return { name: error.name, message: error.message };
  }
});

const bytes = readFileSync(new URL(import.meta.resolve("access-creator-api/access_creator_api_bg.wasm")));
const loads = await Promise.all([init({ module_or_path: bytes }), init({ module_or_path: bytes })]);
const later = await init({ module_or_path: bytes });
const oneLoad = loads[0] === loads[1] && later === loads[0];
const user = await new AccessClient(apiKey, { baseUrl }).getUser();

console.log(JSON.stringify({ entry: import.meta.resolve("access-creator-api"), before, oneLoad, user }));
