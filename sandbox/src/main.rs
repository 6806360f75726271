//! `sandbox`: a local stand-in of the documented Access Protocol creator API, serving the demo
//! page too. See `sandbox --help`, `sandbox/README.md`, and the module docs: [`api`] (the
//! stand-in), [`testing`] (test control, the layer around it, `--test-control`) and [`demo`]
//! (the demo origin, its proxy and its test features).
//!
//! This file only wires things together: parse flags, bind both listeners, build both origins
//! from their parts ([`api_app`] shows what wraps what), print the start lines, serve until
//! Ctrl-C or SIGTERM.

mod accounts;
mod api;
mod cli;
mod cors;
mod csv;
mod demo;
mod error;
mod host;
mod keys;
mod logging;
mod origins;
mod redact;
#[cfg(test)]
mod rfc4180;
mod testing;

use std::future::IntoFuture as _;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderValue};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use clap::Parser as _;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::cli::Cli;
use crate::host::AllowedHosts;
use crate::keys::DemoKey;
use crate::testing::{Sessions, Testing};

/// How long open connections may keep the sandbox alive after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("sandbox: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), BoxError> {
    if let Some(flags) = cli.remote_exposure() {
        if !cli.allow_remote {
            return Err(format!(
                "refusing to listen on {} with {flags}: other machines could use them (mint \
                 test keys and inject faults; relay API keys through the proxy). Listen on \
                 loopback (the default --bind 127.0.0.1), or add --allow-remote if you mean it",
                cli.bind
            )
            .into());
        }
        eprintln!(
            "sandbox: warning: listening on {} with {flags} (--allow-remote): anyone who can \
             reach these ports can use them",
            cli.bind
        );
    }
    let api_listener = bind(cli.bind, cli.api_port, "--api-port").await?;
    let demo_listener = match cli.no_demo {
        true => None,
        false => Some(bind(cli.bind, cli.demo_port, "--demo-port").await?),
    };
    let api_origin = origin(api_listener.local_addr()?);
    let demo_origin = demo_listener
        .as_ref()
        .map(|l| l.local_addr().map(origin))
        .transpose()?;

    let demo_keys = keys::demo_keys()?;
    let proxy_base_url = demo::proxy_base_url(demo_origin.as_deref(), cli.upstream.as_ref());
    let testing = Testing {
        sessions: Arc::new(Sessions::default()),
        demo_origin: demo_origin.as_deref().map(Arc::from),
    };
    let mut public_hosts = cli.public_host.clone();
    if !cli.bind.is_unspecified() {
        public_hosts.push(host::host_name(cli.bind));
    }
    let hosts = |listener: &TcpListener| -> std::io::Result<AllowedHosts> {
        Ok(AllowedHosts::new(
            listener.local_addr()?.port(),
            &public_hosts,
        ))
    };
    let stand_in = api::StandIn::new(
        &api_origin,
        Duration::from_millis(cli.export_delay_ms),
        cli.pools,
    );
    let api_app = with_logging(
        api_app(stand_in, &testing, cli.test_control, hosts(&api_listener)?),
        cli.quiet,
    );
    let demo_app = match (&demo_listener, &demo_origin) {
        (Some(listener), Some(demo_origin)) => {
            let demo = demo::Demo {
                api_origin: api_origin.clone(),
                demo_origin: demo_origin.clone(),
                demo_keys: demo_keys.clone(),
                upstream: cli.upstream.clone(),
                upstream_timeouts: demo::UpstreamTimeouts {
                    answer: Duration::from_millis(cli.upstream_timeout_ms),
                    total: Duration::from_millis(cli.upstream_total_timeout_ms),
                },
                connect_src: cli.connect_src.clone(),
                www: cli.www.clone(),
                pkg: cli.pkg.clone(),
            };
            let testing = cli.test_control.then_some(&testing);
            let router = demo::router(demo, hosts(listener)?, testing)?;
            Some(with_logging(router, cli.quiet))
        }
        _ => None,
    };

    print_start_lines(
        &api_origin,
        demo_origin.as_deref(),
        &demo_keys,
        cli.upstream.as_ref().zip(proxy_base_url.as_ref()),
    )?;
    if demo_listener.is_some() {
        for (flag, dir) in [("--www", &cli.www), ("--pkg", &cli.pkg)] {
            if !dir.is_dir() {
                eprintln!(
                    "sandbox: warning: {flag} directory {} does not exist; the demo page will 404",
                    dir.display()
                );
            }
        }
    }
    if cli.test_control {
        eprintln!("sandbox: test control endpoints enabled at {api_origin}/__sandbox/");
    }
    if let (Some(upstream), Some(base)) = (&cli.upstream, &proxy_base_url) {
        eprintln!(
            "sandbox: proxy mode: keys sent to {base}/ pass through this process to {upstream} \
             (only the documented calls; the public ones without the key)"
        );
    }

    let stop = shutdown_signal();
    let mut servers = vec![serve(api_listener, api_app, stop.clone())];
    if let (Some(listener), Some(app)) = (demo_listener, demo_app) {
        servers.push(serve(listener, app, stop.clone()));
    }
    let all_stopped = async {
        for server in servers {
            server.await??;
        }
        Ok::<_, BoxError>(())
    };
    tokio::select! {
        result = all_stopped => result,
        () = async { stopped(stop).await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            eprintln!("sandbox: connections still open {}s after the shutdown signal; exiting", SHUTDOWN_GRACE.as_secs());
            Ok(())
        }
    }
}

