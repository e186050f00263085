//! Uploaded files: received as a stream into a temporary file while their size is counted and
//! their SHA-256 computed, recognised from their bytes, scanned by ClamAV when configured, then
//! kept in the database or in the attachments directory. A refused file leaves nothing behind
//! and comes with a message for the citizen; a file that is never part of a submitted
//! application is deleted after `attachments.unsubmitted_hours`.

mod clamav;
pub mod sniff;

use std::path::PathBuf;
use std::time::Duration;

use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use istanze_forms::FileField;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use sha2::Digest;
use tokio::io::AsyncWriteExt;

use crate::config::AttachmentStorage;
use crate::db::attachment;
use crate::error::ServerError;
use crate::state::AppState;

/// How much of the start of a file is kept to recognise its type.
const HEAD: usize = 64 * 1024;

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
        let en = crate::i18n::current() == crate::i18n::Lang::En;
        match self {
            Refusal::Empty if en => "The file is empty: choose the file to attach.".into(),
            Refusal::Empty => "Il file è vuoto: scegli il file da allegare.".into(),
            Refusal::TooLarge { max } if en => format!(
                "The file is too large: the largest allowed is {}. Make it smaller and upload it again.",
                megabytes(*max)
            ),
            Refusal::TooLarge { max } => format!(
                "Il file è troppo grande: il massimo è {}. Riducine le dimensioni e caricalo di nuovo.",
                megabytes(*max)
            ),
            Refusal::WrongType { accepted } if en => format!(
                "The file is not of an accepted type: accepted are {}. The type is recognised \
                 from the file's content, not from its name.",
                sniff::describe(accepted)
            ),
            Refusal::WrongType { accepted } => format!(
                "Il file non è di un tipo accettato: sono accettati {}. Il tipo si riconosce dal \
                 contenuto del file, non dal nome.",
                sniff::describe(accepted)
            ),
            Refusal::Infected if en => {
                "The antivirus check found a problem in this file: it was not accepted.".into()
            }
            Refusal::Infected => {
                "Il controllo antivirus ha trovato un problema in questo file: non è stato \
                 accettato."
                    .into()
            }
            Refusal::ScannerUnavailable if en => {
                "The antivirus check is not available right now: try again in a few minutes."
                    .into()
            }
            Refusal::ScannerUnavailable => {
                "Il controllo antivirus non è disponibile in questo momento: riprova tra qualche \
                 minuto."
                    .into()
            }
            Refusal::TooLargeToScan if en => {
                "The file is larger than the antivirus check can examine: make it smaller and \
                 upload it again."
                    .into()
            }
            Refusal::TooLargeToScan => {
                "Il file è più grande di quanto il controllo antivirus possa esaminare: riducine \
                 le dimensioni e caricalo di nuovo."
                    .into()
            }
            Refusal::PendingQuota { max } if en => format!(
                "Your files not yet sent already reach the limit of {}: send or delete your \
                 drafts, or try again in a few days.",
                megabytes(*max)
            ),
            Refusal::PendingQuota { max } => format!(
                "I tuoi file non ancora inviati raggiungono già il limite di {}: invia o elimina \
                 le bozze, oppure riprova tra qualche giorno.",
                megabytes(*max)
            ),
            Refusal::TotalTooLarge { max } if en => format!(
                "The application's attachments together exceed the largest total of {}.",
                megabytes(*max)
            ),
            Refusal::TotalTooLarge { max } => format!(
                "Gli allegati della domanda superano insieme il massimo di {}.",
                megabytes(*max)
            ),
            Refusal::Interrupted if en => {
                "The upload of the file was interrupted: upload it again.".into()
            }
            Refusal::Interrupted => {
                "Il caricamento del file si è interrotto: caricalo di nuovo.".into()
            }
        }
    }
}

