//! One uploaded file, from its first byte to its row. Before a byte is read the upload reserves
//! its room in the citizen's quota (the most the file can be: the field's `x-max-bytes`, what
//! is left of the application's total and of the request); then each chunk is counted, hashed,
//! written where the file will be kept and, once its type is known from its first bytes,
//! handed to the antivirus. The first limit passed, a type not accepted, or the antivirus
//! refusing ends the upload at once, without reading the rest of the file: nothing of it stays
//! and its reservation is given back (by a task, if the request itself is dropped midway).

use std::path::PathBuf;
use std::time::Duration;

use crate::db::scope::Scoped;
use actix_web::web::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use istanze_forms::FileField;
use sha2::Digest;

use super::clamav::{self, Answer, Scan, Verdict};
use super::store::Writer;
use super::{clean_name, sniff, Refusal};
use crate::db::attachment;
use crate::db::quota::{self, Settled};
use crate::error::ServerError;
use crate::state::AppState;

/// How much of the start of a file is looked at to recognise its type.
const HEAD: usize = 64 * 1024;

/// One file to receive.
#[derive(Debug)]
pub struct Upload<'a> {
    /// The administration the form belongs to.
    pub administration: &'a istanze_domain::AdministrationId,
    /// The key (`Principal::owner`) of the citizen uploading.
    pub owner: &'a str,
    pub form_id: &'a str,
    pub field: &'a FileField,
    pub file_name: &'a str,
    /// What the application's `max_total_bytes` still allows in this request.
    pub total_left: u64,
    /// The most the rest of the request can carry (see `UploadBody::allowance`), less what the
    /// parts before this one held.
    pub request_left: u64,
}

/// What must go if an upload does not end with its row stored.
struct Leftovers {
    db: Scoped,
    id: String,
    files: Vec<PathBuf>,
    armed: bool,
}

impl Leftovers {
    async fn clear(mut self) {
        self.armed = false;
        clear(&self.db, &self.id, &self.files).await;
    }
}

async fn clear(db: &Scoped, id: &str, files: &[PathBuf]) {
    if let Err(e) = quota::release(db, id).await {
        // The reservation expires by itself and housekeeping deletes its chunks then.
        tracing::warn!(error = %e, "an upload's reservation could not be given back");
    }
    for f in files {
        let _ = tokio::fs::remove_file(f).await;
    }
}

impl Drop for Leftovers {
    fn drop(&mut self) {
        // The request was dropped midway (the client went away): no one awaits any more.
        if self.armed {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                let (db, id, files) = (
                    self.db.clone(),
                    std::mem::take(&mut self.id),
                    std::mem::take(&mut self.files),
                );
                runtime.spawn(async move { clear(&db, &id, &files).await });
            }
        }
    }
}

/// What came in, accepted by every check.
struct Received {
    size: u64,
    sha256: String,
    media_type: &'static str,
    path: Option<String>,
}

/// Receives one file from `stream` (the part's content), reading no further than needed to
/// accept or refuse it.
pub async fn receive<S, E>(
    state: &AppState,
    upload: &Upload<'_>,
    stream: &mut S,
    now: DateTime<Utc>,
) -> Result<Result<attachment::Model, Refusal>, ServerError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let settings = &state.settings.attachments;
    if let Some(refusal) = super::name::refusal(upload.file_name) {
        return Ok(Err(refusal));
    }
    if upload.total_left == 0 {
        return Ok(Err(Refusal::TotalTooLarge {
            max: settings.max_total_bytes,
        }));
    }
    let quota = settings.max_pending_bytes_per_owner;
    // At least a byte: a file that can only be empty is still read, and refused as empty.
    let want = upload
        .field
        .max_bytes
        .min(upload.total_left)
        .min(upload.request_left)
        .max(1);
    let id = format!("att-{}", state.ids.uuid());
    let scope = state.scoped(upload.administration);
    let reserved = quota::reserve(&scope, &id, upload.owner, want, quota, now).await?;
    if reserved == 0 {
        return Ok(Err(Refusal::PendingQuota { max: quota }));
    }
    let mut leftovers = Leftovers {
        db: scope.clone(),
        id: id.clone(),
        files: Vec::new(),
        armed: true,
    };
    let received = match stream_in(state, upload, stream, &id, reserved, &mut leftovers).await {
        Ok(Ok(r)) => r,
        Ok(Err(refusal)) => {
            leftovers.clear().await;
            return Ok(Err(refusal));
        }
        Err(e) => {
            leftovers.clear().await;
            return Err(e);
        }
    };
    let model = attachment::Model {
        id,
        administration: upload.administration.to_string(),
        owner: upload.owner.to_owned(),
        form_id: upload.form_id.to_owned(),
        field: upload.field.pointer.clone(),
        file_name: clean_name(upload.file_name),
        media_type: received.media_type.to_owned(),
        size: i64::try_from(received.size).unwrap_or(i64::MAX),
        sha256: received.sha256,
        path: received.path,
        submission_id: None,
        created_at: now,
    };
    let settled = match quota::settle(&scope, model.clone(), quota, state.clock.now()).await {
        Ok(s) => s,
        Err(e) => {
            leftovers.clear().await;
            return Err(e.into());
        }
    };
    match settled {
        Settled::Stored => {
            leftovers.armed = false;
            Ok(Ok(model))
        }
        Settled::Lapsed => {
            leftovers.clear().await;
            Ok(Err(Refusal::Interrupted))
        }
        Settled::OverQuota => {
            leftovers.clear().await;
            Ok(Err(Refusal::PendingQuota { max: quota }))
        }
    }
}

