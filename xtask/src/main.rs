//! The project's automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! Every command first installs what it needs and is missing, one named step at a time, so the
//! same two commands work on a fresh machine and on a warm one.

mod bench;
mod changelog;
mod consumers;
mod crate_package;
mod demo;
mod entry;
mod expected;
mod minify;
mod names;
mod pack;
mod process;
mod sandbox;
mod size;
mod tarball;
mod test;
mod tools;
mod types;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  demo [--api-port N] [--demo-port N] [--bind IP] [--upstream URL] [--connect-src ORIGIN]
       [--pools N]                      build the package, start the sandbox API and serve the
                                        demo page; runs until Ctrl-C. --upstream also forwards
                                        the documented API paths to a real API (proxy mode);
                                        --pools: how many pools the sandbox serves (default 200)
  sandbox [--pools N]                   the sandbox as the wasm tests expect it: API on
                                        http://127.0.0.1:8081, demo page on :8080, test control
                                        on; runs until Ctrl-C (then, in another terminal:
                                        wasm-pack test --headless --chrome | --firefox | --node)
  test                                  install what is missing, then run every test
  bench                                 benchmarks in headless Chromium against the sandbox: size,
                                        start-up, per-call cost and exports against plain fetch;
                                        lists of 200 to 20,000 pools against fetch + JSON.parse,
                                        json-bigint and lossless-json (in Node too); prints a
                                        table, writes target/bench/bench.{json,md}
  pack                                  build the npm package and write its tarball to
                                        target/pack/access-creator-api-<version>.tgz; prints its path
  types                                 write the built package's TypeScript declarations to
                                        tests/access_creator_api.d.ts (the copy `test` compares with)
  help                                  this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("sandbox") => sandbox::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("pack") => pack::run(&args[1..]),
        Some("types") => types::run(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
