//! Telling the citizen that the application was filed: a confirmation e-mail with the protocol
//! number and the receipt, and an App IO message. Each notification is a row written in the
//! same transaction that records the protocol number, then sent by a loop with retries and
//! backoff, so a notification is never lost to a crash or an unavailable server. Refusals that
//! retrying cannot cure (no address, the citizen not on App IO, a 4xx answer) end the row with
//! the reason.

mod app_io;
pub(crate) mod email;
pub mod record;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::db::submission;
use crate::error::ServerError;
use crate::state::AppState;
use crate::tenant::Tenant;

pub const EMAIL: &str = "email";
pub const APP_IO: &str = "app_io";

/// How a sending attempt ended.
pub(crate) enum Sent {
    Done,
    /// Nothing to retry: the reason is kept.
    Skipped(String),
}

/// Queues the configured notifications of `submission_id` (inside the filing's transaction).
pub(crate) async fn enqueue(
    txn: &impl ConnectionTrait,
    state: &AppState,
    tenant: &Tenant,
    submission_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServerError> {
    let n = &state.settings.notifications;
    let channels = [(EMAIL, n.email.is_some()), (APP_IO, n.app_io.is_some())];
    for (channel, _) in channels.into_iter().filter(|(_, on)| *on) {
        record::Entity::insert(record::ActiveModel {
            id: sea_orm::ActiveValue::NotSet,
            administration: Set(tenant.id.to_string()),
            submission_id: Set(submission_id.to_owned()),
            channel: Set(channel.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_until: Set(None),
            done_at: Set(None),
            outcome: Set(None),
            created_at: Set(now),
        })
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    loop {
        match once(&state, state.clock.now()).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "notifications: claim failed"),
        }
        tokio::time::sleep(StdDuration::from_millis(
            state.settings.worker.poll_interval_ms.max(50),
        ))
        .await;
    }
}

/// How long a worker holds a notification: longer than the slowest sending can take (the
/// e-mail dialogue, or App IO's two calls, each bounded by its timeout), with a margin, so that
/// a second worker never sends the same message while the first is still at it.
fn lease_seconds(settings: &crate::config::NotificationSettings) -> i64 {
    // Timeouts past an hour are a configuration mistake; the lease stays bounded anyway.
    let email = settings
        .email
        .as_ref()
        .map_or(0, |e| e.timeout_seconds.min(3600));
    let app_io = settings
        .app_io
        .as_ref()
        .map_or(0, |a| a.timeout_seconds.min(3600) * 2);
    let slowest = i64::try_from(email.max(app_io)).unwrap_or(7200);
    (slowest + 60).max(120)
}

/// Sends one due notification; `Ok(false)` when none is due.
pub async fn once(state: &AppState, now: DateTime<Utc>) -> Result<bool, ServerError> {
    // In turns, like the filing worker: one administration's backlog does not hold up the
    // others, and one's failure does not stop theirs.
    static TURN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    for tenant in state.tenants.in_turns(&TURN) {
        match once_in(state, tenant, now).await {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(administration = %tenant.id, error = %e, "notifications failed")
            }
        }
    }
    Ok(false)
}

async fn once_in(
    state: &AppState,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let admin = tenant.id.as_str();
    let db = state.scoped(&tenant.id);
    let due = record::Entity::find()
        .filter(record::Column::Administration.eq(admin))
        .filter(record::Column::DoneAt.is_null())
        .filter(record::Column::NextAttemptAt.lte(now))
        .filter(
            record::Column::LeaseUntil
                .is_null()
                .or(record::Column::LeaseUntil.lt(now)),
        )
        .one(&db)
        .await?;
    let Some(row) = due else {
        return Ok(false);
    };
    // Take it only if nobody else did meanwhile.
    let lease = now + Duration::seconds(lease_seconds(&state.settings.notifications));
    let taken = record::Entity::update_many()
        .col_expr(record::Column::LeaseUntil, Expr::value(Some(lease)))
        .col_expr(record::Column::Attempts, Expr::value(row.attempts + 1))
        .filter(record::Column::Id.eq(row.id))
        .filter(record::Column::Administration.eq(admin))
        .filter(record::Column::Attempts.eq(row.attempts))
        .exec(&db)
        .await?;
    if taken.rows_affected != 1 {
        return Ok(true);
    }
    let sub = submission::Entity::find_by_id(&row.submission_id)
        .filter(submission::Column::Administration.eq(admin))
        .one(&db)
        .await?
        .ok_or_else(|| ServerError::Internal("notification without submission".into()))?;
    let result = match row.channel.as_str() {
        EMAIL => email::send(state, tenant, &sub).await,
        APP_IO => app_io::send(state, tenant, &sub).await,
        other => Ok(Sent::Skipped(format!("unknown channel {other}"))),
    };
    let update = record::Entity::update_many()
        .col_expr(
            record::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(record::Column::Id.eq(row.id))
        .filter(record::Column::Administration.eq(admin));
    match result {
        Ok(sent) => {
            let outcome = match sent {
                Sent::Done => "sent".to_owned(),
                Sent::Skipped(why) => format!("skipped: {why}"),
            };
            update
                .col_expr(record::Column::DoneAt, Expr::value(Some(now)))
                .col_expr(record::Column::Outcome, Expr::value(Some(outcome)))
                .exec(&db)
                .await?;
        }
        Err(e) => {
            let exp = (row.attempts + 1).clamp(1, 12) - 1;
            let delay = Duration::seconds(
                state
                    .settings
                    .worker
                    .base_backoff_seconds
                    .max(1)
                    .saturating_mul(1 << exp)
                    .min(state.settings.worker.max_backoff_seconds.max(1)),
            );
            tracing::warn!(channel = %row.channel, error = %e, "notification failed, retried later");
            update
                .col_expr(record::Column::NextAttemptAt, Expr::value(now + delay))
                .col_expr(record::Column::Outcome, Expr::value(Some(e)))
                .exec(&db)
                .await?;
        }
    }
    Ok(true)
}

/// The citizen's e-mail address: the one the identity provider gave, or the first e-mail field
/// of the application.
pub(crate) fn address(tenant: &Tenant, sub: &submission::Model) -> Option<String> {
    if let Some(e) = crate::principal::stored_email(&sub.identity).filter(|e| !e.trim().is_empty())
    {
        return Some(e);
    }
    let form = tenant.forms.get(&sub.form_id)?;
    let data: serde_json::Value = serde_json::from_str(&sub.data).ok()?;
    form.email_fields()
        .iter()
        .find_map(|p| data.pointer(p).and_then(|v| v.as_str()).map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{AppIoSettings, NotificationSettings};

    #[test]
    fn the_lease_outlasts_the_slowest_sending() {
        let mut settings = NotificationSettings::default();
        assert_eq!(lease_seconds(&settings), 120);
        settings.app_io = Some(AppIoSettings {
            base_url: "http://127.0.0.1".into(),
            api_key: "k".into(),
            timeout_seconds: 300,
        });
        assert_eq!(
            lease_seconds(&settings),
            660,
            "two calls of 300 s and a margin"
        );
    }
}
