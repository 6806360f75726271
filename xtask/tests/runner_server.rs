//! The fix in `vendor/tiny_http` (vendor/PATCHED.md), which `cargo xtask` builds the wasm-bindgen
//! test runner with: a burst of connections, as a browser opens them for a page's modules, is
//! answered whole. Unpatched, tiny_http 0.12.0 left at least one of six connections unanswered
//! in 18 of 20 such rounds on this machine (a queued task with no thread to take it, until some
//! other connection closed): the page never loaded and the Chrome suite hung until its timeout.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::Duration;

/// Opens `connections` keep-alive connections at once to a fresh server, sends one request on
/// each and keeps them all open; returns how many got no answer within two seconds.
fn unanswered_in_a_burst(connections: usize) -> usize {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("a server on loopback"));
    let port = server.server_addr().to_ip().expect("an IP address").port();
    let serving = Arc::clone(&server);
    // Like rouille, which the runner serves with: a thread per request.
    std::thread::spawn(move || {
        for request in serving.incoming_requests() {
            std::thread::spawn(move || {
                let _ = request.respond(tiny_http::Response::from_string("ok"));
            });
        }
    });
    let start = Arc::new(Barrier::new(connections));
    let clients: Vec<_> = (0..connections)
        .map(|_| {
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let mut connection = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                connection
                    .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .expect("send");
                connection
                    .set_read_timeout(Some(Duration::from_secs(2)))
                    .expect("a read timeout");
                let mut buffer = [0u8; 256];
                let answered = matches!(connection.read(&mut buffer), Ok(n) if n > 0);
                // Kept open until every client is done, as a browser keeps its connections.
                (answered, connection)
            })
        })
        .collect();
    let results: Vec<_> = clients
        .into_iter()
        .map(|client| client.join().expect("a client thread"))
        .collect();
    results.iter().filter(|(answered, _)| !answered).count()
}

#[test]
fn every_connection_of_a_burst_is_answered() {
    for round in 0..20 {
        for connections in [6, 12] {
            assert_eq!(
                unanswered_in_a_burst(connections),
                0,
                "round {round}: a burst of {connections} connections"
            );
        }
    }
}
