// The public calls a keyless client makes, shared by the server-side scripts (calls.mjs) and the
// edge consumers (edge-calls.mjs); it imports nothing, so a Worker bundle can take it as it is.

/**
 * A keyless client's public calls, as a public web app makes them: the locked amounts (as
 * decimal text, so that they survive JSON and show whether they were exact `bigint`s), the
 * number of pools, the token supply, and the kind a keyed call is refused with.
 */
export async function callPublic(AccessClient, baseUrl) {
  const client = new AccessClient(undefined, { baseUrl });
  const locked = await client.getPoolLockedAmounts();
  const pools = await client.getPools();
  return {
    locked: Object.fromEntries(Object.entries(locked).map(([pool, amount]) => [pool, `${typeof amount}:${amount}`])),
    pools: pools.length,
    staked: pools.every((pool) => typeof pool.TotalStaked === "bigint"),
    supply: await client.getTokenSupply("total"),
    keyed: await client.getUser().then(() => null, (error) => error.kind),
  };
}
