//! The filing worker: claims due outbox rows with a lease, files each submission into the
//! register with the submission id as idempotency key, and records the receipt. A failure is
//! retried with exponential backoff and jitter; nothing is dropped. A worker that dies with a
//! lease lets the lease expire, and the row is claimed again: the idempotency key makes that
//! second filing return the first receipt.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use istanze_protocol::{Correspondent, Direction, DocumentRef, Receipt, Registration};
use rand::Rng;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter,
};
use tracing::Instrument;

use crate::db::{outbox, submission};
use crate::error::ServerError;
use crate::state::AppState;
use crate::tenant::Tenant;

/// Runs until the task is aborted.
pub async fn run(state: Arc<AppState>) {
    let poll = StdDuration::from_millis(state.settings.worker.poll_interval_ms.max(10));
    loop {
        match work_once(&state, state.clock.now()).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "filing worker: claim failed"),
        }
        // Sleep until woken by a new submission or until the next poll.
        let _ = tokio::time::timeout(poll, state.wake_worker.notified()).await;
    }
}

/// Where the next claim starts among the administrations (see `Tenants::in_turns`).
static TURN: AtomicUsize = AtomicUsize::new(0);

/// Claims and processes one due row; `Ok(false)` when none is due.
pub async fn work_once(state: &AppState, now: DateTime<Utc>) -> Result<bool, ServerError> {
    for tenant in state.tenants.in_turns(&TURN) {
        if let Some(row) = claim(state, tenant, now).await? {
            return process(state, tenant, row, now).await;
        }
    }
    Ok(false)
}

async fn process(
    state: &AppState,
    tenant: &Tenant,
    row: outbox::Model,
    now: DateTime<Utc>,
) -> Result<bool, ServerError> {
    let span = tracing::info_span!(
        "filing",
        administration = %tenant.id,
        outbox = row.id,
        attempt = row.attempts
    );
    async {
        match file(state, tenant, &row, now).await {
            Ok(receipt) => {
                tracing::info!(year = receipt.year, number = receipt.number, "filed");
                Ok(true)
            }
            Err(e) => {
                let delay = backoff(state, row.attempts);
                tracing::warn!(error = %e, retry_in_s = delay.num_seconds(), "filing failed");
                outbox::Entity::update_many()
                    .col_expr(
                        outbox::Column::LeaseUntil,
                        Expr::value(Option::<DateTime<Utc>>::None),
                    )
                    .col_expr(outbox::Column::NextAttemptAt, Expr::value(now + delay))
                    .col_expr(outbox::Column::LastError, Expr::value(Some(e.to_string())))
                    .filter(outbox::Column::Id.eq(row.id))
                    .filter(outbox::Column::Administration.eq(tenant.id.as_str()))
                    .exec(&state.scoped(&tenant.id))
                    .await?;
                Ok(true)
            }
        }
    }
    .instrument(span)
    .await
}

/// Takes the oldest due, unleased row. On PostgreSQL the candidate is locked with
/// `FOR UPDATE SKIP LOCKED`, so several server processes never take the same row; SQLite has a
/// single writer, which gives the same guarantee.
async fn claim(
    state: &AppState,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<Option<outbox::Model>, ServerError> {
    let mut candidate = Query::select();
    candidate
        .column(outbox::Column::Id)
        .from(outbox::Entity)
        .and_where(outbox::Column::Administration.eq(tenant.id.as_str()))
        .and_where(outbox::Column::DoneAt.is_null())
        .and_where(outbox::Column::NextAttemptAt.lte(now))
        .and_where(
            outbox::Column::LeaseUntil
                .is_null()
                .or(outbox::Column::LeaseUntil.lt(now)),
        )
        .order_by(outbox::Column::Id, sea_orm::Order::Asc)
        .limit(1);
    if state.db.get_database_backend() == DbBackend::Postgres {
        candidate.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let lease = now + Duration::seconds(state.settings.worker.lease_seconds);
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Some(lease)))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.in_subquery(candidate))
        .filter(outbox::Column::Administration.eq(tenant.id.as_str()))
        .exec_with_returning(&state.scoped(&tenant.id))
        .await?;
    Ok(claimed.into_iter().next())
}

