# workerd serving worker.js, bundled by run.mjs into dist/ (worker.js and the package's .wasm as a
# module of its own, as wrangler uploads them). The sandbox's URL and keys are bindings read from
# workerd's environment, so they are written nowhere; run.mjs chooses the port with
# `--socket-addr http=127.0.0.1:<port>`.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # The Worker's fetch goes out through this service. "local" lets it reach the sandbox on
    # loopback, which workerd's default network refuses.
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "dist/worker.js"),
    (name = "access_creator_api_bg.wasm", wasm = embed "dist/access_creator_api_bg.wasm"),
  ],
  compatibilityDate = "2026-11-01",
  bindings = [
    (name = "ACCESS_API_URL", fromEnvironment = "ACCESS_API_URL"),
    (name = "ACCESS_API_KEY", fromEnvironment = "ACCESS_API_KEY"),
    (name = "ACCESS_API_REJECTED_KEY", fromEnvironment = "ACCESS_API_REJECTED_KEY"),
  ],
  globalOutbound = "internet",
);
