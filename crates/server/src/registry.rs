//! `istanze spid-registry`: downloads AgID's registry of SPID identity providers, verifies its
//! signature with the pinned certificate and only then replaces the local snapshot, so that a
//! failed or forged download never leaves the service without identity providers.

use std::path::Path;
use std::time::Duration;

use istanze_auth::saml::registry;

use crate::error::ServerError;

/// Largest registry accepted (the real one is under 200 KB).
const MAX_BYTES: usize = 10 * 1024 * 1024;

/// Fetches `url`, verifies it with `cert` (PEM) and writes it to `out`; returns how many IdPs
/// it lists.
pub async fn refresh(url: &str, cert: &Path, out: &Path) -> Result<usize, ServerError> {
    let internal = |e: &dyn std::fmt::Display| ServerError::Internal(format!("{url}: {e}"));
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| internal(&e))?;
    let response = client
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| internal(&e))?;
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return Err(internal(&"the registry is too large"));
    }
    let mut response = response;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| internal(&e))? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            return Err(internal(&"the registry is too large"));
        }
    }
    let xml = std::str::from_utf8(&body).map_err(|e| internal(&e))?;
    let pem = std::fs::read(cert)
        .map_err(|e| ServerError::Internal(format!("{}: {e}", cert.display())))?;
    let idps = registry::verify(xml, &pem)?;
    let io = |e: std::io::Error| ServerError::Internal(format!("{}: {e}", out.display()));
    let tmp = out.with_extension("xml.new");
    std::fs::write(&tmp, xml).map_err(io)?;
    std::fs::rename(&tmp, out).map_err(io)?;
    Ok(idps.len())
}
