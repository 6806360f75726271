// Two copies of the package in one process, as when an app and one of its dependencies each
// install their own: an error from one copy is not an instance of the other's class, and
// `isAccessApiError` of either still recognises it. Also the class as users build it
// (`new AccessApiError(message, options)`, in their own tests or wrappers), and a client released
// early. Prints one JSON line; reads ACCESS_API_URL, ACCESS_API_KEY and ACCESS_API_REJECTED_KEY.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import * as first from "access-creator-api";

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey, ACCESS_API_REJECTED_KEY: rejectedKey } = process.env;

const installed = fileURLToPath(new URL(".", import.meta.resolve("access-creator-api")));
const copyDir = mkdtempSync(join(tmpdir(), "access-creator-api-copy-"));
let got;
try {
  cpSync(installed, copyDir, { recursive: true });
  const second = await import(pathToFileURL(join(copyDir, "node.js")).href);
  const fromSecond = await new second.AccessClient(rejectedKey, { baseUrl }).getUser().catch((error) => error);

  const cause = new TypeError("underneath");
  const built = new first.AccessApiError("built by hand", { kind: "network", status: 502, retryAfterMs: 1500, cause });
  const bare = new first.AccessApiError("no cause", { kind: "timeout" });
  const lookalike = new Error("not ours");
  lookalike.name = "AccessApiError";

  // free() and Symbol.dispose: the client's calls throw after it, and other clients still work.
  const afterRelease = [];
  for (const release of [(client) => client.free(), (client) => client[Symbol.dispose]()]) {
    const client = new first.AccessClient(apiKey, { baseUrl });
    release(client);
    let returned = false;
    try {
      const call = client.getUser();
      returned = true;
      await call;
      afterRelease.push("worked");
    } catch (error) {
      afterRelease.push(`${returned ? "rejected" : "threw"} ${error.name}: ${error.message}`);
    }
  }
  const stillWorks = (await new first.AccessClient(apiKey, { baseUrl }).getUser()).Username;

  got = {
    afterRelease,
    stillWorks,
    twoModules: second.AccessApiError !== first.AccessApiError,
    fromSecond: {
      kind: fromSecond.kind,
      instanceOfFirst: fromSecond instanceof first.AccessApiError,
      instanceOfSecond: fromSecond instanceof second.AccessApiError,
      firstGuard: first.isAccessApiError(fromSecond),
      secondGuard: second.isAccessApiError(fromSecond),
    },
    built: {
      instanceOfClass: built instanceof first.AccessApiError,
      instanceOfError: built instanceof Error,
      name: built.name,
      message: built.message,
      kind: built.kind,
      status: built.status,
      retryAfterMs: built.retryAfterMs,
      causeKept: built.cause === cause,
      hasStack: typeof built.stack === "string" && built.stack.includes("built by hand"),
      guard: first.isAccessApiError(built),
    },
    bare: { hasCause: "cause" in bare, hasStatus: "status" in bare, hasRetryAfterMs: "retryAfterMs" in bare },
    // Lookalikes are not taken for it: an Error named so without a kind, a plain object, null.
    lookalikes: [lookalike, { name: "AccessApiError", kind: "network", message: "" }, null, undefined, "AccessApiError"].map(
      (value) => first.isAccessApiError(value),
    ),
  };
} finally {
  rmSync(copyDir, { recursive: true, force: true });
}
console.log(JSON.stringify(got));
