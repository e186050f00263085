//! Housekeeping: expired sessions, old login requests, uploads never submitted and what uploads
//! cut off by a crash left (reservations, chunks, temporary files) are deleted, so that
//! anonymous `/spid/login` calls, abandoned sessions and abandoned files cannot grow the
//! database without bound; drafts about to expire are announced and expired ones deleted;
//! yesterday's daily register is produced. Each task is a service over one administration's
//! stores; [`run`] only schedules them, administration by administration, so one
//! administration's failure does not stop the others' housekeeping.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};

use crate::state::AppState;
use crate::store::login_requests::LoginRequestStore;
use crate::store::sessions::SessionStore;
use crate::store::StoreError;

/// How often the purge runs.
const EVERY: StdDuration = StdDuration::from_secs(600);

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    loop {
        pass(&state, state.clock.now()).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round of every task for every administration; failures are logged, not returned, so
/// the next task and the next administration still run.
pub async fn pass(state: &AppState, now: DateTime<Utc>) {
    let keep = Duration::seconds(state.settings.spid.request_ttl_seconds.max(3600));
    let dir = crate::attachments::directory(&state.settings);
    let unsubmitted = now - Duration::hours(state.settings.attachments.unsubmitted_hours.max(1));
    for tenant in state.tenants.iter() {
        let db = state.scoped(&tenant.id);
        let admin = tenant.id.as_str();
        log(admin, "logins", purge(&db, now, keep).await);
        match crate::drafts::warn_and_expire(&db, tenant, state.settings.drafts.warn_days, now)
            .await
        {
            Ok((0, 0)) => {}
            Ok((warned, deleted)) => {
                tracing::info!(administration = admin, warned, deleted, "drafts")
            }
            Err(e) => {
                tracing::warn!(administration = admin, error = %e, "draft housekeeping failed")
            }
        }
        log(
            admin,
            "unsubmitted uploads",
            crate::attachments::purge_unsubmitted(&db, &dir, unsubmitted).await,
        );
        log(
            admin,
            "uploads cut off by a crash",
            crate::attachments::purge_expired_reservations(&db, now).await,
        );
        // Every AOO keeps its own register, and its own daily register.
        match crate::protocol_admin::produce_yesterday(&tenant.register_db, &tenant.settings, now)
            .await
        {
            Ok(Some(path)) => tracing::info!(administration = admin,
                file = %path.display(), "daily register produced"),
            Ok(None) => {}
            Err(e) => tracing::warn!(administration = admin, error = %e, "daily register failed"),
        }
    }
    crate::attachments::purge_stale_temporaries(&dir).await;
}

fn log(admin: &str, task: &'static str, outcome: Result<u64, StoreError>) {
    match outcome {
        Ok(0) => {}
        Ok(rows) => tracing::info!(administration = admin, rows, task, "deleted"),
        Err(e) => tracing::warn!(administration = admin, error = %e, task, "housekeeping failed"),
    }
}

/// Deletes one administration's sessions expired before `now` and login requests older than
/// `keep` (used or not: a used one only served replay detection while its response could still
/// be valid). Returns how many rows went.
pub async fn purge(
    db: &(impl SessionStore + LoginRequestStore),
    now: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, StoreError> {
    let sessions = db.purge_expired(now).await?;
    let requests = db.purge_before(now - keep).await?;
    Ok(sessions + requests)
}
