// What an edge function does with the package, the same in Cloudflare's workerd (workerd/) and
// Vercel's edge-runtime (edge/): each imports the package as its platform's bundler resolves it
// and answers a request with what the calls got, as JSON, for run.mjs to compare with the
// sandbox's answers. The sandbox's URL and keys come from the platform's own variables (a
// Worker's bindings, an edge function's `process.env`), never from the request.
import { callPublic } from "./public-calls.mjs";

/** Makes the calls and returns what they got; `runtime` names where it ran. */
export async function useThePackage({ init, AccessApiError, AccessClient, isAccessApiError }, { baseUrl, apiKey, rejectedKey, runtime }) {
  const errorOf = (error) => ({
    name: error.name,
    kind: error.kind,
    status: error.status,
    message: error.message,
    instanceOfClass: error instanceof AccessApiError,
    instanceOfError: error instanceof Error,
    guard: isAccessApiError(error),
  });
  const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error: errorOf(error) }));

  // Without init(): the edge entry has already instantiated the module it was handed.
  const publicCalls = await callPublic(AccessClient, baseUrl).catch((error) => ({ error: errorOf(error) }));
  const user = await settle(new AccessClient(apiKey, { baseUrl }).getUser());
  // The documented start still works, and resolves at once.
  await init();
  const again = await settle(new AccessClient(apiKey, { baseUrl }).getUser());
  const rejected = await settle(new AccessClient(rejectedKey, { baseUrl }).getUser());
  return { runtime, publicCalls, user, again, rejected };
}

/** The JSON response with what `useThePackage` got (bigints are already text). */
export const answer = (got) => new Response(JSON.stringify(got), { headers: { "content-type": "application/json" } });
