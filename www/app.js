import init, { AccessClient } from "/pkg/access_api.js";

const $ = (selector) => document.querySelector(selector);

async function main() {
  await init();
  const sandbox = await fetch("/sandbox.json").then((r) => (r.ok ? r.json() : null), () => null);
  $("#key-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#status").textContent = "Fetching…";
    $("#record").textContent = "";
    try {
      const options = sandbox ? { baseUrl: sandbox.apiBaseUrl } : {};
      const user = await new AccessClient($("#api-key").value, options).getUser();
      $("#record").textContent = JSON.stringify(user, null, 2);
      $("#status").textContent = "";
    } catch (error) {
      $("#status").textContent = `${error.kind ?? "error"}: ${error.message}`;
    }
  });
}

main();
