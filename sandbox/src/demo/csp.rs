//! The demo page's Content-Security-Policy.

/// The production API, which the demo page offers as an API choice.
pub const PRODUCTION_API: &str = "https://go-api.accessprotocol.co";

/// The demo page's CSP.
///
/// - `connect-src`: the page itself (and so the proxy at `/upstream`), the sandbox API
///   (`api_origin`), the production API and `connect_src` (the `--connect-src` origins).
/// - `img-src`: the page itself, the sandbox API (it serves the pool images), `img_src` (the
///   `http:` loopback origins of `--connect-src` and `--upstream`, whose records point images
///   there) and any `https:` host (real pools' images live on arbitrary hosts). Never `data:`
///   or plain `http:`, so a hostile `data:` or remote `http:` logo does not render.
/// - `report_uri` (with `--test-control`): where the browser reports violations.
pub fn content_security_policy(
    api_origin: &str,
    connect_src: &[String],
    img_src: &[String],
    report_uri: Option<&str>,
) -> String {
    let mut connect: Vec<&str> = vec!["'self'", api_origin, PRODUCTION_API];
    let mut img: Vec<&str> = vec!["'self'", api_origin];
    for (list, extra) in [(&mut connect, connect_src), (&mut img, img_src)] {
        for origin in extra {
            if !list.contains(&origin.as_str()) {
                list.push(origin);
            }
        }
    }
    img.push("https:");
    let mut csp = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src {}; connect-src {}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        img.join(" "),
        connect.join(" "),
    );
    if let Some(uri) = report_uri {
        csp.push_str("; report-uri ");
        csp.push_str(uri);
    }
    csp
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn csp_names_the_api_origins_and_no_data_images() {
        let csp = content_security_policy("http://127.0.0.1:8081", &[], &[], None);
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' http://127.0.0.1:8081 https:; \
             connect-src 'self' http://127.0.0.1:8081 https://go-api.accessprotocol.co; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        );
        assert!(!csp.contains("data:"));
        assert!(!csp.contains("http:;") && !csp.contains("http: "));
    }

    #[test]
    fn csp_adds_connect_src_origins_and_the_report_uri() {
        let connect = [
            "https://api.example.com".to_owned(),
            "http://127.0.0.1:9000".to_owned(),
            "https://go-api.accessprotocol.co".to_owned(),
        ];
        let img = ["http://127.0.0.1:9000".to_owned()];
        let csp = content_security_policy(
            "http://127.0.0.1:8081",
            &connect,
            &img,
            Some("/__sandbox/csp-reports"),
        );
        assert_eq!(
            csp,
            "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' http://127.0.0.1:8081 http://127.0.0.1:9000 https:; \
             connect-src 'self' http://127.0.0.1:8081 https://go-api.accessprotocol.co \
             https://api.example.com http://127.0.0.1:9000; \
             base-uri 'none'; form-action 'none'; frame-ancestors 'none'; \
             report-uri /__sandbox/csp-reports"
        );
    }
}
