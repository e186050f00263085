//! Filing a submission into its administration's register: the registration (the
//! application document, its attachments, the citizen as correspondent) is filed with the
//! submission id as idempotency key, so a second attempt after a lost answer returns the first
//! receipt; the receipt, the end of the job and the notifications to send are then stored in
//! one transaction.

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::jobs::{self, Finished, Job};
use crate::store::submissions::{self, Filed, Submission, SubmissionStore};
use crate::tenant::Tenant;
use chrono::{DateTime, Utc};
use istanze_protocol::{Correspondent, Direction, DocumentRef, Receipt, Registration};

/// Files the submission of `job` and, in one transaction, records the receipt, finishes the
/// job and queues the notifications.
pub(crate) async fn file(
    state: &AppState,
    tenant: &Tenant,
    job: &Job,
    now: DateTime<Utc>,
) -> Result<Receipt, ServerError> {
    let sub = state
        .scoped(&tenant.id)
        .get(&job.submission_id)
        .await?
        .ok_or_else(|| ServerError::Internal("filing job without submission".into()))?;
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
    let filed = Filed {
        register: &receipt.register,
        year: receipt.year,
        number: receipt.number,
        at: receipt.registered_at,
        segnatura: &receipt.segnatura,
    };
    if !submissions::record_filed_in(&txn, &tenant.id, &sub.id, &filed).await? {
        return Err(ServerError::Internal("filed application vanished".into()));
    }
    let first = jobs::finish_in(&txn, &tenant.id, job, &Finished::Done, now).await?;
    // A second runner that filed the same job after a lapsed lease tells nobody again.
    if first {
        crate::notify::enqueue(&txn, tenant, &sub.id, now).await?;
    }
    txn.commit().await?;
    Ok(receipt)
}

/// The application's files, with their bytes, as documents of the registration.
async fn attachments(
    state: &AppState,
    tenant: &Tenant,
    sub: &Submission,
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