async fn file(
    state: &AppState,
    tenant: &Tenant,
    row: &outbox::Model,
    now: DateTime<Utc>,
) -> Result<Receipt, ServerError> {
    let sub = submission::Entity::find_by_id(&row.submission_id)
        .filter(submission::Column::Administration.eq(tenant.id.as_str()))
        .one(&state.scoped(&tenant.id))
        .await?
        .ok_or_else(|| ServerError::Internal("outbox row without submission".into()))?;
    let person = crate::principal::from_stored(state, &sub.identity)?.person;
    let name = [person.name.as_deref(), person.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let registration = Registration {
        idempotency_key: sub.id.clone(),
        direction: Direction::Incoming,
        subject: sub.subject.clone(),
        classification: sub.classification.clone(),
        correspondent: Correspondent {
            // A foreign citizen without a fiscal code is named only (the registers take a
            // correspondent with a name and no code).
            fiscal_number: person
                .subject
                .fiscal_code()
                .map(|cf| cf.to_string())
                .unwrap_or_default(),
            name,
            given_name: person.name.clone(),
            family_name: person.family_name.clone(),
            email: person.email.clone(),
        },
        primary: {
            let (bytes, file_name, mime) = sub.primary_document();
            DocumentRef {
                file_name,
                mime_type: mime.into(),
                sha256: sub.document_sha256.clone(),
                size: bytes.len() as u64,
                description: sub.form_title.clone(),
                content: bytes.to_vec(),
            }
        },
        attachments: attachments(state, tenant, &sub).await?,
    };
    let receipt = tenant
        .register
        .file(&registration, &istanze_protocol::SystemClock)
        .await?;
    let txn = state.scoped(&tenant.id).begin().await?;
    submission::Entity::update(submission::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(sub.id.clone()),
        status: Set(submission::STATUS_FILED.into()),
        protocol_register: Set(Some(receipt.register.clone())),
        protocol_year: Set(Some(receipt.year)),
        protocol_number: Set(Some(receipt.number)),
        protocol_at: Set(Some(receipt.registered_at)),
        segnatura: Set(Some(receipt.segnatura.clone())),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let done = outbox::Entity::update_many()
        .col_expr(outbox::Column::DoneAt, Expr::value(Some(now)))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::Administration.eq(tenant.id.as_str()))
        .filter(outbox::Column::DoneAt.is_null())
        .exec(&txn)
        .await?;
    // A second worker that filed the same row after a lapsed lease tells nobody again.
    if done.rows_affected == 1 {
        crate::notify::enqueue(&txn, state, tenant, &sub.id, now).await?;
    }
    txn.commit().await?;
    Ok(receipt)
}

/// `base * 2^(attempts-1)`, capped, times a random factor in [0.5, 1] so that retries of many
/// filings after an outage do not arrive together.
fn backoff(state: &AppState, attempts: i32) -> Duration {
    let w = &state.settings.worker;
    let exp = attempts.clamp(1, 30) - 1;
    let raw = w
        .base_backoff_seconds
        .max(1)
        .saturating_mul(1_i64 << exp.min(40));
    let capped = raw.min(w.max_backoff_seconds.max(1));
    let jitter: f64 = rand::rng().random_range(0.5..=1.0);
    Duration::milliseconds((capped as f64 * 1000.0 * jitter) as i64)
}

/// The application's files, with their bytes, as documents of the registration.
async fn attachments(
    state: &AppState,
    tenant: &Tenant,
    sub: &submission::Model,
) -> Result<Vec<DocumentRef>, ServerError> {
    // The form as the citizen filled it in: field labels of that version.
    let db = state.scoped(&tenant.id);
    let pinned = crate::form_store::version(
        &db,
        tenant.forms.get(&sub.form_id),
        &sub.form_id,
        &sub.form_version_id,
    )
    .await?;
    let form = pinned.as_ref().or_else(|| tenant.forms.get(&sub.form_id));
    let mut out: Vec<DocumentRef> = Vec::new();
    let primary = sub.primary_document().1;
    for (i, a) in crate::attachments::of_submission(state, &tenant.id, &sub.id, form)
        .await?
        .into_iter()
        .enumerate()
    {
        let label = form
            .and_then(|f| f.file_field(&a.field))
            .map(|f| f.label)
            .unwrap_or_else(|| a.field.clone());
        // Registers and PEC messages tell documents apart by name: names must not repeat.
        let taken = a.file_name == primary || out.iter().any(|d| d.file_name == a.file_name);
        let file_name = if taken {
            format!("allegato-{}-{}", i + 1, a.file_name)
        } else {
            a.file_name.clone()
        };
        // Whole: the registers take each document as bytes (a base64 field, a MIME part);
        // `max_total_bytes` bounds what one application holds.
        let content =
            crate::attachments::read_all(&state.scoped(&tenant.id), &state.settings, &a).await?;
        out.push(DocumentRef {
            content,
            file_name,
            mime_type: a.media_type,
            sha256: a.sha256,
            size: u64::try_from(a.size).unwrap_or(0),
            description: label,
        });
    }
    Ok(out)
}