/// What the files `owner` uploaded and has not submitted weigh together.
async fn pending_bytes(state: &AppState, owner: &str) -> Result<u64, ServerError> {
    use sea_orm::sea_query::{Alias, Expr};
    // Cast: PostgreSQL sums a BIGINT column as NUMERIC.
    let total: Option<Option<i64>> = attachment::Entity::find()
        .select_only()
        .column_as(
            Expr::col(attachment::Column::Size)
                .sum()
                .cast_as(Alias::new("BIGINT")),
            "total",
        )
        .filter(attachment::Column::Owner.eq(owner))
        .filter(attachment::Column::SubmissionId.is_null())
        .into_tuple()
        .one(&state.db)
        .await?;
    Ok(total.flatten().map_or(0, |t| u64::try_from(t).unwrap_or(0)))
}

/// The directory of stored files (directory storage) and of uploads in progress.
pub fn directory(state: &AppState) -> PathBuf {
    state
        .settings
        .attachments
        .dir
        .clone()
        .unwrap_or_else(|| state.settings.server.data_dir.join("allegati"))
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

/// Receives one file for `field` of form `form_id`, uploaded by `owner`.
pub async fn receive<S, E>(
    state: &AppState,
    owner: &str,
    form_id: &str,
    field: &FileField,
    file_name: &str,
    mut stream: S,
    now: DateTime<Utc>,
) -> Result<Result<attachment::Model, Refusal>, ServerError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let dir = directory(state);
    let tmp_dir = dir.join("tmp");
    let internal = |e: std::io::Error| ServerError::Internal(format!("attachments: {e}"));
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(internal)?;
    let id = format!("att-{}", uuid::Uuid::new_v4());
    let tmp = tmp_dir.join(&id);
    let mut file = tokio::fs::File::create(&tmp).await.map_err(internal)?;
    let mut size: u64 = 0;
    let mut hasher = sha2::Sha256::new();
    let mut head = Vec::new();
    let mut refusal = None;
    // Read to the end even after a refusal: the rest of the request (the other fields the
    // citizen filled in) comes after this file. The request as a whole is bounded by the
    // callers (one file per field, `max_total_bytes`).
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            refusal = Some(Refusal::Interrupted);
            break;
        };
        size += chunk.len() as u64;
        if refusal.is_some() {
            continue;
        }
        if size > field.max_bytes {
            refusal = Some(Refusal::TooLarge {
                max: field.max_bytes,
            });
            continue;
        }
        if head.len() < HEAD {
            head.extend_from_slice(&chunk[..chunk.len().min(HEAD - head.len())]);
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    drop(file);
    let quota = state.settings.attachments.max_pending_bytes_per_owner;
    let verdict = match refusal {
        Some(r) => Err(r),
        None if size == 0 => Err(Refusal::Empty),
        None if pending_bytes(state, owner).await?.saturating_add(size) > quota => {
            Err(Refusal::PendingQuota { max: quota })
        }
        None => check(state, field, &head, &tmp).await,
    };
    let media_type = match verdict {
        Ok(t) => t,
        Err(r) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Ok(Err(r));
        }
    };
    let (content, path) = match state.settings.attachments.storage {
        AttachmentStorage::Database => {
            let bytes = tokio::fs::read(&tmp).await.map_err(internal)?;
            let _ = tokio::fs::remove_file(&tmp).await;
            (Some(bytes), None)
        }
        AttachmentStorage::Directory => {
            tokio::fs::rename(&tmp, dir.join(&id))
                .await
                .map_err(internal)?;
            (None, Some(id.clone()))
        }
    };
    let model = attachment::Model {
        id,
        owner: owner.to_owned(),
        form_id: form_id.to_owned(),
        field: field.pointer.clone(),
        file_name: clean_name(file_name),
        media_type: media_type.to_owned(),
        size: i64::try_from(size).unwrap_or(i64::MAX),
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        content,
        path,
        submission_id: None,
        created_at: now,
    };
    attachment::Entity::insert(attachment::ActiveModel::from(model.clone()))
        .exec_without_returning(&state.db)
        .await?;
    Ok(Ok(model))
}

