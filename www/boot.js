// A classic script, loaded first and not deferred, so it runs before the page's module and even
// where that module cannot load.
//
// 1. No form on this page is ever submitted natively: from the very start (before the form
//    exists, before the module and /sandbox.json load, and if they never do), pressing Enter
//    in the key field must not send the key anywhere, into a URL or a request body. The
//    module's own submit handler still runs; it does the fetch.
// 2. Opened straight from disk (file://), browsers refuse ES modules and WebAssembly, and the
//    page would otherwise sit there silently; a module that never loads says so too.
"use strict";
document.addEventListener("submit", function (event) {
  event.preventDefault();
}, true);

(function () {
  function show(text) {
    var notice = document.getElementById("boot-notice");
    notice.textContent = "";
    text.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      notice.appendChild(p);
    });
    notice.hidden = false;
  }
  if (location.protocol === "file:") {
    document.addEventListener("DOMContentLoaded", function () {
      show([
        "This page must be served over HTTP: opened from disk, browsers do not load its JavaScript module or WebAssembly.",
        "From the repository, run: cargo xtask demo — then open the URL it prints (http://127.0.0.1:8080).",
        "Or serve the www/ folder with any static server, with the built package at /pkg/ (for example: python3 -m http.server, after copying pkg/ into www/).",
      ]);
    });
    return;
  }
  setTimeout(function () {
    if (!document.documentElement.hasAttribute("data-ready")) {
      show([
        "The page's module has not loaded. Is the package built? Run cargo xtask demo, which builds it into pkg/ and serves it at /pkg/.",
      ]);
    }
  }, 8000);
})();
