// The package's entry: the module wasm-bindgen generates (`access_creator_api.js`), plus what it cannot
// give: the error class (a JavaScript class, so that it extends `Error`) and a clear error for a
// call made before the WebAssembly module is loaded. `cargo xtask` writes this file into the
// package with ERROR_MODULE replaced by the path wasm-bindgen gave the class's module.
import wasmInit, {
  initSync as wasmInitSync,
  AccessClient as GeneratedClient,
  parseUser as generatedParseUser,
  decodeApiKey as generatedDecodeApiKey,
} from "./access_creator_api.js";
import { AccessApiError, isAccessApiError } from "ERROR_MODULE";

export { AccessApiError, isAccessApiError };

let ready = false;

function notReady(what) {
  return new Error(
    `access-creator-api: ${what} needs the WebAssembly module: call \`await init()\` once, before any other call`,
  );
}

/** Loads the WebAssembly module; every other call needs it. Resolves at once when loaded. */
export default async function init(moduleOrPath) {
  const exports = await wasmInit(moduleOrPath);
  ready = true;
  return exports;
}

/** Loads the WebAssembly module from its bytes or a compiled module, synchronously. */
export function initSync(module) {
  const exports = wasmInitSync(module);
  ready = true;
  return exports;
}

export class AccessClient extends GeneratedClient {
  constructor(apiKey, options) {
    if (!ready) throw notReady("new AccessClient()");
    super(apiKey, options);
  }
}

export function parseUser(json) {
  if (!ready) throw notReady("parseUser()");
  return generatedParseUser(json);
}

export function decodeApiKey(apiKey) {
  if (!ready) throw notReady("decodeApiKey()");
  return generatedDecodeApiKey(apiKey);
}