async fn bind(ip: IpAddr, port: u16, flag: &str) -> Result<TcpListener, BoxError> {
    let address = SocketAddr::new(ip, port);
    TcpListener::bind(address).await.map_err(|error| {
        format!("cannot listen on {address}: {error} (is another sandbox running? pick another {flag}, or 0 for any free port)").into()
    })
}

/// `http://<address>`, with an unspecified bind address (`0.0.0.0`, `::`) shown as loopback so
/// the URL works in a browser.
fn origin(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, address.port()))
}

fn with_logging(router: Router, quiet: bool) -> Router {
    if quiet {
        router
    } else {
        router.layer(from_fn(logging::log_request))
    }
}

/// The API origin. Layers, innermost first: the stand-in's routes ([`api::router`]) → test
/// control ([`testing::layer`]: session counters, faults, keys of unknown sessions) → the key
/// verified, once ([`api::identity::authenticate`]) → CORS for any page; the control routes
/// (`--test-control`; CORS for loopback pages only) beside them; then, around both, the
/// preflight counter → `Host` check → `nosniff`. With test control, the session base URLs
/// (`/__sandbox/s/{session}/...`) hand their requests, unprefixed, to the CORS layer's router.
///
/// Test control is always around the stand-in, so that a key minted for a test session is
/// refused once no such session exists (without `--test-control` none ever does).
fn api_app(
    stand_in: api::StandIn,
    testing: &Testing,
    test_control: bool,
    hosts: AllowedHosts,
) -> Router {
    let api = api::router(stand_in)
        .layer(from_fn_with_state(testing.clone(), testing::layer))
        .layer(from_fn(api::identity::authenticate));
    let api = cors::any_page(api);
    let api = if test_control {
        let prefixed = testing::session_prefix_router(testing.sessions.clone(), api.clone());
        api.merge(testing::api_router(testing.clone()))
            .merge(prefixed)
    } else {
        api
    };
    api.layer(from_fn_with_state(
        testing.sessions.clone(),
        testing::count_preflights,
    ))
    .layer(from_fn_with_state(Arc::new(hosts), host::check))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
}

/// The start lines other tools parse, ending with `sandbox ready`; printed once both listeners
/// are bound, then flushed.
fn print_start_lines(
    api_origin: &str,
    demo_origin: Option<&str>,
    demo_keys: &[DemoKey],
    proxy: Option<(&origins::Upstream, &String)>,
) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "sandbox api: {api_origin}")?;
    if let Some(demo) = demo_origin {
        writeln!(out, "demo page:   {demo}")?;
    }
    for demo_key in demo_keys {
        writeln!(
            out,
            "demo key: {}  ({}; sandbox only)",
            demo_key.key,
            demo_key.account.start_line_note()
        )?;
    }
    if let Some((upstream, base)) = proxy {
        writeln!(out, "proxy: {base} -> {upstream}")?;
    }
    writeln!(out, "sandbox ready")?;
    out.flush()
}

fn serve(
    listener: TcpListener,
    app: Router,
    stop: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<std::io::Result<()>> {
    tokio::spawn(
        axum::serve(listener, app)
            .with_graceful_shutdown(stopped(stop))
            .into_future(),
    )
}

/// A receiver that turns `true` on Ctrl-C or SIGTERM.
fn shutdown_signal() -> watch::Receiver<bool> {
    let (sender, receiver) = watch::channel(false);
    tokio::spawn(async move {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {}
            () = terminate => {}
        }
        let _ = sender.send(true);
    });
    receiver
}

async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}
