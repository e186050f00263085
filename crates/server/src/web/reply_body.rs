//! The citizen's reply posted as `multipart/form-data`, from their application's page or
//! through the API: text parts `tipo` (or `type`: integration, observations, withdrawal),
//! `messaggio` (or `message`) and, from the page, `_csrf` first; one part per file, named
//! `documenti` (or `documents`), up to [`crate::replies::MAX_FILES`]. Each file is received and
//! checked as it streams in, under the same rules as an application's files; the first refusal
//! ends the request and the files accepted before it are deleted: a reply is sent whole or not
//! at all.

use futures_util::StreamExt;
use istanze_forms::FieldError;

use crate::attachments::{Refusal, Upload, UploadBody};
use crate::db::attachment;
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::citizen::pages_upload::{malformed, part_names, pass_over, read_text};
use crate::web::session::{self, Citizen};
use crate::web::tenant::Here;

const MAX_TEXT_PART: usize = 64 * 1024;
const MAX_PARTS: usize = 50;

/// A reply as read from the request.
#[derive(Debug, Default)]
pub struct Posted {
    pub kind: String,
    pub message: String,
    pub files: Vec<attachment::Model>,
}

/// Reads the reply to application `sub`; with `csrf`, the page's token must come before any
/// file. The application's `max_total_bytes` bounds its files and its replies' together.
pub async fn read(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    sub: &crate::store::submissions::Submission,
    body: &mut UploadBody,
    csrf: bool,
) -> Result<Posted, ServerError> {
    if body.too_large() {
        return Err(ServerError::TooLarge);
    }
    let mut posted = Posted::default();
    match read_parts(state, here, citizen, sub, body, csrf, &mut posted).await {
        Ok(()) => Ok(posted),
        Err(e) => {
            discard(state, here, &posted.files).await?;
            Err(e)
        }
    }
}

/// Records the reply `posted` by `citizen` to their application `id`, waking the worker that
/// files it; refused, its files are deleted and the reason is the error (a
/// [`crate::cases::CaseError`] for the procedure's).
pub async fn send(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    id: &str,
    posted: Posted,
) -> Result<crate::store::cases::CaseEvent, ServerError> {
    let kind = crate::replies::kind_of(&posted.kind);
    let checked = match kind {
        None => Err(ServerError::Refused("tipo-risposta-non-valido".into())),
        Some(_) if posted.message.chars().count() > 10_000 => Err(ServerError::TooLarge),
        Some(kind) => Ok(kind),
    };
    let sent = match checked {
        Ok(kind) => {
            let now = state.clock.now();
            let today = istanze_protocol::rome::local(now).date_naive();
            let reply = crate::replies::Reply {
                kind,
                message: &posted.message,
                files: &posted.files,
            };
            let owner = citizen.principal.owner();
            crate::replies::send(
                &state.scoped(&here.tenant.id),
                &owner,
                id,
                reply,
                today,
                now,
            )
            .await
            .map_err(ServerError::Case)
        }
        Err(e) => Err(e),
    };
    match sent {
        Ok(event) => {
            state.wake_worker.notify_one();
            Ok(event)
        }
        Err(e) => {
            discard(state, here, &posted.files).await?;
            Err(e)
        }
    }
}

/// Deletes the files of a reply that was not recorded.
pub async fn discard(
    state: &AppState,
    here: &Here,
    files: &[attachment::Model],
) -> Result<(), ServerError> {
    crate::attachments::discard(
        &state.scoped(&here.tenant.id),
        &crate::attachments::directory(&state.settings),
        files,
    )
    .await?;
    Ok(())
}

async fn read_parts(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    sub: &crate::store::submissions::Submission,
    body: &mut UploadBody,
    csrf: bool,
    posted: &mut Posted,
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let mut csrf_checked = !csrf;
    let mut parts = 0usize;
    let mut consumed: u64 = 0;
    // What the application's files and earlier replies hold already.
    let held: u64 = crate::store::attachments::AttachmentStore::of_submission(
        &state.scoped(&here.tenant.id),
        &sub.id,
    )
    .await?
    .iter()
    .map(|a| u64::try_from(a.size).unwrap_or(u64::MAX))
    .fold(0, u64::saturating_add);
    let mut file_bytes: u64 = held;
    while let Some(part) = body.parts().next().await {
        let mut part = part.map_err(|_| malformed(body))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(ServerError::TooLarge);
        }
        let (name, file_name) = part_names(body, &part)?;
        let Some(file_name) = file_name else {
            let bytes = read_text(body, &mut part, MAX_TEXT_PART).await?;
            consumed += bytes.len() as u64;
            let value = String::from_utf8(bytes).map_err(|_| malformed(body))?;
            match name.as_str() {
                "_csrf" => {
                    session::check_csrf(citizen, Some(&value))?;
                    csrf_checked = true;
                }
                "tipo" | "type" => posted.kind = value,
                "messaggio" | "message" => posted.message = value,
                _ => return Err(malformed(body)),
            }
            continue;
        };
        if !csrf_checked {
            return Err(ServerError::Csrf);
        }
        if !matches!(name.as_str(), "documenti" | "documents") {
            return Err(malformed(body));
        }
        if file_name.is_empty() {
            // "No file chosen": browsers send an empty part, never a long one.
            consumed += pass_over(body, &mut part, MAX_TEXT_PART as u64).await?;
            continue;
        }
        if posted.files.len() >= crate::replies::MAX_FILES {
            return Err(ServerError::Invalid(vec![FieldError {
                pointer: "documenti".into(),
                message: crate::i18n::trf(
                    "troppi-documenti-risposta",
                    &[("max", &crate::replies::MAX_FILES.to_string())],
                ),
            }]));
        }
        let field = crate::replies::file_field(posted.files.len() + 1);
        let upload = Upload {
            administration: &here.tenant.id,
            owner: &citizen.principal.owner(),
            form_id: &sub.form_id,
            field: &field,
            file_name: &file_name,
            total_left: state
                .settings
                .attachments
                .max_total_bytes
                .saturating_sub(file_bytes),
            request_left: body.allowance().saturating_sub(consumed),
        };
        match crate::attachments::receive(state, &upload, &mut part, now).await? {
            Ok(a) => {
                let size = u64::try_from(a.size).unwrap_or(u64::MAX);
                consumed += size;
                file_bytes += size;
                posted.files.push(a);
            }
            Err(Refusal::Interrupted) if body.too_large() => return Err(ServerError::TooLarge),
            Err(refusal) => {
                return Err(ServerError::Invalid(vec![FieldError {
                    pointer: "documenti".into(),
                    message: format!("{}: {}", file_name, refusal.message()),
                }]))
            }
        }
    }
    if !csrf_checked {
        return Err(ServerError::Csrf);
    }
    Ok(())
}
