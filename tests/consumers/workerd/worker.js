// A Cloudflare Worker using the package as a Worker author writes it: a plain import, no loader
// code. run.mjs bundles it as wrangler does (the `workerd` condition; the `.wasm` kept as a
// module of its own) and serves it with workerd (config.capnp). The sandbox's URL and keys are
// the Worker's bindings, taken from workerd's environment.
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

import { answer, useThePackage } from "../edge-calls.mjs";

export default {
  async fetch(_request, env) {
    return answer(
      await useThePackage(
        { init, AccessApiError, AccessClient, isAccessApiError },
        {
          baseUrl: env.ACCESS_API_URL,
          apiKey: env.ACCESS_API_KEY,
          rejectedKey: env.ACCESS_API_REJECTED_KEY,
          runtime: navigator.userAgent,
        },
      ),
    );
  },
};
