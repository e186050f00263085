//! Housekeeping: expired sessions, old login requests, uploads never submitted and what uploads
//! cut off by a crash left (reservations, chunks, temporary files) are deleted, so that
//! anonymous `/spid/login` calls, abandoned sessions and abandoned files cannot grow the
//! database without bound; yesterday's daily register is produced.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use crate::db::scope::Scoped;
use crate::state::AppState;
use crate::store::login_requests::LoginRequestStore;
use crate::store::sessions::SessionStore;
use crate::store::StoreError;

/// How often the purge runs.
const EVERY: StdDuration = StdDuration::from_secs(600);

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    let keep = Duration::seconds(state.settings.spid.request_ttl_seconds.max(3600));
    loop {
        for tenant in state.tenants.iter() {
            if let Err(e) = purge(&state.scoped(&tenant.id), state.clock.now(), keep).await {
                tracing::warn!(administration = %tenant.id, error = %e, "housekeeping failed");
            }
        }
        match crate::drafts::warn_and_expire(&state, state.clock.now()).await {
            Ok((0, 0)) => {}
            Ok((warned, deleted)) => tracing::info!(warned, deleted, "drafts"),
            Err(e) => tracing::warn!(error = %e, "draft housekeeping failed"),
        }
        let hours = state.settings.attachments.unsubmitted_hours.max(1);
        match crate::attachments::purge_unsubmitted(
            &state,
            state.clock.now() - Duration::hours(hours),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "unsubmitted uploads deleted"),
            Err(e) => tracing::warn!(error = %e, "upload purge failed"),
        }
        match crate::attachments::purge_stale_uploads(&state, state.clock.now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reservations = n, "uploads cut off by a crash cleaned"),
            Err(e) => tracing::warn!(error = %e, "stale upload purge failed"),
        }
        // Every AOO keeps its own register, and its own daily register.
        for tenant in state.tenants.iter() {
            match crate::protocol_admin::produce_yesterday(
                &tenant.register_db,
                &tenant.settings,
                state.clock.now(),
            )
            .await
            {
                Ok(Some(path)) => tracing::info!(administration = %tenant.id,
                    file = %path.display(), "daily register produced"),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(administration = %tenant.id, error = %e, "daily register failed")
                }
            }
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// Deletes one administration's sessions expired before `now` and login requests older than
/// `keep` (used or not: a used one only served replay detection while its response could still
/// be valid). Returns how many rows went.
pub async fn purge(db: &Scoped, now: DateTime<Utc>, keep: Duration) -> Result<u64, StoreError> {
    let sessions = db.purge_expired(now).await?;
    let requests = db.purge_before(now - keep).await?;
    Ok(sessions + requests)
}
