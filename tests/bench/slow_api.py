"""A slower stand-in of GET /user for `cargo xtask bench`: Python's own http.server (HTTP/1.0,
one connection per request), answering the documented sample record with CORS headers.

    python3 tests/bench/slow_api.py            # prints "slow api: http://127.0.0.1:<port>"

It checks nothing (any bearer key is answered): it is a latency profile, not an API.
"""

import http.server
import pathlib
import sys

RECORD = (pathlib.Path(__file__).parent.parent / "fixtures" / "user.sample.json").read_bytes()
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Headers": "authorization, accept, content-type",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Max-Age": "600",
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_OPTIONS(self):
        self.send_response(204)
        for name, value in CORS.items():
            self.send_header(name, value)
        self.end_headers()

    def do_GET(self):
        if self.path != "/user":
            self.send_error(404)
            return
        self.send_response(200)
        for name, value in CORS.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(RECORD)))
        self.end_headers()
        self.wfile.write(RECORD)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"slow api: http://127.0.0.1:{server.server_address[1]}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
