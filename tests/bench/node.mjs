// The list rows of the benchmark in Node (tests/bench/pools.js, the code the browser page runs),
// with json-bigint and lossless-json as Node loads them from node_modules. tests/bench/run.mjs
// runs this script and prints its rows in the same table:
//
//   PKG_DIR=<package> LISTS=<JSON: [{ name, baseUrl, call, path, rounds, warmup, decodeRounds? }]>
//   node tests/bench/node.mjs
//
// Prints one JSON line: { node, lists: [{ name, network, decode? }] }.

import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import * as LosslessJSON from "lossless-json";

const { PKG_DIR, LISTS, OUT_DIR } = process.env;
if (!PKG_DIR || !LISTS || !OUT_DIR) {
  console.error("usage: PKG_DIR=… LISTS=… OUT_DIR=… node tests/bench/node.mjs");
  process.exit(2);
}
// The package is built for the web (`--target web`), and pools.js is shared with the page: ES
// modules in .js files with no package.json saying so. Copies beside one let Node load them as
// a bundler would.
const dir = join(OUT_DIR, "node");
const pkg = join(dir, "pkg");
rmSync(dir, { recursive: true, force: true });
cpSync(PKG_DIR, pkg, { recursive: true });
cpSync(join(dirname(fileURLToPath(import.meta.url)), "pools.js"), join(dir, "pools.js"));
writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
const lists = await import(pathToFileURL(join(dir, "pools.js")));
const jsonModule = readdirSync(join(pkg, "snippets"), { recursive: true }).find((name) => name.endsWith("src/json.js"));
const { default: init, AccessClient } = await import(pathToFileURL(join(pkg, "index.js")));
const { parseJson } = await import(pathToFileURL(join(pkg, "snippets", jsonModule)));
const wasm = await init({ module_or_path: readFileSync(join(pkg, "access_creator_api_bg.wasm")) });

const libs = {
  AccessClient,
  parseJson,
  JSONbig: createRequire(import.meta.url)("json-bigint"),
  LosslessJSON,
  memory: () => wasm.memory.buffer.byteLength,
};
const results = [];
for (const { name, decodeRounds, ...args } of JSON.parse(LISTS)) {
  const network = await lists.network(libs, args);
  const decode = decodeRounds
    ? await lists.decode(libs, { url: `${args.baseUrl}${args.path}`, rounds: decodeRounds, warmup: 1 })
    : undefined;
  results.push({ name, network, decode });
  console.error(`node: ${name}: done`);
}
console.log(JSON.stringify({ node: process.version, lists: results }));
