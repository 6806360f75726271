// The page of a Vite app whose module Web Worker (worker.js) uses the package. The page itself
// never imports it: every call is made in the worker.
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const pending = new Map();
let nextId = 0;
worker.onmessage = ({ data }) => {
  pending.get(data.id)(data);
  pending.delete(data.id);
};
const ask = (message) =>
  new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    worker.postMessage({ ...message, id });
  });

// What the test calls, with the sandbox's URL and a key (never in the page's URL).
window.consumer = {
  fetchUser: (apiKey, baseUrl) => ask({ call: "getUser", apiKey, baseUrl }),
  exportCsv: (apiKey, baseUrl, kind) => ask({ call: "exportCsv", apiKey, baseUrl, kind }),
  callPublic: (_apiKey, baseUrl) => ask({ call: "callPublic", baseUrl }),
};
document.documentElement.dataset.ready = "";
document.querySelector("#out").textContent = "Ready";
