//! The runners of the one job queue ([`crate::store::jobs`]). Two lanes take jobs from it:
//! filings, woken by each new submission, and notifications, so that a slow mail server never
//! holds back a protocol number. Each lane claims due jobs with a lease, administration by
//! administration in turns, does them, and releases a failed one with exponential backoff and
//! jitter; nothing is dropped. A runner that dies with a lease lets it lapse and the job is
//! claimed again: the filing's idempotency key makes that second filing return the first
//! receipt.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use tracing::Instrument;

use crate::clock::ForRegister;
use crate::config::WorkerSettings;
use crate::db::scope::Scoped;
use crate::filing::Filing;
use crate::state::AppState;
use crate::store::jobs::{Finished, Job, JobKind, JobQueue};
use crate::store::StoreError;
use crate::tenant::Tenant;

/// A set of job kinds served by one loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Filing,
    Notifications,
}

impl Lane {
    fn kinds(self) -> &'static [JobKind] {
        match self {
            Lane::Filing => &JobKind::FILINGS,
            Lane::Notifications => &JobKind::NOTIFICATIONS,
        }
    }

    /// How long a runner holds a job: longer than the slowest attempt can take.
    fn lease(self, state: &AppState) -> Duration {
        match self {
            Lane::Filing => Duration::seconds(state.settings.worker.lease_seconds),
            // The slowest of the administrations' own mail servers and App IO settings.
            Lane::Notifications => Duration::seconds(
                state
                    .tenants
                    .iter()
                    .map(|t| crate::notify::lease_seconds(&t.settings.notifications))
                    .max()
                    .unwrap_or(120),
            ),
        }
    }

    /// Where the next claim starts among the administrations (see `Tenants::in_turns`).
    fn turn(self) -> &'static AtomicUsize {
        static FILING: AtomicUsize = AtomicUsize::new(0);
        static NOTIFICATIONS: AtomicUsize = AtomicUsize::new(0);
        match self {
            Lane::Filing => &FILING,
            Lane::Notifications => &NOTIFICATIONS,
        }
    }
}

/// Runs one lane until the task is aborted.
pub async fn run(state: Arc<AppState>, lane: Lane) {
    let poll = StdDuration::from_millis(state.settings.worker.poll_interval_ms.max(10));
    loop {
        match work_once(&state, lane, state.clock.now()).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, ?lane, "job queue: claim failed"),
        }
        match lane {
            // Sleep until woken by a new submission or until the next poll.
            Lane::Filing => {
                let _ = tokio::time::timeout(poll, state.wake_worker.notified()).await;
            }
            Lane::Notifications => tokio::time::sleep(poll.max(StdDuration::from_millis(50))).await,
        }
    }
}

/// Claims and does one due job of `lane`; `Ok(false)` when none is due. One
/// administration's failing database work does not stop the others'.
pub async fn work_once(
    state: &AppState,
    lane: Lane,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut failure = None;
    let lease_until = now + lane.lease(state);
    for tenant in state.tenants.in_turns(lane.turn()) {
        let queue = state.scoped(&tenant.id);
        match queue.claim(lane.kinds(), now, lease_until).await {
            Ok(Some(job)) => {
                return process(state, tenant, &queue, job, now)
                    .await
                    .map(|()| true)
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(administration = %tenant.id, error = %e, "job queue: claim failed");
                failure = Some(e);
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(false),
    }
}

async fn process(
    state: &AppState,
    tenant: &Tenant,
    queue: &Scoped,
    job: Job,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let span = tracing::info_span!(
        "job",
        administration = %tenant.id,
        kind = %job.kind,
        job = job.id,
        attempt = job.attempts
    );
    async {
        let outcome = match job.kind {
            JobKind::File | JobKind::FileEvent => {
                let filing = Filing {
                    db: queue.clone(),
                    register: tenant.register.as_ref(),
                    clock: &ForRegister(state.clock.as_ref()),
                    forms: &tenant.forms,
                    settings: &state.settings,
                    notifications: &tenant.settings.notifications,
                    administration: &tenant.admin().name,
                    public_url: &tenant.public_url,
                };
                let filed = if job.kind == JobKind::File {
                    filing.file(&job, now).await
                } else {
                    filing.file_event(&job, now).await
                };
                filed
                    .map(|receipt| {
                        tracing::info!(year = receipt.year, number = receipt.number, "filed");
                        None
                    })
                    .map_err(|e| e.to_string())
            }
            JobKind::Email | JobKind::AppIo => crate::notify::send(queue, tenant, &job)
                .await
                .map(Some)
                .map_err(|e| e.to_string()),
        };
        match outcome {
            // The filing finished its job in its own transaction.
            Ok(None) => {}
            Ok(Some(how)) => {
                if let Finished::Skipped(why) = &how {
                    tracing::info!(why, "not sent");
                }
                queue.finish(&job, &how, now).await?;
            }
            Err(e) => {
                let delay = backoff(&state.settings.worker, job.attempts);
                tracing::warn!(error = %e, retry_in_s = delay.num_seconds(), "job failed");
                queue.retry_later(&job, &e, now + delay).await?;
            }
        }
        Ok(())
    }
    .instrument(span)
    .await
}

/// `base * 2^(attempts-1)`, capped, times a random factor in [0.5, 1] so that retries of many
/// jobs after an outage do not arrive together.
fn backoff(w: &WorkerSettings, attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 30) - 1;
    let raw = w
        .base_backoff_seconds
        .max(1)
        .saturating_mul(1_i64 << exp.min(40));
    let capped = raw.min(w.max_backoff_seconds.max(1));
    let jitter: f64 = rand::rng().random_range(0.5..=1.0);
    Duration::milliseconds((capped as f64 * 1000.0 * jitter) as i64)
}
