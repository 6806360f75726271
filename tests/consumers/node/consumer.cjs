// A CommonJS script using the package with `require` (Node ≥ 20.19 can require ES modules).
// Prints one JSON line of what it got; reads ACCESS_API_URL and ACCESS_API_KEY.
const { AccessClient } = require("access-creator-api");

const { ACCESS_API_URL: baseUrl, ACCESS_API_KEY: apiKey } = process.env;
new AccessClient(apiKey, { baseUrl }).getUser().then((user) => console.log(JSON.stringify({ user })));
