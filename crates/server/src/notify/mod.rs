//! Telling the citizen that the application was filed: a confirmation e-mail with the protocol
//! number and the receipt, and an App IO message. Each notification is a job of the one queue
//! (see [`crate::store::jobs`]) written in the same transaction that records the protocol
//! number, then sent by the notifications lane with retries and backoff, so a notification is
//! never lost to a crash or an unavailable server. Refusals that retrying cannot cure (no
//! address, the citizen not on App IO, a 4xx answer) end the job with the reason.

mod app_io;
pub(crate) mod email;

use crate::config::NotificationSettings;
use crate::store::cases::CaseStore;
use crate::store::jobs::{self, Finished, Job, JobKind};
use crate::store::submissions::{Submission, SubmissionStore};
use crate::store::StoreError;
use crate::tenant::Tenant;
use chrono::{DateTime, Utc};
use istanze_domain::AdministrationId;

/// Why a notification was not sent this time; the job queue tries again with backoff. (A
/// refusal that retrying cannot cure is no error: the job ends as skipped, with the reason.)
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("notification without its application")]
    Missing,
    /// Notifications are queued when the protocol number is recorded: one without it is a bug
    /// or a row changed by hand.
    #[error("the application is not filed yet")]
    NotFiled,
    #[error("a filing job is not a notification")]
    NotANotification,
    /// The mail server or App IO failed in a way that retrying may cure (its words, without
    /// the address or the fiscal code).
    #[error("{0}")]
    Delivery(String),
}

/// Queues the configured notifications of `submission_id`'s filing (`event_id` 0) or of the
/// filing of its case event `event_id` (inside the filing's transaction).
pub(crate) async fn enqueue(
    txn: &impl sea_orm::ConnectionTrait,
    admin: &AdministrationId,
    n: &NotificationSettings,
    submission_id: &str,
    event_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let kinds = [
        (JobKind::Email, n.email.is_some()),
        (JobKind::AppIo, n.app_io.is_some()),
    ];
    for (kind, _) in kinds.into_iter().filter(|(_, on)| *on) {
        jobs::enqueue_for_event(txn, admin, kind, submission_id, event_id, now).await?;
    }
    Ok(())
}

/// How long a worker holds a notification: longer than the slowest sending can take (the
/// e-mail dialogue, or App IO's two calls, each bounded by its timeout), with a margin, so that
/// a second worker never sends the same message while the first is still at it.
pub(crate) fn lease_seconds(settings: &crate::config::NotificationSettings) -> i64 {
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

/// Sends the notification of `job` (an e-mail or App IO job) for an application of `db`'s
/// administration, `tenant`. `Err` is a failure worth retrying; a refusal that retrying cannot
/// cure is `Ok(Finished::Skipped)`.
pub(crate) async fn send(
    db: &(impl SubmissionStore + CaseStore),
    tenant: &Tenant,
    job: &Job,
) -> Result<Finished, NotifyError> {
    let sub = db
        .get(&job.submission_id)
        .await?
        .ok_or(NotifyError::Missing)?;
    if sub.protocol_number.is_none() || sub.protocol_at.is_none() {
        return Err(NotifyError::NotFiled);
    }
    if matches!(job.kind, JobKind::File | JobKind::FileEvent) {
        return Err(NotifyError::NotANotification);
    }
    let sent = if job.event_id == 0 {
        match job.kind {
            JobKind::AppIo => app_io::send(tenant, &sub).await,
            _ => email::send(tenant, &sub).await,
        }
    } else {
        // A communication of the procedure: told once it is filed, with its document.
        let event = db
            .event(&sub.id, job.event_id)
            .await?
            .ok_or(NotifyError::Missing)?;
        if event.registration.is_none() {
            return Err(NotifyError::NotFiled);
        }
        match job.kind {
            JobKind::AppIo => app_io::send_event(tenant, &sub, &event).await,
            _ => {
                let document = db
                    .document(&sub.id, event.id)
                    .await?
                    .ok_or(NotifyError::NotFiled)?;
                email::send_event(tenant, &sub, &event, document).await
            }
        }
    };
    sent.map_err(NotifyError::Delivery)
}

/// The citizen's e-mail address: the one the identity provider gave, or the first e-mail field
/// of the application.
pub(crate) fn address(tenant: &Tenant, sub: &Submission) -> Option<String> {
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
