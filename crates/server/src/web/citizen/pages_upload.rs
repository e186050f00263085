//! The service form posted as `multipart/form-data`, with files. Each file is received and
//! checked as it streams in; a refused file is reported next to its field while everything else
//! the citizen entered, and the files already accepted, stay in the form shown again.
//!
//! A refused file is not stored, hashed or scanned any further. Browsers send the fields after
//! the file (and the button pressed, last) after it, so the rest of a refused file is passed
//! over to reach them, but only while it stays within the field's `x-max-bytes` more: a part
//! going on past that ends the request with 413. Text parts are bounded too, each and together,
//! and the whole body by the request cap (`UploadBody`).

use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;

use futures_util::{Stream, StreamExt};
use istanze_forms::FieldError;

use crate::attachments::{Refusal, Upload, UploadBody};
use crate::db::attachment;
use crate::error::ServerError;
use crate::state::AppState;
use crate::web::citizen::pages::{finish_service_submit, form_for, login_url};
use crate::web::see_other;
use crate::web::session::{self, Citizen, MaybeCitizen};
use crate::web::tenant::Here;

/// The largest text part of the form: a field's value is never near this.
const MAX_TEXT_PART: usize = 64 * 1024;
/// All the text parts together, and how many there may be: far above any real form.
const MAX_TEXT_TOTAL: usize = 2 * 1024 * 1024;
const MAX_PARTS: usize = 2000;

pub async fn service_submit_multipart(
    state: web::Data<AppState>,
    here: Here,
    citizen: MaybeCitizen,
    id: web::Path<String>,
    mut body: UploadBody,
) -> HttpResponse {
    let answer = service_submit(&state, &here, citizen, &id, &mut body).await;
    body.answer(answer)
}

async fn service_submit(
    state: &AppState,
    here: &Here,
    citizen: MaybeCitizen,
    id: &str,
    body: &mut UploadBody,
) -> Result<HttpResponse, ServerError> {
    let form = &form_for(state, here, citizen.0.as_ref(), id).await?;
    let Some(citizen) = citizen
        .0
        .filter(|c| crate::web::citizen::pages::allowed(c, form))
    else {
        return Ok(see_other(&login_url(form)));
    };
    let (fields, refused) = read(state, here, &citizen, form, body).await?;
    finish_service_submit(state, here, &citizen, form, &fields, refused).await
}

/// What the parts read so far gave.
#[derive(Default)]
struct Posted {
    fields: Vec<(String, String)>,
    refused: Vec<FieldError>,
    /// Accepted in this request: deleted again if the request fails.
    accepted: Vec<attachment::Model>,
}

/// Reads a posted form: its text fields, with the id of each accepted file in its field's place,
/// and the files refused (with the reason, on their fields). The CSRF token is checked first.
pub(in crate::web) async fn read(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    form: &istanze_forms::Form,
    body: &mut UploadBody,
) -> Result<(Vec<(String, String)>, Vec<FieldError>), ServerError> {
    if body.too_large() {
        return Err(ServerError::TooLarge);
    }
    let mut posted = Posted::default();
    match read_parts(state, here, citizen, form, body, &mut posted).await {
        Ok(()) => Ok((posted.fields, posted.refused)),
        Err(e) => {
            // Nothing will refer to them: the form is not shown again with them.
            crate::attachments::discard(
                &state.scoped(&here.tenant.id),
                &crate::attachments::directory(&state.settings),
                &posted.accepted,
            )
            .await?;
            Err(e)
        }
    }
}

pub(in crate::web) fn malformed(body: &UploadBody) -> ServerError {
    if body.too_large() {
        ServerError::TooLarge
    } else {
        ServerError::Refused("modulo-inviato-non-leggibile-riprova".into())
    }
}

