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

    /// `directive -> sources` of a policy.
    fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
        policy
            .split(';')
            .filter_map(|part| {
                let mut words = part.split_whitespace().map(str::to_owned);
                Some((words.next()?, words.collect()))
            })
            .collect()
    }

    /// The README's account of the page's `<meta>` policy: the header's, less `frame-ancestors`
    /// and `report-uri` (a meta element cannot set them), with loopback APIs on any port and
    /// any `https:` API instead of the exact origins the header names. Nothing else may differ.
    #[test]
    fn the_pages_meta_policy_is_the_headers_with_the_documented_differences() {
        let page = include_str!("../../../www/index.html");
        let start = page
            .find(r#"http-equiv="Content-Security-Policy" content=""#)
            .expect("index.html has a CSP meta element")
            + r#"http-equiv="Content-Security-Policy" content=""#.len();
        let meta = &page[start..start + page[start..].find('"').unwrap()];
        let header = content_security_policy(
            "http://127.0.0.1:8081",
            &[],
            &[],
            Some("/__sandbox/csp-reports"),
        );
        let loopback_any_port = ["http://127.0.0.1:*", "http://localhost:*"];
        let expected: Vec<(String, Vec<String>)> = directives(&header)
            .into_iter()
            .filter(|(name, _)| name != "frame-ancestors" && name != "report-uri")
            .map(|(name, sources)| {
                let sources = match name.as_str() {
                    "connect-src" | "img-src" => {
                        let mut general: Vec<String> = vec!["'self'".into(), "https:".into()];
                        general.extend(loopback_any_port.map(str::to_owned));
                        // Every source of the header is covered by one of these.
                        for source in &sources {
                            assert!(
                                general.contains(source)
                                    || source.starts_with("https://")
                                    || source.starts_with("http://127.0.0.1:"),
                                "{name} {source}"
                            );
                        }
                        general
                    }
                    _ => sources,
                };
                (name, sources)
            })
            .collect();
        assert_eq!(directives(meta), expected, "meta: {meta}");
    }
}
