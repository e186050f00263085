//! Uploaded files: streamed in while their size is counted and their SHA-256 computed,
//! recognised from their first bytes, scanned by ClamAV as they come when configured, kept in
//! the database (in chunks) or in the attachments directory, and read back a chunk at a time.
//! Each upload first reserves its room in the citizen's quota of files not yet submitted, so
//! that parallel uploads cannot pass it together. A refused file is not read to its end, leaves
//! nothing behind and comes with a message for the citizen; a file that is never part of a
//! submitted application is deleted after `attachments.unsubmitted_hours`.

mod body;
mod clamav;
mod name;
mod receive;
pub mod sniff;
mod store;

use crate::store::attachments::{AttachmentStore, Unlinked};
use chrono::{DateTime, Duration, Utc};

pub use body::UploadBody;
pub use name::{part_file_name, NotText};
pub use receive::{receive, Upload};
pub use store::{directory, read_all, BytesError, Reader};

use std::path::Path;

use crate::db::scope::Scoped;
use crate::db::{attachment, quota};
use crate::store::drafts::DraftStore;
use crate::store::StoreError;

/// Why a file was not accepted: said to the citizen, next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge {
        max: u64,
    },
    WrongType {
        accepted: Vec<String>,
    },
    Infected,
    ScannerUnavailable,
    /// Larger than the antivirus will examine (clamd's `StreamMaxLength`).
    TooLargeToScan,
    /// The citizen's files not yet submitted already weigh the most allowed.
    PendingQuota {
        max: u64,
    },
    TotalTooLarge {
        max: u64,
    },
    /// The upload broke off (the connection, the request size limit).
    Interrupted,
    /// The file's name holds characters that are not allowed in text (see [`name`]).
    IllegalName,
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 1.0 {
        format!("{} MB", (mb * 10.0).round() / 10.0)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

impl Refusal {
    /// The message for the citizen, in the language of the request.
    pub fn message(&self) -> String {
        use crate::i18n::{tr, trf};
        let sized = |id: &str, max: u64| trf(id, &[("max", &megabytes(max))]);
        match self {
            Refusal::Empty => tr("allegato-vuoto"),
            Refusal::TooLarge { max } => sized("allegato-troppo-grande", *max),
            Refusal::WrongType { accepted } => trf(
                "allegato-tipo-non-accettato",
                &[("accepted", &sniff::describe(accepted))],
            ),
            Refusal::Infected => tr("allegato-infetto"),
            Refusal::ScannerUnavailable => tr("allegato-antivirus-non-disponibile"),
            Refusal::TooLargeToScan => tr("allegato-troppo-grande-per-antivirus"),
            Refusal::PendingQuota { max } => sized("allegati-limite-non-inviati", *max),
            Refusal::TotalTooLarge { max } => sized("allegati-totale-troppo-grande", *max),
            Refusal::Interrupted => tr("allegato-interrotto"),
            Refusal::IllegalName => tr("allegato-nome-non-ammesso"),
        }
    }
}

/// The file name as it will be shown and filed: no path, no control or markup characters, at
/// most 120 characters.
pub fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '<' | '>' | '"' | '\'' | '`' | '|' | ':' | '*' | '?')
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "allegato".into()
    } else {
        cleaned
    }
}

/// The files of a submitted application, in the order of the form's fields (as the
/// application document lists them).
pub async fn of_submission(
    db: &impl AttachmentStore,
    submission_id: &str,
    form: Option<&istanze_forms::Form>,
) -> Result<Vec<attachment::Model>, StoreError> {
    let mut files = db.of_submission(submission_id).await?;
    // The citizen's replies bring their own files, filed with the reply.
    files.retain(|a| !a.field.starts_with(crate::store::cases::REPLY_FIELD));
    if let Some(form) = form {
        let order: Vec<String> = form.file_fields().into_iter().map(|f| f.pointer).collect();
        files.sort_by_key(|a| {
            order
                .iter()
                .position(|p| *p == a.field)
                .unwrap_or(usize::MAX)
        });
    }
    Ok(files)
}

/// The files that came with the citizen's reply `event_id` to application `submission_id`, in
/// the order they were sent.
pub async fn of_reply(
    db: &impl AttachmentStore,
    submission_id: &str,
    event_id: i64,
) -> Result<Vec<attachment::Model>, StoreError> {
    let prefix = format!("{}{event_id}/", crate::store::cases::REPLY_FIELD);
    let mut files: Vec<(u32, attachment::Model)> = db
        .of_submission(submission_id)
        .await?
        .into_iter()
        .filter_map(|a| {
            let n = a.field.strip_prefix(&prefix)?.parse().ok()?;
            Some((n, a))
        })
        .collect();
    files.sort_by_key(|(n, _)| *n);
    Ok(files.into_iter().map(|(_, a)| a).collect())
}

/// Deletes one administration's files uploaded before `before` that never became part of an
/// application (nor are held by a draft of their owner); `dir` is the attachments directory.
/// Each row is deleted first, on condition that it is still unlinked, and its file removed
/// only then: a submit linking it meanwhile keeps both.
pub async fn purge_unsubmitted(
    db: &(impl AttachmentStore + DraftStore),
    dir: &Path,
    before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut gone = 0;
    let kept = crate::drafts::referenced_attachments(db).await?;
    for Unlinked { id, owner, path } in db.unlinked_before(before).await? {
        if kept.contains(&(owner, id.clone())) {
            continue;
        }
        if db.delete_unlinked(&id).await? {
            gone += 1;
            if let Some(p) = path {
                let _ = tokio::fs::remove_file(dir.join(p)).await;
            }
        }
    }
    Ok(gone)
}

/// Deletes the files a request accepted before it failed: nothing refers to them.
pub async fn discard(
    db: &impl AttachmentStore,
    dir: &Path,
    files: &[attachment::Model],
) -> Result<(), StoreError> {
    for a in files {
        if db.delete_unlinked(&a.id).await? {
            if let Some(p) = &a.path {
                let _ = tokio::fs::remove_file(dir.join(p)).await;
            }
        }
    }
    Ok(())
}

/// Deletes one administration's upload reservations that expired (their upload was cut off
/// by a crash), with the chunks written under them. Returns how many went.
pub async fn purge_expired_reservations(
    db: &Scoped,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    Ok(quota::purge_expired(db, now).await?)
}

/// Deletes the temporary files of directory storage (under `dir/tmp`) that nothing has
/// written to for longer than a reservation lives: uploads cut off by a crash.
pub async fn purge_stale_temporaries(dir: &Path) {
    let ttl = Duration::minutes(quota::RESERVATION_TTL_MINUTES)
        .to_std()
        .unwrap_or_default();
    // Compared with modification times, which the file system stamps from the system clock
    // (not the application's): a temporary file still being written to has just been modified.
    let Some(stale) = std::time::SystemTime::now().checked_sub(ttl) else {
        return;
    };
    if let Ok(mut entries) = tokio::fs::read_dir(dir.join("tmp")).await {
        while let Ok(Some(entry)) = entries.next_entry().await {
            let old = entry
                .metadata()
                .await
                .and_then(|m| m.modified())
                .is_ok_and(|t| t < stale);
            if old {
                let _ = tokio::fs::remove_file(entry.path()).await;
            }
        }
    }
}
