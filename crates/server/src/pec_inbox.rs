//! Reads the AOO's answers (Conferma.xml, Eccezione.xml, ...) from the platform's PEC inbox, a
//! Maildir kept filled by a mail fetcher, every `protocol.pec_inbox_poll_seconds`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::state::AppState;

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    let every = Duration::from_secs(state.settings.protocol.pec_inbox_poll_seconds.max(1));
    loop {
        if let Some(pec) = &state.pec {
            if let Some(dir) = &pec.settings().inbox_maildir {
                match pec.receive_maildir(Path::new(dir), Utc::now()).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(messages = n, "PEC inbox read"),
                    Err(e) => tracing::warn!(error = %e, "PEC inbox failed"),
                }
            }
        }
        tokio::time::sleep(every).await;
    }
}
