//! The administration's logo and colours. The logo comes from configuration
//! (`[administration] logo_file`), read and checked once at start, so that a wrong file stops
//! the start instead of showing a broken image to every citizen; the colours are a stylesheet
//! made from its palette colour.

use std::path::Path;

use actix_web::HttpResponse;

use crate::error::ServerError;

/// The largest logo accepted: a header image, not a photograph.
const MAX_BYTES: usize = 512 * 1024;

/// Reads the logo: SVG or PNG, told from its bytes.
pub fn load(path: &Path) -> Result<(&'static str, Vec<u8>), ServerError> {
    let refuse = |why: &str| {
        ServerError::Config(crate::config::ConfigError::Invalid(format!(
            "administration.logo_file {}: {why}",
            path.display()
        )))
    };
    let bytes = std::fs::read(path).map_err(|e| refuse(&e.to_string()))?;
    if bytes.len() > MAX_BYTES {
        return Err(refuse("larger than 512 KiB"));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(("image/png", bytes));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    if head.contains("<svg") {
        return Ok(("image/svg+xml", bytes));
    }
    Err(refuse("not an SVG or PNG image"))
}

/// `GET /tema.css`: the administration's colours (see [`crate::branding`]).
pub(super) async fn theme(here: super::tenant::Here) -> HttpResponse {
    let colour =
        crate::branding::colour(&here.tenant.admin().colour).unwrap_or(crate::branding::PALETTE[0]);
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(crate::branding::stylesheet(colour))
}

/// `GET /logo`.
pub(super) async fn serve(here: super::tenant::Here) -> HttpResponse {
    match &here.tenant.logo {
        Some((mime, bytes)) => HttpResponse::Ok()
            .content_type(*mime)
            .insert_header(("Cache-Control", "public, max-age=86400"))
            // An SVG could carry scripts: never run them, even opened on its own.
            .insert_header((
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'",
            ))
            .body(bytes.clone()),
        None => HttpResponse::NotFound().finish(),
    }
}
