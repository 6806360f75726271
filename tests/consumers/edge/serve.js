// What Vercel's edge build wraps around a function (function.js): its default export answers
// the runtime's fetch events.
import handler from "./function.js";

addEventListener("fetch", (event) => event.respondWith(handler(event.request)));
