//! The final submit: validate with the form, then store the frozen submission and its filing
//! order (outbox row) in one transaction. Only after the commit does the citizen get an answer,
//! so an accepted application survives any crash that follows.

use chrono::{DateTime, Utc};
use istanze_auth::Identity;
use istanze_forms::{FieldError, Form};
use sea_orm::{ActiveValue::Set, EntityTrait, SqlErr, TransactionTrait};
use serde_json::Value;

use crate::db::{outbox, submission};
use crate::error::ServerError;
use crate::state::AppState;

/// The outcome of a final submit.
pub(crate) enum Outcome {
    Accepted(Box<submission::Model>),
    /// The same citizen sent the same id for the same form again (a double click, a retry).
    Existing(Box<submission::Model>),
    Invalid(Vec<FieldError>),
}

/// Validates `data` (after writing the verified identity attributes into it) and stores it.
///
/// `id` is chosen by the caller: the HTML form carries one per page view, so a double click
/// returns the first submission instead of making a second one.
pub(crate) async fn submit(
    state: &AppState,
    identity: &Identity,
    form: &Form,
    mut data: Value,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<Outcome, ServerError> {
    form.apply_prefill(&mut data, &identity.prefill_attributes());
    if let Err(errors) = form.validate(&data) {
        return Ok(Outcome::Invalid(errors));
    }
    let id = id.to_string();
    let document = crate::document::render(
        &id,
        form,
        &state.settings.administration.name,
        identity,
        &data,
        now,
    )
    .map_err(|e| ServerError::Internal(e.to_string()))?;
    let pdf = crate::document::render_pdf(
        &id,
        form,
        &state.settings.administration.name,
        identity,
        &data,
        now,
    )?;
    let identity_json =
        serde_json::to_string(identity).map_err(|e| ServerError::Internal(e.to_string()))?;
    let model = submission::ActiveModel {
        id: Set(id.clone()),
        form_id: Set(form.id.clone()),
        form_version: Set(form.version.clone()),
        form_title: Set(form.title.clone()),
        owner: Set(identity.fiscal_number.clone()),
        identity: Set(identity_json),
        data: Set(data.to_string()),
        subject: Set(form.subject(&data)),
        classification: Set(form.classification.clone()),
        document_sha256: Set(crate::random::sha256_hex(&pdf)),
        document: Set(document),
        document_pdf: Set(Some(pdf)),
        status: Set(submission::STATUS_FILING.into()),
        submitted_at: Set(now),
        protocol_register: Set(None),
        protocol_year: Set(None),
        protocol_number: Set(None),
        protocol_at: Set(None),
        segnatura: Set(None),
    };
    let txn = state.db.begin().await?;
    let inserted = match submission::Entity::insert(model)
        .exec_with_returning(&txn)
        .await
    {
        Ok(m) => Box::new(m),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            txn.rollback().await?;
            return existing(state, &id, identity, form).await;
        }
        Err(e) => return Err(e.into()),
    };
    outbox::Entity::insert(outbox::ActiveModel {
        id: sea_orm::ActiveValue::NotSet,
        submission_id: Set(id),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        done_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    state.wake_worker.notify_one();
    Ok(Outcome::Accepted(inserted))
}

/// A repeated submit with the same id: the first one, if it is the same citizen's.
async fn existing(
    state: &AppState,
    id: &str,
    identity: &Identity,
    form: &Form,
) -> Result<Outcome, ServerError> {
    match submission::Entity::find_by_id(id).one(&state.db).await? {
        Some(s) if s.owner == identity.fiscal_number && s.form_id == form.id => {
            Ok(Outcome::Existing(Box::new(s)))
        }
        _ => Err(ServerError::Conflict),
    }
}
