//! The final submit: validate with the form, then store the frozen submission and its filing
//! order (a filing job) in one transaction. Only after the commit does the citizen get an answer,
//! so an accepted application survives any crash that follows.

use chrono::{DateTime, Utc};
use istanze_domain::{AdministrationId, Principal};
use istanze_forms::{FieldError, Form};
use serde_json::Value;

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::attachments::{Attachment, AttachmentStore};
use crate::store::jobs::{self, JobKind};
use crate::store::submissions::{self, Inserted, Submission, SubmissionStatus, SubmissionStore};
use crate::tenant::Tenant;

/// The outcome of a final submit.
pub(crate) enum Outcome {
    Accepted(Box<Submission>),
    /// The same citizen sent the same id for the same form again (a double click, a retry).
    Existing(Box<Submission>),
    Invalid(Vec<FieldError>),
}

/// The submission id for a key the client chose (the API's `Idempotency-Key`, the id of the
/// page view the HTML form carries). A key names a submission only for one citizen at one
/// administration: the same key sent again by them finds their first submission, while the
/// same key used by someone else, here or at another administration, makes a submission of its
/// own and tells nothing of the other. (A key the server drew itself is used as it is.)
pub(crate) fn id_for_key(admin: &AdministrationId, owner: &str, key: uuid::Uuid) -> uuid::Uuid {
    use sha2::Digest;
    let digest = sha2::Sha256::new()
        .chain_update(b"istanze/submission-key\0")
        .chain_update(admin.as_str())
        .chain_update(b"\0")
        .chain_update(owner)
        .chain_update(b"\0")
        .chain_update(key.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // Version 8 ("custom"): made from a hash, not drawn at random.
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// Validates `data` (after writing the verified identity attributes into it) and stores it.
///
/// `id` comes from the caller, from [`id_for_key`] where the client chose a key: the HTML form
/// carries one per page view, so a double click returns the first submission instead of making
/// a second one.
pub(crate) async fn submit(
    state: &AppState,
    tenant: &Tenant,
    principal: &Principal,
    form: &Form,
    mut data: Value,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<Outcome, ServerError> {
    // A repeated submit (double click, retry) finds the first one before anything else: its
    // draft is gone by now, so its data would no longer validate.
    if state
        .scoped(&tenant.id)
        .get(&id.to_string())
        .await?
        .is_some()
    {
        return existing(state, tenant, &id.to_string(), principal, form).await;
    }
    // What the citizen no longer sees (a branch not chosen, empty rows) is not filed; verified
    // answers first, since a condition may look at one.
    form.apply_prefill(&mut data, &principal.person.prefill_attributes());
    form.prune(&mut data);
    if let Err(errors) = form.validate(&data) {
        return Ok(Outcome::Invalid(errors));
    }
    // The citizen may read the form in English; what is filed is Italian.
    let form = &form.in_lang(istanze_forms::Lang::IT);
    let id = id.to_string();
    let files = match attached(state, tenant, principal, form, &data, &id).await? {
        Ok(files) => files,
        Err(errors) => return Ok(Outcome::Invalid(errors)),
    };
    let access = principal.access();
    // Rendering and compressing the PDF is the CPU-heavy part of a submit: on the CPU pool,
    // which needs owned data ('static), so what it reads is moved there and handed back.
    let (document, pdf, data, files) = {
        let (id, form, administration, principal) = (
            id.clone(),
            form.clone(),
            tenant.admin().name.clone(),
            principal.clone(),
        );
        state
            .cpu
            .run(move || {
                let application = crate::document::Application {
                    id: &id,
                    form: &form,
                    administration: &administration,
                    principal: &principal,
                    access: &access,
                    data: &data,
                    files: &files,
                    submitted_at: now,
                };
                let document = crate::document::render(&application)
                    .map_err(|e| ServerError::Internal(e.to_string()));
                let pdf = crate::document::render_pdf(&application).map_err(ServerError::from);
                (document, pdf, data, files)
            })
            .await?
    };
    let (document, pdf) = (document?, pdf?);
    let owner = principal.owner();
    let row = Submission {
        id: id.clone(),
        administration: tenant.id.to_string(),
        form_id: form.id.clone(),
        form_version: form.version.clone(),
        form_version_id: form.version_id().to_string(),
        form_title: form.title.clone(),
        owner: owner.clone(),
        identity: crate::principal::to_stored(principal)?,
        data: data.to_string(),
        subject: form.subject(&data),
        classification: form.classification.clone(),
        document_sha256: crate::random::sha256_hex(&pdf),
        document,
        document_pdf: Some(pdf),
        status: SubmissionStatus::Filing.as_str().into(),
        submitted_at: now,
        protocol_register: None,
        protocol_year: None,
        protocol_number: None,
        protocol_at: None,
        segnatura: None,
    };
    let txn = state.scoped(&tenant.id).begin().await?;
    let inserted = match submissions::insert_in(&txn, &tenant.id, row).await? {
        Inserted::New(m) => m,
        Inserted::Duplicate => {
            txn.rollback().await?;
            return existing(state, tenant, &id, principal, form).await;
        }
    };
    jobs::enqueue(&txn, &tenant.id, JobKind::File, &id, now).await?;
    let ids: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    crate::attachments::link(&txn, &tenant.id, &ids, &id).await?;
    // Submitted: the draft has served its purpose.
    crate::store::drafts::discard_in(&txn, &tenant.id, &owner, &form.id).await?;
    txn.commit().await?;
    state.wake_worker.notify_one();
    Ok(Outcome::Accepted(inserted))
}

/// A repeated submit with the same id: the first one, if it is the same citizen's.
async fn existing(
    state: &AppState,
    tenant: &Tenant,
    id: &str,
    principal: &Principal,
    form: &Form,
) -> Result<Outcome, ServerError> {
    let found = state.scoped(&tenant.id).get(id).await?;
    match found {
        Some(s) if s.owner == principal.owner() && s.form_id == form.id => {
            Ok(Outcome::Existing(Box::new(s)))
        }
        _ => Err(ServerError::Conflict),
    }
}

/// The files the data refers to, checked: uploaded by this citizen for this field of this form,
/// not part of another application, and within the total size allowed.
async fn attached(
    state: &AppState,
    tenant: &Tenant,
    principal: &Principal,
    form: &Form,
    data: &Value,
    id: &str,
) -> Result<Result<Vec<Attachment>, Vec<FieldError>>, ServerError> {
    let owner = principal.owner();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut total: u64 = 0;
    for field in form.file_fields() {
        let Some(att_id) = data.pointer(&field.pointer).and_then(Value::as_str) else {
            continue;
        };
        let found = state
            .scoped(&tenant.id)
            .owned_file(&owner, att_id)
            .await?
            .filter(|a| {
                a.form_id == form.id
                    && a.field == field.pointer
                    && a.submission_id.as_deref().is_none_or(|s| s == id)
            });
        match found {
            Some(a) => {
                total += u64::try_from(a.size).unwrap_or(u64::MAX);
                if total > state.settings.attachments.max_total_bytes {
                    errors.push(FieldError {
                        pointer: field.pointer.clone(),
                        message: crate::attachments::Refusal::TotalTooLarge {
                            max: state.settings.attachments.max_total_bytes,
                        }
                        .message(),
                    });
                }
                files.push(a);
            }
            None => errors.push(FieldError {
                pointer: field.pointer.clone(),
                message: crate::i18n::tr("l-allegato-non-piu-disponibile"),
            }),
        }
    }
    Ok(if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    })
}