/// The first limit `size` passes, if any.
fn over(state: &AppState, upload: &Upload<'_>, size: u64, reserved: u64) -> Option<Refusal> {
    let settings = &state.settings.attachments;
    if size > upload.field.max_bytes {
        Some(Refusal::TooLarge {
            max: upload.field.max_bytes,
        })
    } else if size > upload.total_left {
        Some(Refusal::TotalTooLarge {
            max: settings.max_total_bytes,
        })
    } else if size > reserved {
        // Less was reserved than the other limits allow only when the quota had no more room.
        Some(Refusal::PendingQuota {
            max: settings.max_pending_bytes_per_owner,
        })
    } else {
        None
    }
}

async fn stream_in<S, E>(
    state: &AppState,
    upload: &Upload<'_>,
    stream: &mut S,
    id: &str,
    reserved: u64,
    leftovers: &mut Leftovers,
) -> Result<Result<Received, Refusal>, ServerError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut writer = Writer::open(&state.settings, &leftovers.db, id).await?;
    leftovers.files = writer.files();
    let mut size: u64 = 0;
    let mut hasher = sha2::Sha256::new();
    // The first bytes, until the type is known; then the scan (if any) has them.
    let mut head: Vec<u8> = Vec::new();
    let mut checked: Option<(&'static str, Option<Scan>)> = None;
    while let Some(chunk) = stream.next().await {
        let Ok(chunk) = chunk else {
            return Ok(Err(Refusal::Interrupted));
        };
        size += chunk.len() as u64;
        if let Some(refusal) = over(state, upload, size, reserved) {
            return Ok(Err(refusal));
        }
        hasher.update(&chunk);
        writer.write(&chunk).await?;
        match &mut checked {
            Some((_, Some(scan))) => {
                if let Err(answer) = scan.feed(&chunk).await {
                    return Ok(Err(refusal_of(answer)));
                }
            }
            Some((_, None)) => {}
            None => {
                head.extend_from_slice(&chunk);
                if head.len() >= HEAD {
                    match recognise(state, upload.field, &head).await {
                        Ok(c) => checked = Some(c),
                        Err(refusal) => return Ok(Err(refusal)),
                    }
                    head = Vec::new();
                }
            }
        }
    }
    if size == 0 {
        return Ok(Err(Refusal::Empty));
    }
    let (media_type, scan) = match checked {
        Some(c) => c,
        None => match recognise(state, upload.field, &head).await {
            Ok(c) => c,
            Err(refusal) => return Ok(Err(refusal)),
        },
    };
    if let Some(scan) = scan {
        match scan.finish().await {
            Ok(Verdict::Clean) => {}
            answer => return Ok(Err(refusal_of(answer))),
        }
    }
    let path = writer.finish().await?;
    Ok(Ok(Received {
        size,
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        media_type,
        path,
    }))
}

/// The type of a file from its first bytes, and its scan started with them (when an antivirus
/// is configured): only a file of an accepted type reaches the antivirus.
async fn recognise(
    state: &AppState,
    field: &FileField,
    head: &[u8],
) -> Result<(&'static str, Option<Scan>), Refusal> {
    let media_type = sniff::media_type(head)
        .filter(|t| field.accept.iter().any(|a| a == t))
        .ok_or_else(|| Refusal::WrongType {
            accepted: field.accept.clone(),
        })?;
    let Some(address) = &state.settings.attachments.clamav else {
        return Ok((media_type, None));
    };
    let timeout = Duration::from_secs(state.settings.attachments.clamav_timeout_seconds.max(1));
    let mut scan = Scan::start(address, timeout)
        .await
        .map_err(|e| refusal_of(Err(e)))?;
    scan.feed(head).await.map_err(refusal_of)?;
    Ok((media_type, Some(scan)))
}

/// The refusal for what the antivirus said (anything but a clean verdict at the end).
fn refusal_of(answer: Answer) -> Refusal {
    match answer {
        Ok(clamav::Verdict::Infected(name)) => {
            tracing::warn!(signature = %name, "upload refused by the antivirus");
            Refusal::Infected
        }
        Ok(clamav::Verdict::TooLarge) => {
            tracing::warn!(
                "upload larger than the antivirus scans: lower the field's x-max-bytes or \
                 raise clamd's StreamMaxLength"
            );
            Refusal::TooLargeToScan
        }
        // A clean word before the file has ended is no verdict on the file.
        Ok(clamav::Verdict::Clean) => {
            tracing::warn!("the antivirus answered before the end of the file");
            Refusal::ScannerUnavailable
        }
        Err(e) => {
            tracing::warn!(error = %e, "antivirus unavailable");
            Refusal::ScannerUnavailable
        }
    }
}
