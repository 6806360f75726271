// A Vercel Edge Function using the package as its author writes it: a plain import, no loader
// code. run.mjs bundles it as Vercel's edge build does (the `edge-light` condition; the `.wasm`
// handed over as a compiled module) and serves it with edge-runtime, Vercel's local edge runtime.
// The sandbox's URL and keys are the function's environment variables.
import init, { AccessApiError, AccessClient, isAccessApiError } from "access-creator-api";

import { answer, useThePackage } from "../edge-calls.mjs";

export const config = { runtime: "edge" };

export default async function handler(_request) {
  return answer(
    await useThePackage(
      { init, AccessApiError, AccessClient, isAccessApiError },
      {
        baseUrl: process.env.ACCESS_API_URL,
        apiKey: process.env.ACCESS_API_KEY,
        rejectedKey: process.env.ACCESS_API_REJECTED_KEY,
        runtime: typeof EdgeRuntime === "string" ? EdgeRuntime : "not an edge runtime",
      },
    ),
  );
}
