//! The creator pool's images, served by the API origin so the demo works offline.
//!
//! `GET /images/logo.svg` and `/images/profile.svg` (square), `/images/hero.svg` (1200×400).
//! The SVGs are static, contain no script and are served with a CSP that would block any.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Serves one of the images by file name; 404 for any other name.
pub async fn serve(name: Result<Path<String>, PathRejection>) -> Response {
    let svg = match name.as_ref().map(|Path(name)| name.as_str()) {
        Ok("logo.svg") => LOGO,
        Ok("hero.svg") => HERO,
        Ok("profile.svg") => PROFILE,
        _ => return ApiError::not_found("no such image").into_response(),
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        svg,
    )
        .into_response()
}

/// Square logo: a planet with an orbit on an indigo-to-teal tile.
const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#4f46e5"/>
      <stop offset="1" stop-color="#14b8a6"/>
    </linearGradient>
    <radialGradient id="planet" cx="0.35" cy="0.35" r="0.75">
      <stop offset="0" stop-color="#fef3c7"/>
      <stop offset="1" stop-color="#f59e0b"/>
    </radialGradient>
  </defs>
  <rect width="256" height="256" rx="56" fill="url(#bg)"/>
  <ellipse cx="128" cy="128" rx="98" ry="38" fill="none" stroke="#e0e7ff" stroke-width="8" stroke-opacity="0.55" transform="rotate(-24 128 128)"/>
  <circle cx="128" cy="128" r="52" fill="url(#planet)"/>
  <path d="M38.5 167.9 A98 38 -24 0 0 217.5 88.1" fill="none" stroke="#ffffff" stroke-width="8" stroke-linecap="round"/>
  <circle cx="186" cy="138" r="11" fill="#ffffff"/>
</svg>
"##;

/// Wide hero banner: night sky, stars, layered hills and the pool's name.
const HERO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="400" viewBox="0 0 1200 400">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#0f172a"/>
      <stop offset="0.6" stop-color="#312e81"/>
      <stop offset="1" stop-color="#7c3aed"/>
    </linearGradient>
    <radialGradient id="glow" cx="0.78" cy="0.3" r="0.35">
      <stop offset="0" stop-color="#fde68a" stop-opacity="0.55"/>
      <stop offset="1" stop-color="#fde68a" stop-opacity="0"/>
    </radialGradient>
  </defs>
  <rect width="1200" height="400" fill="url(#sky)"/>
  <rect width="1200" height="400" fill="url(#glow)"/>
  <circle cx="936" cy="120" r="46" fill="#fef3c7"/>
  <g fill="#ffffff">
    <circle cx="80" cy="60" r="2"/><circle cx="190" cy="130" r="1.5"/><circle cx="300" cy="45" r="2.5"/>
    <circle cx="420" cy="110" r="1.5"/><circle cx="530" cy="35" r="2"/><circle cx="640" cy="90" r="1.5"/>
    <circle cx="760" cy="50" r="2"/><circle cx="1080" cy="70" r="2.5"/><circle cx="1150" cy="150" r="1.5"/>
    <circle cx="40" cy="170" r="1.5"/><circle cx="350" cy="180" r="1.5"/><circle cx="700" cy="160" r="2"/>
  </g>
  <path d="M0 290 C180 230 320 250 480 280 S800 330 960 270 S1140 230 1200 250 V400 H0 Z" fill="#4c1d95" fill-opacity="0.85"/>
  <path d="M0 330 C200 300 360 320 540 340 S860 370 1020 320 S1160 300 1200 310 V400 H0 Z" fill="#2e1065"/>
  <text x="72" y="214" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="72" font-weight="700" fill="#ffffff">Orbit Notes</text>
  <text x="76" y="258" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="26" fill="#c7d2fe">Weekly deep dives into Solana tooling</text>
</svg>
"##;

/// Square profile picture: a stylised person on a warm background.
const PROFILE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#fb7185"/>
      <stop offset="1" stop-color="#f59e0b"/>
    </linearGradient>
    <clipPath id="round"><circle cx="128" cy="128" r="128"/></clipPath>
  </defs>
  <g clip-path="url(#round)">
    <rect width="256" height="256" fill="url(#bg)"/>
    <circle cx="128" cy="104" r="46" fill="#fff7ed"/>
    <path d="M36 256 C40 190 84 162 128 162 S216 190 220 256 Z" fill="#fff7ed"/>
    <path d="M84 92 C86 58 112 48 132 50 C160 52 176 70 172 98 C160 82 140 76 118 80 C102 82 92 88 84 92 Z" fill="#7c2d12"/>
  </g>
</svg>
"##;
