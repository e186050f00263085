//! Reads the AOO's answers (Conferma.xml, Eccezione.xml, ...) from the platform's PEC inbox, a
//! Maildir kept filled by a mail fetcher, every `protocol.pec_inbox_poll_seconds`; and loads the
//! trust anchors (the PEC providers' CAs) whose signature on an envelope makes its answers
//! believable.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use istanze_protocol::pec::{PecSettings, TrustAnchors};

use crate::config::ConfigError;
use crate::error::ServerError;
use crate::state::AppState;

/// Runs until the task is aborted: each administration whose register is PEC reads its own
/// inbox, at its own `protocol.pec_inbox_poll_seconds` (the shortest of them sets the pace).
pub async fn run(state: Arc<AppState>) {
    let every = state
        .tenants
        .iter()
        .filter(|t| t.pec.is_some())
        .map(|t| t.settings.protocol.pec_inbox_poll_seconds.max(1))
        .min()
        .unwrap_or(60);
    loop {
        for tenant in state.tenants.iter() {
            let Some(pec) = &tenant.pec else { continue };
            if let Some(dir) = &pec.settings().inbox_maildir {
                match pec.receive_maildir(Path::new(dir), state.clock.now()).await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(administration = %tenant.id, messages = n, "PEC inbox read")
                    }
                    Err(e) => {
                        tracing::warn!(administration = %tenant.id, error = %e, "PEC inbox failed")
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(every)).await;
    }
}

/// The certificates of `protocol.pec.trust_anchors`, read at start. None configured stops the
/// start, except in demo mode, where the adapter runs but believes no answer.
pub(crate) fn trust_anchors(pec: &PecSettings, demo: bool) -> Result<TrustAnchors, ServerError> {
    if pec.trust_anchors.is_empty() {
        if demo {
            tracing::warn!(
                "demo: protocol.pec.trust_anchors is empty, so no PEC answer will be believed"
            );
            return Ok(TrustAnchors::default());
        }
        return Err(ConfigError::Invalid(
            "protocol.pec.trust_anchors is empty: list the PEM files of the PEC providers' CAs; \
             the AOO's answers are believed only in envelopes signed under one of them"
                .into(),
        )
        .into());
    }
    let mut anchors = TrustAnchors::default();
    for file in &pec.trust_anchors {
        let pem = std::fs::read(file).map_err(|e| {
            ConfigError::Invalid(format!("protocol.pec.trust_anchors: {file}: {e}"))
        })?;
        anchors.add_pem(&pem).map_err(|e| {
            ConfigError::Invalid(format!("protocol.pec.trust_anchors: {file}: {e}"))
        })?;
    }
    tracing::info!(certificates = anchors.len(), "PEC trust anchors loaded");
    Ok(anchors)
}

#[cfg(test)]
mod tests {
    // Test code: a panic is a failed test.
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn settings(trust_anchors: &[&str]) -> PecSettings {
        serde_json::from_value(serde_json::json!({
            "smtp_host": "smtps.pec.example.it",
            "username": "istanze@pec.example.it",
            "password": "x",
            "from": "istanze@pec.example.it",
            "recipient": {
                "administration": "Provincia di Prova",
                "ipa_code": "p_pr",
                "aoo": "A1B2C3D",
                "address": "protocollo@pec.example.it"
            },
            "trust_anchors": trust_anchors,
        }))
        .unwrap()
    }

    #[test]
    fn without_trust_anchors_the_start_fails_outside_demo_mode() {
        let refused = trust_anchors(&settings(&[]), false).unwrap_err();
        assert!(
            matches!(&refused, ServerError::Config(ConfigError::Invalid(m)) if m.contains("protocol.pec.trust_anchors is empty")),
            "{refused}"
        );
        assert!(trust_anchors(&settings(&[]), true).unwrap().is_empty());
    }

    #[test]
    fn a_trust_anchor_file_that_is_missing_or_holds_no_certificate_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.pem");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "no certificate here\n").unwrap();
        for file in [&missing, &empty] {
            let f = file.display().to_string();
            let refused = trust_anchors(&settings(&[&f]), true).unwrap_err();
            assert!(
                matches!(&refused, ServerError::Config(ConfigError::Invalid(m)) if m.contains(&f)),
                "{refused}"
            );
        }
    }
}