async fn read_parts(
    state: &AppState,
    here: &Here,
    citizen: &Citizen,
    form: &istanze_forms::Form,
    body: &mut UploadBody,
    posted: &mut Posted,
) -> Result<(), ServerError> {
    let now = state.clock.now();
    let mut csrf_checked = false;
    let (mut parts, mut text_total) = (0usize, 0usize);
    let mut files_seen: Vec<String> = Vec::new();
    // The content of the parts read so far: what the rest of the body can hold at most.
    let mut consumed: u64 = 0;
    let mut file_bytes: u64 = 0;
    while let Some(part) = body.parts().next().await {
        let mut part = part.map_err(|_| malformed(body))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(ServerError::TooLarge);
        }
        let (name, file_name) = part_names(body, &part)?;
        let Some(file_name) = file_name else {
            let bytes = read_text(body, &mut part, MAX_TEXT_PART).await?;
            text_total += bytes.len();
            if text_total > MAX_TEXT_TOTAL {
                return Err(ServerError::TooLarge);
            }
            consumed += bytes.len() as u64;
            let value = String::from_utf8(bytes).map_err(|_| malformed(body))?;
            if name == "_csrf" {
                session::check_csrf(citizen, Some(&value))?;
                csrf_checked = true;
            }
            posted.fields.push((name, value));
            continue;
        };
        // The token comes first in the page; no file is taken from a request without it.
        if !csrf_checked {
            return Err(ServerError::Csrf);
        }
        let Some(field) = form.file_field(&name) else {
            return Err(malformed(body));
        };
        // One file per field and request: a request cannot fill the storage with copies.
        if files_seen.contains(&name) {
            return Err(malformed(body));
        }
        files_seen.push(name.clone());
        if file_name.is_empty() {
            // "No file chosen": browsers send an empty part, never a long one.
            consumed += pass_over(body, &mut part, MAX_TEXT_PART as u64).await?;
            continue;
        }
        // Fused: after a refusal the rest is passed over, and the file may have ended already.
        let mut part = part.fuse();
        let upload = Upload {
            administration: &here.tenant.id,
            owner: &citizen.principal.owner(),
            form_id: &form.id,
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
                // A new file replaces the one uploaded before for the same field.
                posted.fields.retain(|(k, _)| *k != name);
                posted.fields.push((name, a.id.clone()));
                posted.accepted.push(a);
            }
            Err(Refusal::Interrupted) if body.too_large() => return Err(ServerError::TooLarge),
            Err(refusal) => {
                posted.refused.push(FieldError {
                    pointer: name,
                    message: refusal.message(),
                });
                consumed += pass_over(body, &mut part, field.max_bytes).await?;
            }
        }
    }
    if !csrf_checked {
        return Err(ServerError::Csrf);
    }
    Ok(())
}

/// A part's name and, for a file part, the file's name (`Some("")` for "no file chosen").
pub(in crate::web) fn part_names(
    body: &UploadBody,
    part: &actix_multipart::Field,
) -> Result<(String, Option<String>), ServerError> {
    let disposition = part.content_disposition();
    let name = disposition
        .and_then(|d| d.get_name())
        .unwrap_or_default()
        .to_owned();
    let file_name = crate::attachments::part_file_name(disposition).map_err(|_| malformed(body))?;
    Ok((name, file_name))
}

/// A text part's bytes, at most `most` of them (a longer part ends the request, 413).
pub(in crate::web) async fn read_text(
    body: &UploadBody,
    part: &mut actix_multipart::Field,
    most: usize,
) -> Result<Vec<u8>, ServerError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = part.next().await {
        bytes.extend_from_slice(&chunk.map_err(|_| malformed(body))?);
        if bytes.len() > most {
            return Err(ServerError::TooLarge);
        }
    }
    Ok(bytes)
}

/// Reads the rest of `part` without keeping it, up to `most` bytes: a part longer than that
/// ends the request (413). Returns how many bytes it read.
pub(in crate::web) async fn pass_over<S, E>(
    body: &UploadBody,
    part: &mut S,
    most: u64,
) -> Result<u64, ServerError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut read: u64 = 0;
    while let Some(chunk) = part.next().await {
        read += chunk.map_err(|_| malformed(body))?.len() as u64;
        if read > most {
            return Err(ServerError::TooLarge);
        }
    }
    Ok(read)
}