/// Type and antivirus checks of a complete upload.
async fn check(
    state: &AppState,
    field: &FileField,
    head: &[u8],
    tmp: &std::path::Path,
) -> Result<&'static str, Refusal> {
    let media_type = sniff::media_type(head)
        .filter(|t| field.accept.iter().any(|a| a == t))
        .ok_or_else(|| Refusal::WrongType {
            accepted: field.accept.clone(),
        })?;
    if let Some(address) = &state.settings.attachments.clamav {
        let timeout = Duration::from_secs(state.settings.attachments.clamav_timeout_seconds.max(1));
        match clamav::scan(address, tmp, timeout).await {
            Ok(clamav::Verdict::Clean) => {}
            Ok(clamav::Verdict::Infected(name)) => {
                tracing::warn!(signature = %name, "upload refused by the antivirus");
                return Err(Refusal::Infected);
            }
            Ok(clamav::Verdict::TooLarge) => {
                tracing::warn!(
                    "upload larger than the antivirus scans: lower the field's x-max-bytes or \
                     raise clamd's StreamMaxLength"
                );
                return Err(Refusal::TooLargeToScan);
            }
            Err(e) => {
                tracing::warn!(error = %e, "antivirus unavailable");
                return Err(Refusal::ScannerUnavailable);
            }
        }
    }
    Ok(media_type)
}

/// The bytes of a stored file.
pub async fn bytes(state: &AppState, a: &attachment::Model) -> Result<Vec<u8>, ServerError> {
    match (&a.content, &a.path) {
        (Some(c), _) => Ok(c.clone()),
        (None, Some(p)) => tokio::fs::read(directory(state).join(p))
            .await
            .map_err(|e| ServerError::Internal(format!("attachment {}: {e}", a.id))),
        (None, None) => Err(ServerError::Internal(format!(
            "attachment {} has no content",
            a.id
        ))),
    }
}

/// The files of a submitted application, in the order of the form's fields (as the
/// application document lists them).
pub async fn of_submission(
    state: &AppState,
    submission_id: &str,
    form: Option<&istanze_forms::Form>,
) -> Result<Vec<attachment::Model>, ServerError> {
    let mut files = attachment::Entity::find()
        .filter(attachment::Column::SubmissionId.eq(submission_id))
        .order_by_asc(attachment::Column::CreatedAt)
        .all(&state.db)
        .await?;
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

/// Deletes files uploaded before `before` that never became part of an application (nor are
/// held by a draft of their owner). Each row is deleted first, on condition that it is still
/// unlinked, and its file removed only then: a submit linking it meanwhile keeps both.
pub async fn purge_unsubmitted(
    state: &AppState,
    before: DateTime<Utc>,
) -> Result<u64, ServerError> {
    let kept = crate::drafts::referenced_attachments(state).await?;
    let old: Vec<(String, String, Option<String>)> = attachment::Entity::find()
        .select_only()
        .column(attachment::Column::Id)
        .column(attachment::Column::Owner)
        .column(attachment::Column::Path)
        .filter(attachment::Column::SubmissionId.is_null())
        .filter(attachment::Column::CreatedAt.lt(before))
        .into_tuple()
        .all(&state.db)
        .await?;
    let dir = directory(state);
    let mut gone = 0;
    for (id, owner, path) in old {
        if kept.contains(&(owner, id.clone())) {
            continue;
        }
        let deleted = attachment::Entity::delete_many()
            .filter(attachment::Column::Id.eq(&id))
            .filter(attachment::Column::SubmissionId.is_null())
            .exec(&state.db)
            .await?;
        if deleted.rows_affected == 1 {
            gone += 1;
            if let Some(p) = path {
                let _ = tokio::fs::remove_file(dir.join(p)).await;
            }
        }
    }
    Ok(gone)
}

/// Marks `ids` as part of submission `submission_id`, inside the submit's transaction.
pub(crate) async fn link(
    txn: &impl sea_orm::ConnectionTrait,
    ids: &[String],
    submission_id: &str,
) -> Result<(), ServerError> {
    if ids.is_empty() {
        return Ok(());
    }
    let linked = attachment::Entity::update_many()
        .col_expr(
            attachment::Column::SubmissionId,
            sea_orm::sea_query::Expr::value(Some(submission_id.to_owned())),
        )
        .filter(attachment::Column::Id.is_in(ids.iter().cloned()))
        .filter(attachment::Column::SubmissionId.is_null())
        .exec(txn)
        .await?;
    if linked.rows_affected != ids.len() as u64 {
        return Err(ServerError::Conflict);
    }
    Ok(())
}
