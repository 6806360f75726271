// The entry Node gets (the "node" condition of package.json's "exports"). The same module and
// the same JavaScript as in browsers, instantiated here, at import, from the .wasm file next to
// this one, read from disk (Node's fetch cannot read files). `await init()` still works and
// resolves at once, so one way of starting works everywhere.
import { readFileSync } from "node:fs";

import { initSync } from "./index.js";

initSync({ module: readFileSync(new URL("./access_creator_api_bg.wasm", import.meta.url)) });

export * from "./index.js";
export { default } from "./index.js";
