// The entry edge runtimes get (the "workerd" and "edge-light" conditions of package.json's
// "exports"): Cloudflare Workers and Vercel Edge compile no WebAssembly from bytes at run time
// and cannot fetch a file next to the module, so their bundlers (wrangler, Vercel's and Next.js's
// edge builds) turn an import of `*.wasm?module` into the compiled `WebAssembly.Module`. The
// module is instantiated here, at import; `await init()` still works and resolves at once, so one
// way of starting works everywhere.
import module from "./access_creator_api_bg.wasm?module";

import { initSync } from "./index.js";

initSync({ module });

export * from "./index.js";
export { default } from "./index.js";
