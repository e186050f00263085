//! Housekeeping: expired sessions and old login requests are deleted, so that anonymous
//! `/spid/login` calls and abandoned sessions cannot grow the database without bound.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::db::{authn_request, session};
use crate::state::AppState;

/// How often the purge runs.
const EVERY: StdDuration = StdDuration::from_secs(600);

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    let keep = Duration::seconds(state.settings.spid.request_ttl_seconds.max(3600));
    loop {
        if let Err(e) = purge(&state.db, Utc::now(), keep).await {
            tracing::warn!(error = %e, "housekeeping failed");
        }
        match crate::protocol_admin::produce_yesterday(&state.db, &state.settings, Utc::now()).await
        {
            Ok(Some(path)) => tracing::info!(file = %path.display(), "daily register produced"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "daily register failed"),
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// Deletes sessions expired before `now` and login requests older than `keep` (used or not:
/// a used one only served replay detection while its response could still be valid).
/// Returns how many rows went.
pub async fn purge(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    keep: Duration,
) -> Result<u64, DbErr> {
    let sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let requests = authn_request::Entity::delete_many()
        .filter(authn_request::Column::CreatedAt.lt(now - keep))
        .exec(db)
        .await?;
    Ok(sessions.rows_affected + requests.rows_affected)
}
