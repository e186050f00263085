//! The final submit: validate with the form, then store the frozen submission and its filing
//! order (a filing job) in one transaction. Only after the commit does the citizen get an answer,
//! so an accepted application survives any crash that follows.

use chrono::{DateTime, Utc};
use istanze_domain::{AdministrationId, Principal};
use istanze_forms::{FieldError, Form};
use serde_json::Value;

use crate::cpu::{CpuError, CpuPool};
use crate::db::scope::Scoped;
use crate::store::attachments::{link_in, Attachment, AttachmentStore};
use crate::store::jobs::{self, JobKind};
use crate::store::submissions::{self, Inserted, Submission, SubmissionStatus, SubmissionStore};
use crate::store::StoreError;

/// What a submit needs, and nothing more: the administration's storage and name, the CPU
/// pool for the document, the attachments' limit and the worker to wake.
pub(crate) struct Submitting<'a> {
    pub db: Scoped,
    /// The administration's name, on the application document.
    pub administration: &'a str,
    pub cpu: &'a CpuPool,
    pub max_total_bytes: u64,
    pub wake_worker: &'a tokio::sync::Notify,
}

/// Why a submit stored nothing (data that does not validate is an [`Outcome`], not an error).
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    /// The key names another application of this citizen (another form).
    #[error("submission key already used for another application")]
    KeyReused,
    /// A file the data refers to became part of another application meanwhile.
    #[error("an attached file is part of another application")]
    FileTaken,
    /// The principal could not be kept with the application.
    #[error("principal: {0}")]
    Principal(String),
    #[error("application document: {0}")]
    Document(String),
    #[error("{0}")]
    Cpu(#[from] CpuError),
}

impl From<sea_orm::DbErr> for SubmitError {
    fn from(e: sea_orm::DbErr) -> SubmitError {
        SubmitError::Store(e.into())
    }
}

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
    deps: &Submitting<'_>,
    principal: &Principal,
    form: &Form,
    mut data: Value,
    id: uuid::Uuid,
    now: DateTime<Utc>,
) -> Result<Outcome, SubmitError> {
    let db = &deps.db;
    // A repeated submit (double click, retry) finds the first one before anything else: its
    // draft is gone by now, so its data would no longer validate.
    if db.get(&id.to_string()).await?.is_some() {
        return existing(db, &id.to_string(), principal, form).await;
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
    let files = match attached(deps, principal, form, &data, &id).await? {
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
            deps.administration.to_owned(),
            principal.clone(),
        );
        deps.cpu
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
                    .map_err(|e| SubmitError::Document(e.to_string()));
                let pdf = crate::document::render_pdf(&application)
                    .map_err(|e| SubmitError::Document(e.to_string()));
                (document, pdf, data, files)
            })
            .await?
    };
    let (document, pdf) = (document?, pdf?);
    let owner = principal.owner();
    let row = Submission {
        id: id.clone(),
        administration: db.admin().to_owned(),
        form_id: form.id.clone(),
        form_version: form.version.clone(),
        form_version_id: form.version_id().to_string(),
        form_title: form.title.clone(),
        owner: owner.clone(),
        identity: crate::principal::to_stored(principal)
            .map_err(|e| SubmitError::Principal(e.to_string()))?,
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
    let admin = db.id();
    let txn = db.begin().await?;
    let inserted = match submissions::insert_in(&txn, admin, row).await? {
        Inserted::New(m) => m,
        Inserted::Duplicate => {
            txn.rollback().await?;
            return existing(db, &id, principal, form).await;
        }
    };
    jobs::enqueue(&txn, admin, JobKind::File, &id, now).await?;
    let ids: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
    // Dropping the transaction unwritten rolls it back.
    if !ids.is_empty() && link_in(&txn, admin, &ids, &id).await? != ids.len() as u64 {
        return Err(SubmitError::FileTaken);
    }
    // Submitted: the draft has served its purpose.
    crate::store::drafts::discard_in(&txn, admin, &owner, &form.id).await?;
    txn.commit().await?;
    deps.wake_worker.notify_one();
    Ok(Outcome::Accepted(inserted))
}

/// A repeated submit with the same id: the first one, if it is the same citizen's.
async fn existing(
    db: &Scoped,
    id: &str,
    principal: &Principal,
    form: &Form,
) -> Result<Outcome, SubmitError> {
    // The id is derived from the citizen and the key (see `id_for_key`): another citizen's
    // application cannot have it, whatever key they sent.
    match db.get(id).await? {
        Some(s) if s.owner == principal.owner() && s.form_id == form.id => {
            Ok(Outcome::Existing(Box::new(s)))
        }
        Some(_) | None => Err(SubmitError::KeyReused),
    }
}

/// The files the data refers to, checked: uploaded by this citizen for this field of this form,
/// not part of another application, and within the total size allowed.
async fn attached(
    deps: &Submitting<'_>,
    principal: &Principal,
    form: &Form,
    data: &Value,
    id: &str,
) -> Result<Result<Vec<Attachment>, Vec<FieldError>>, SubmitError> {
    let owner = principal.owner();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut total: u64 = 0;
    for field in form.file_fields() {
        let Some(att_id) = data.pointer(&field.pointer).and_then(Value::as_str) else {
            continue;
        };
        let found = deps.db.owned_file(&owner, att_id).await?.filter(|a| {
            a.form_id == form.id
                && a.field == field.pointer
                && a.submission_id.as_deref().is_none_or(|s| s == id)
        });
        match found {
            Some(a) => {
                total += u64::try_from(a.size).unwrap_or(u64::MAX);
                if total > deps.max_total_bytes {
                    errors.push(FieldError {
                        pointer: field.pointer.clone(),
                        message: crate::attachments::Refusal::TotalTooLarge {
                            max: deps.max_total_bytes,
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
