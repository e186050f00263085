//! Filing a submission into its administration's register: the registration (the
//! application document, its attachments, the citizen as correspondent) is filed with the
//! submission id as idempotency key, so a second attempt after a lost answer returns the first
//! receipt; the receipt, the end of the job and the notifications to send are then stored in
//! one transaction.

use chrono::{DateTime, Utc};
use istanze_forms::FormCatalog;
use istanze_protocol::{
    Correspondent, Direction, DocumentRef, ProtocolError, Receipt, Register, Registration,
};

use crate::attachments::BytesError;
use crate::config::{NotificationSettings, Settings};
use crate::db::scope::Scoped;
use crate::store::jobs::{self, Finished, Job};
use crate::store::submissions::{self, Filed, Submission, SubmissionStore};
use crate::store::StoreError;

/// What a filing needs, and nothing more: the administration's storage, register, forms and
/// notification settings, where attachments are kept, and the time registrations carry.
pub(crate) struct Filing<'a> {
    pub db: Scoped,
    pub register: &'a dyn Register,
    /// The register's clock: the application state's, so tests that move time move it too.
    pub clock: &'a dyn istanze_protocol::Clock,
    pub forms: &'a FormCatalog,
    /// Where attachments are stored (`[attachments]`).
    pub settings: &'a Settings,
    pub notifications: &'a NotificationSettings,
    /// The administration's name and public address, for the documents of case events.
    pub administration: &'a str,
    pub public_url: &'a str,
}

/// Why a filing did not end with a protocol number recorded. Every variant is retried by the
/// job queue with backoff: none loses the application.
#[derive(Debug, thiserror::Error)]
pub enum FilingError {
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("register: {0}")]
    Register(#[from] ProtocolError),
    /// An attachment could not be read back whole and unchanged.
    #[error("{0}")]
    Attachment(#[from] BytesError),
    /// The job names an application that is not there (RLS or a purge would explain it).
    #[error("filing job without its application")]
    Missing,
    /// The stored principal could not be read.
    #[error("{0}")]
    Principal(String),
    /// A case event's job names an event that is not there, or one not filed in the register.
    #[error("filing job without its case event")]
    MissingEvent,
}

impl From<sea_orm::DbErr> for FilingError {
    fn from(e: sea_orm::DbErr) -> FilingError {
        FilingError::Store(e.into())
    }
}

/// The citizen who submitted `sub`, as the registrations of its procedure name them.
pub(crate) fn correspondent(sub: &Submission) -> Result<Correspondent, FilingError> {
    let person = crate::principal::stored_person(&sub.identity).map_err(FilingError::Principal)?;
    let name = [person.name.as_deref(), person.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Correspondent {
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
    })
}

/// The case file of `sub`'s procedure: the application opens it, and the communications and
/// replies of the procedure are filed in it.
pub(crate) fn case_file(sub: &Submission) -> istanze_protocol::CaseFile {
    use chrono::Datelike;
    let year = istanze_protocol::rome::local(sub.submitted_at).year();
    istanze_protocol::CaseFile::of_procedure(&sub.classification, year, &sub.id, &sub.subject)
}

impl Filing<'_> {
    /// Files the submission of `job` and, in one transaction, records the receipt, finishes
    /// the job and queues the notifications.
    pub(crate) async fn file(&self, job: &Job, now: DateTime<Utc>) -> Result<Receipt, FilingError> {
        let sub = self
            .db
            .get(&job.submission_id)
            .await?
            .ok_or(FilingError::Missing)?;
        // The form as the citizen filled it in: its labels, its procedure's rules.
        let current = self.forms.get(&sub.form_id);
        let pinned =
            crate::form_store::version(&self.db, current, &sub.form_id, &sub.form_version_id)
                .await?;
        let form = pinned.as_ref().or(current);
        let registration = self.registration(&sub, form).await?;
        let receipt = self.register.file(&registration, self.clock).await?;
        let admin = self.db.id().clone();
        let txn = self.db.begin().await?;
        let filed = Filed {
            register: &receipt.register,
            year: receipt.year,
            number: receipt.number,
            at: receipt.registered_at,
            segnatura: &receipt.segnatura,
        };
        // The row is gone only if it was deleted under the job: the job stays, and says so.
        if !submissions::record_filed_in(&txn, &admin, &sub.id, &filed).await? {
            return Err(FilingError::Missing);
        }
        // The procedure starts with the registration (L. 241/1990 art. 2: the term runs from
        // the day the application is received).
        let received = istanze_protocol::rome::local(receipt.registered_at).date_naive();
        let rules = form.map(|f| f.procedure()).unwrap_or_default();
        crate::store::cases::open_in(&txn, &admin, &sub.id, &sub.form_id, rules, received, now)
            .await?;
        let first = jobs::finish_in(&txn, &admin, job, &Finished::Done, now).await?;
        // A second runner that filed the same job after a lapsed lease tells nobody again.
        if first {
            crate::notify::enqueue(&txn, &admin, self.notifications, &sub.id, 0, now).await?;
        }
        txn.commit().await?;
        Ok(receipt)
    }

    async fn registration(
        &self,
        sub: &Submission,
        form: Option<&istanze_forms::Form>,
    ) -> Result<Registration, FilingError> {
        let correspondent = correspondent(sub)?;
        let (bytes, file_name, mime) = sub.primary_document();
        Ok(Registration {
            idempotency_key: sub.id.clone(),
            direction: Direction::Incoming,
            subject: sub.subject.clone(),
            classification: sub.classification.clone(),
            correspondent,
            primary: DocumentRef {
                file_name: file_name.clone(),
                mime_type: mime.into(),
                sha256: sub.document_sha256.clone(),
                size: bytes.len() as u64,
                description: sub.form_title.clone(),
                content: bytes.to_vec(),
            },
            attachments: self.attachments(sub, form, &file_name).await?,
            case_file: Some(case_file(sub)),
        })
    }

    /// The application's files, with their bytes, as documents of the registration.
    async fn attachments(
        &self,
        sub: &Submission,
        form: Option<&istanze_forms::Form>,
        primary: &str,
    ) -> Result<Vec<DocumentRef>, FilingError> {
        let mut out: Vec<DocumentRef> = Vec::new();
        for (i, a) in crate::attachments::of_submission(&self.db, &sub.id, form)
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
            let content = crate::attachments::read_all(&self.db, self.settings, &a).await?;
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
}
